"""The organisation key file, fingerprints, and the hub's receipts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from firstcontact.sync.keys import KemKeyPair, KemPublicKey, KeyFormatError
from firstcontact.sync.org_key_file import (
    OrgKeyFileError,
    open_org_key_file,
    read_org_public_key,
    write_org_key_file,
)
from firstcontact.sync.receipt import Receipt, ReceiptError, sign_receipt
from firstcontact.sync.wire import PROTOCOL, b64e

PASSPHRASE = "it lead's long passphrase"


def test_org_key_file_round_trip(tmp_path: Path) -> None:
    pair = KemKeyPair.generate()
    path = tmp_path / "org.key"
    write_org_key_file(path, pair, PASSPHRASE)
    assert path.stat().st_mode & 0o777 == 0o600
    assert open_org_key_file(path, PASSPHRASE).private_bytes() == pair.private_bytes()
    assert read_org_public_key(path) == pair.public
    assert pair.private_bytes() not in path.read_bytes()
    with pytest.raises(OrgKeyFileError, match="already exists"):
        write_org_key_file(path, KemKeyPair.generate(), PASSPHRASE)


def test_org_key_file_refusals(tmp_path: Path) -> None:
    pair = KemKeyPair.generate()
    path = tmp_path / "org.key"
    with pytest.raises(OrgKeyFileError, match="at least 12"):
        write_org_key_file(path, pair, "short")
    write_org_key_file(path, pair, PASSPHRASE)
    with pytest.raises(OrgKeyFileError, match="wrong passphrase"):
        open_org_key_file(path, PASSPHRASE + "!")
    doc = json.loads(path.read_text())
    doc["public_key"] = b64e(KemKeyPair.generate().public.raw)
    swapped = tmp_path / "swapped.key"
    swapped.write_text(json.dumps(doc))
    with pytest.raises(OrgKeyFileError, match="damaged"):
        open_org_key_file(swapped, PASSPHRASE)
    (tmp_path / "junk.key").write_bytes(b"\x00garbage")
    with pytest.raises(OrgKeyFileError, match="damaged"):
        open_org_key_file(tmp_path / "junk.key", PASSPHRASE)
    with pytest.raises(OrgKeyFileError, match="no organisation key file"):
        open_org_key_file(tmp_path / "missing.key", PASSPHRASE)


def test_fingerprints_are_short_stable_and_differ() -> None:
    one, two = KemKeyPair.generate(), KemKeyPair.generate()
    assert one.public.fingerprint() == KemPublicKey(one.public.raw).fingerprint()
    assert one.public.fingerprint() != two.public.fingerprint()
    assert len(one.public.fingerprint().split()) == 10
    assert "KemKeyPair(" in repr(one) and one.private_bytes().hex() not in repr(one)
    with pytest.raises(KeyFormatError):
        KemPublicKey(b"\x01" * 10)


HUB = Ed25519PrivateKey.generate()


def _receipt(**overrides: object) -> Receipt:
    args: dict[str, object] = {"hub_seq": 7, "envelope_id": "e1", "case_id": "c1", "rev": 2,
                                   "sha256": "ab" * 32, "stored_at": "2026-03-01T09:00:00.000Z"}
    args.update(overrides)
    return sign_receipt(HUB, **args)  # type: ignore[arg-type]


def test_a_receipt_verifies_for_exactly_what_was_sent() -> None:
    receipt = Receipt.from_bytes(_receipt().to_bytes())
    receipt.verify(HUB.public_key(), envelope_id="e1", sha256="ab" * 32)
    assert receipt.protocol == PROTOCOL and receipt.hub_seq == 7
    with pytest.raises(ReceiptError, match="other bytes"):
        receipt.verify(HUB.public_key(), envelope_id="e1", sha256="cd" * 32)
    with pytest.raises(ReceiptError, match="other bytes"):
        receipt.verify(HUB.public_key(), envelope_id="e2", sha256="ab" * 32)
    with pytest.raises(ReceiptError, match="signature"):
        receipt.verify(Ed25519PrivateKey.generate().public_key(), envelope_id="e1",
                       sha256="ab" * 32)


def test_an_altered_receipt_does_not_verify() -> None:
    doc = _receipt().to_json()
    doc["receipt"]["hub_seq"] = 8
    with pytest.raises(ReceiptError, match="signature"):
        Receipt.from_json(doc).verify(HUB.public_key(), envelope_id="e1", sha256="ab" * 32)


@pytest.mark.parametrize("doc", [None, "ok", {"receipt": {}, "signature": ""},
                                 {"receipt": {"hub_seq": "7"}, "signature": "AA=="}])
def test_anything_else_is_not_a_receipt(doc: object) -> None:
    with pytest.raises(ReceiptError):
        Receipt.from_json(doc)
