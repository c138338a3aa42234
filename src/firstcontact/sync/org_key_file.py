"""The organisation's private sync key in a file for the IT lead to keep offline.

The 96 private bytes are sealed with AES-256-GCM under a key derived from a passphrase with
Argon2id (the approach of the store's own key file); the KDF parameters, salt and nonce are
kept beside it, and the public key with its fingerprint is bound in as associated data, so a
file whose public half was swapped does not open. Format in docs/sync-protocol.md.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from firstcontact.safe_files import write_private_atomic
from firstcontact.sync.keys import KemKeyPair, KemPublicKey, KeyFormatError
from firstcontact.sync.wire import b64d, b64e

FORMAT = "firstcontact-org-key"
VERSION = 1
KEM_NAME = "MLKEM768-X25519"
ENV_FAST_KDF = "FIRSTCONTACT_TEST_FAST_KDF"  # tests only, as the store's
MIN_PASSPHRASE = 12


class OrgKeyFileError(Exception):
    """The file cannot be read, is damaged, or the passphrase is wrong (message says which)."""


@dataclass(frozen=True)
class _Kdf:
    time_cost: int = 3
    memory_cost: int = 65536  # KiB
    parallelism: int = 2


def _kdf() -> _Kdf:
    return _Kdf(1, 1024, 1) if os.environ.get(ENV_FAST_KDF) else _Kdf()


def _aad(public: KemPublicKey) -> bytes:
    return f"{FORMAT} v{VERSION}\0".encode() + public.raw


def _derive(passphrase: str, salt: bytes, kdf: _Kdf) -> bytes:
    return hash_secret_raw(passphrase.encode("utf-8"), salt, time_cost=kdf.time_cost,
                           memory_cost=kdf.memory_cost, parallelism=kdf.parallelism,
                           hash_len=32, type=Type.ID)


def seal_org_key(pair: KemKeyPair, passphrase: str) -> bytes:
    """The file's bytes: JSON with the wrapped private half and the public half."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise OrgKeyFileError(f"the passphrase needs at least {MIN_PASSPHRASE} characters")
    kdf, salt, nonce = _kdf(), secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_derive(passphrase, salt, kdf)).encrypt(nonce, pair.private_bytes(),
                                                           _aad(pair.public))
    doc: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "kem": KEM_NAME,
        "public_key": b64e(pair.public.raw), "fingerprint": pair.public.fingerprint(),
        "wrapped": {"kdf": "argon2id", "time_cost": kdf.time_cost,
                    "memory_cost": kdf.memory_cost, "parallelism": kdf.parallelism,
                    "salt": b64e(salt), "nonce": b64e(nonce), "ciphertext": b64e(sealed)}}
    return json.dumps(doc, indent=1).encode("utf-8")


def write_org_key_file(path: Path, pair: KemKeyPair, passphrase: str) -> None:
    """Write the file (0600, atomically); never over an existing one."""
    if path.exists():
        raise OrgKeyFileError(f"{path} already exists; choose another file")
    write_private_atomic(path, seal_org_key(pair, passphrase))


def read_org_public_key(path: Path) -> KemPublicKey:
    """The public half (no passphrase needed)."""
    return _public(_load(path))


def open_org_key_file(path: Path, passphrase: str) -> KemKeyPair:
    return _open(_load(path), passphrase)


def open_org_key(raw: bytes, passphrase: str) -> KemKeyPair:
    """The same, from the file's bytes (a copy wrapped under a supervisor's one-time code)."""
    return _open(_parse(raw), passphrase)


def _open(doc: dict[str, Any], passphrase: str) -> KemKeyPair:
    public = _public(doc)
    try:
        wrapped = doc["wrapped"]
        kdf = _Kdf(int(wrapped["time_cost"]), int(wrapped["memory_cost"]),
                   int(wrapped["parallelism"]))
        salt, nonce = b64d(wrapped["salt"]), b64d(wrapped["nonce"])
        sealed = b64d(wrapped["ciphertext"])
        if wrapped["kdf"] != "argon2id" or len(nonce) != 12:
            raise ValueError("wrapped")
    except (KeyError, ValueError, TypeError):
        raise OrgKeyFileError("the organisation key file is damaged") from None
    try:
        private = AESGCM(_derive(passphrase, salt, kdf)).decrypt(nonce, sealed, _aad(public))
    except InvalidTag:
        raise OrgKeyFileError("wrong passphrase for the organisation key file") from None
    pair = KemKeyPair(private)
    if pair.public != public:
        raise OrgKeyFileError("the organisation key file is damaged")
    return pair


def _load(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise OrgKeyFileError(f"no organisation key file at {path}") from None
    except OSError as exc:
        raise OrgKeyFileError(f"cannot read {path}: {exc.strerror}") from None
    return _parse(raw)


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise OrgKeyFileError("the organisation key file is damaged") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != VERSION:
        raise OrgKeyFileError("not an organisation key file, or of an unknown version")
    return doc


def _public(doc: dict[str, Any]) -> KemPublicKey:
    try:
        public = KemPublicKey(b64d(doc["public_key"]))
    except (KeyError, ValueError, TypeError, KeyFormatError):
        raise OrgKeyFileError("the organisation key file is damaged") from None
    if doc.get("fingerprint") != public.fingerprint():
        raise OrgKeyFileError("the organisation key file is damaged")
    return public
