"""Organisation recovery: the data key also wrapped to the organisation's RSA public key
(RSA-OAEP, SHA-256), so a forgotten passphrase can be replaced with the private key, which
the organisation keeps offline."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from firstcontact.i18n import _
from firstcontact.safe_files import private_dir, write_private_atomic
from firstcontact.store.errors import KeyFileDamaged, StoreError

KIND = "rsa-oaep-sha256"
KEY_BITS = 3072
PUBLIC_NAME = "firstcontact-recovery.pub"
PRIVATE_NAME = "firstcontact-recovery.key"


class RecoveryKeyError(StoreError):
    pass


def _oaep() -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def create_key_pair(directory: Path) -> tuple[Path, Path]:
    """Write a new key pair (folder 0700, both files 0600 whatever the umask); refuses to
    overwrite. A folder made here is 0700; an existing one is left as it is."""
    if not directory.exists():
        private_dir(directory)
    public, private = directory / PUBLIC_NAME, directory / PRIVATE_NAME
    if public.exists() or private.exists():
        raise RecoveryKeyError(_("a recovery key already exists in {directory}; it was kept")
                               .format(directory=directory))
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    write_private_atomic(private, pem, replace=False)
    write_private_atomic(public, _pem(key.public_key()), replace=False)
    return public, private


def _pem(key: rsa.RSAPublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def _load_public(pem: bytes) -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < 2048:
        raise RecoveryKeyError(_("the recovery key must be an RSA public key of 2048 bits or more"))
    return key


def load_public_key(path: Path) -> rsa.RSAPublicKey:
    try:
        pem = path.read_bytes()
        return _load_public(pem)
    except (OSError, ValueError):
        raise RecoveryKeyError(_("cannot read a public recovery key from {path}")
                               .format(path=path)) from None


def _private(path: Path) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        raise RecoveryKeyError(_("cannot read a private recovery key from {path}")
                               .format(path=path)) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise RecoveryKeyError(_("the recovery key must be an RSA private key"))
    return key


def fingerprint(key: rsa.RSAPublicKey) -> str:
    der = key.public_bytes(serialization.Encoding.DER,
                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:32]


def _wrap(key: rsa.RSAPublicKey, data_key: bytes) -> dict[str, Any]:
    return {"kind": KIND, "fingerprint": fingerprint(key),
            "ciphertext": base64.b64encode(key.encrypt(data_key, _oaep())).decode("ascii"),
            "public_key": _pem(key).decode("ascii")}


def wrap_for(public_path: Path, data_key: bytes) -> dict[str, Any]:
    return _wrap(load_public_key(public_path), data_key)


def unwrap_with(private_path: Path, slots: list[dict[str, Any]]) -> bytearray:
    key = _private(private_path)
    wanted = fingerprint(key.public_key())
    slot = next((s for s in slots if s.get("fingerprint") == wanted), None)
    if slot is None:
        raise RecoveryKeyError(_("this store has no recovery slot for that key"))
    try:
        return bytearray(key.decrypt(base64.b64decode(slot["ciphertext"]), _oaep()))
    except (ValueError, KeyError, TypeError):
        raise KeyFileDamaged(_("the recovery slot of the key file is damaged")) from None


def public_key_of(private_path: Path) -> rsa.RSAPublicKey:
    return _private(private_path).public_key()


def rewrap(slots: list[dict[str, Any]], data_key: bytes,
           known: rsa.RSAPublicKey | None = None) -> list[dict[str, Any]]:
    """The recovery slots again, for a new data key: each slot's own public key (``known``
    stands in for a slot written before slots carried theirs)."""
    out = []
    for slot in slots:
        if known is not None and slot.get("fingerprint") == fingerprint(known):
            key = known
        else:
            try:
                key = _load_public(str(slot["public_key"]).encode("ascii"))
            except (KeyError, ValueError, UnicodeEncodeError):
                raise RecoveryKeyError(_(
                    "the organisation's recovery slot was written by an earlier version and "
                    "cannot follow a key change: give its public key with --recovery-key "
                    "ORG.pub; nothing was changed")) from None
            if fingerprint(key) != slot.get("fingerprint"):
                raise KeyFileDamaged(_("the recovery slot of the key file is damaged"))
        out.append(_wrap(key, data_key))
    return out
