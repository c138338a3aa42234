"""Organisation recovery: the data key also wrapped to the organisation's RSA public key
(RSA-OAEP, SHA-256), so a forgotten passphrase can be replaced with the private key, which
the organisation keeps offline."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from firstcontact.i18n import _
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
    """Write a new key pair (private key 0600); refuses to overwrite."""
    directory.mkdir(parents=True, exist_ok=True)
    public, private = directory / PUBLIC_NAME, directory / PRIVATE_NAME
    if public.exists() or private.exists():
        raise RecoveryKeyError(_("a recovery key already exists in {directory}; it was kept")
                               .format(directory=directory))
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    public.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return public, private


def _public(path: Path) -> rsa.RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError):
        raise RecoveryKeyError(_("cannot read a public recovery key from {path}")
                               .format(path=path)) from None
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < 2048:
        raise RecoveryKeyError(_("the recovery key must be an RSA public key of 2048 bits or more"))
    return key


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


def wrap_for(public_path: Path, data_key: bytes) -> dict[str, Any]:
    key = _public(public_path)
    return {"kind": KIND, "fingerprint": fingerprint(key),
            "ciphertext": base64.b64encode(key.encrypt(data_key, _oaep())).decode("ascii")}


def unwrap_with(private_path: Path, slots: list[dict[str, Any]]) -> bytearray:
    key = _private(private_path)
    wanted = fingerprint(key.public_key())
    slot = next((s for s in slots if s.get("fingerprint") == wanted), None)
    if slot is None:
        raise RecoveryKeyError(_("this store has no recovery slot for that key"))
    try:
        return bytearray(key.decrypt(base64.b64decode(slot["ciphertext"]), _oaep()))
    except (ValueError, KeyError):
        raise KeyFileDamaged(_("the recovery slot of the key file is damaged")) from None
