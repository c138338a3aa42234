"""Envelopes: sealed to the organisation key (HPKE, ML-KEM-768+X25519), header bound in,
padded, signed by the device; the hub checks the signature without the key to open it."""

from __future__ import annotations

import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from firstcontact.sync import padding
from firstcontact.sync.envelope import (
    MAGIC,
    EnvelopeError,
    EnvelopeHeader,
    SealedEnvelope,
    open_envelope,
    read_header,
    seal,
    verify,
)
from firstcontact.sync.keys import KemKeyPair

ORG = KemKeyPair.generate()
DEVICE = Ed25519PrivateKey.generate()


def _seal(plaintext: bytes = b"case snapshot", **overrides: object) -> SealedEnvelope:
    args: dict[str, object] = {"case_id": str(uuid.uuid4()), "rev": 2, "base_rev": 1,
                                   "device_id": str(uuid.uuid4()), "org_key": ORG.public,
                                   "signing_key": DEVICE}
    args.update(overrides)
    return seal(plaintext, **args)  # type: ignore[arg-type]


def test_round_trip_and_what_the_hub_sees() -> None:
    sealed = _seal(b"Survivor said: 'I want to go home'")
    header = verify(sealed.data, DEVICE.public_key())
    assert header == sealed.header
    assert set(header.__dataclass_fields__) == {
        "envelope_id", "case_id", "rev", "base_rev", "device_id", "sealed_at", "padded_size", "v"}
    assert b"go home" not in sealed.data
    assert open_envelope(sealed.data, ORG, DEVICE.public_key()).plaintext == \
        b"Survivor said: 'I want to go home'"


def test_sealing_twice_gives_other_bytes_so_the_outbox_must_keep_them() -> None:
    same = {"envelope_id": str(uuid.UUID(int=1)), "case_id": str(uuid.UUID(int=2)),
                "device_id": str(uuid.UUID(int=3))}
    one, two = _seal(**same), _seal(**same)
    assert one.header.envelope_id == two.header.envelope_id
    assert one.data != two.data  # fresh HPKE ephemeral keys each time


@pytest.mark.parametrize("where", ["header", "ciphertext", "signature", "length"])
def test_a_flipped_byte_is_refused_by_the_signature_check(where: str) -> None:
    sealed = _seal()
    data = bytearray(sealed.data)
    index = {"header": len(MAGIC) + 4 + 10, "ciphertext": len(data) // 2,
             "signature": len(data) - 5, "length": len(MAGIC) + 3}[where]
    data[index] ^= 0x01
    with pytest.raises(EnvelopeError) as refused:
        verify(bytes(data), DEVICE.public_key())
    assert refused.value.code in ("bad-signature", "malformed")


def test_another_devices_signature_is_refused() -> None:
    with pytest.raises(EnvelopeError, match="signature") as refused:
        verify(_seal().data, Ed25519PrivateKey.generate().public_key())
    assert refused.value.code == "bad-signature"


def test_the_header_is_bound_to_the_ciphertext() -> None:
    """A hub (or anyone) that moves a ciphertext under another header, and re-signs it with a
    stolen device key, still gets nothing that opens."""
    from firstcontact.sync import envelope as module

    victim, other = _seal(b"victim's case"), _seal(b"other")
    parts_v, parts_o = module._split(victim.data), module._split(other.data)
    body = (MAGIC + module._U32.pack(len(parts_o.header_bytes)) + parts_o.header_bytes
            + module._U32.pack(len(parts_v.ciphertext)) + parts_v.ciphertext)
    forged = body + DEVICE.sign(module._SIGN_LABEL + body)
    assert verify(forged, DEVICE.public_key()) == other.header
    with pytest.raises(EnvelopeError) as refused:
        open_envelope(forged, ORG, DEVICE.public_key())
    assert refused.value.code == "cannot-decrypt"


def test_only_the_organisation_key_opens() -> None:
    with pytest.raises(EnvelopeError) as refused:
        open_envelope(_seal().data, KemKeyPair.generate(), DEVICE.public_key())
    assert refused.value.code == "cannot-decrypt"


@pytest.mark.parametrize("bad", [
    {"rev": 0, "base_rev": 0}, {"rev": 3, "base_rev": 3}, {"case_id": "CASE-2026-001"},
    {"device_id": "7D3C7D4E-0000-4000-8000-000000000001"}])
def test_headers_out_of_form_are_refused_when_sealing(bad: dict[str, object]) -> None:
    with pytest.raises(EnvelopeError):
        _seal(**bad)


def test_a_header_with_extra_fields_is_malformed() -> None:
    raw = _seal().header.to_bytes()
    with pytest.raises(EnvelopeError, match="other fields"):
        EnvelopeHeader.from_bytes(raw[:-1] + b',"name":"Ann"}')
    with pytest.raises(EnvelopeError):
        read_header(b"FCE1" + b"\0" * 80)
    with pytest.raises(EnvelopeError, match="not an envelope"):
        read_header(b"<html>")


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=70_000))
def test_padding_round_trips_and_hides_the_size(plaintext: bytes) -> None:
    padded = padding.pad(plaintext)
    assert padding.unpad(padded) == plaintext
    assert len(padded) >= padding.MIN_PADDED
    assert len(padded) <= max(padding.MIN_PADDED, (len(plaintext) + 4) * 1.12 + 1)


def test_short_cases_all_look_alike_and_sizes_fall_into_few_buckets() -> None:
    assert {len(_seal(b"x" * n).data) for n in (0, 10, 500, 3000)} == {len(_seal(b"").data)}
    buckets = {padding.padded_size(n) for n in range(20_000, 22_000)}
    assert len(buckets) <= 3


def test_damaged_padding_is_refused() -> None:
    padded = bytearray(padding.pad(b"abc"))
    padded[-1] = 1
    with pytest.raises(padding.PaddingError):
        padding.unpad(bytes(padded))
