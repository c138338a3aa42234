"""The data key: random 256 bits, wrapped with AES-256-GCM under a key derived from the
passphrase with Argon2id. Parameters, salt and nonce are stored beside it in ``keys.json``.
A passphrase change re-wraps the key; the database is never re-encrypted."""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from firstcontact.i18n import _
from firstcontact.store.errors import KeyFileDamaged, WrongPassphrase
from firstcontact.store.paths import write_private_atomic

FORMAT_VERSION = 1
ENV_FAST_KDF = "FIRSTCONTACT_TEST_FAST_KDF"  # tests only: a cheap Argon2 profile
AAD = b"firstcontact data key v1"


@dataclass(frozen=True)
class KdfParams:
    time_cost: int = 3
    memory_cost: int = 65536  # KiB: 64 MiB
    parallelism: int = 2

    @staticmethod
    def default() -> KdfParams:
        if os.environ.get(ENV_FAST_KDF):
            return KdfParams(time_cost=1, memory_cost=1024, parallelism=1)
        return KdfParams()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(passphrase.encode("utf-8"), salt, time_cost=params.time_cost,
                           memory_cost=params.memory_cost, parallelism=params.parallelism,
                           hash_len=32, type=Type.ID)


def wrap(data_key: bytes, passphrase: str, params: KdfParams | None = None) -> dict[str, Any]:
    params = params or KdfParams.default()
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    ciphertext = AESGCM(_derive(passphrase, salt, params)).encrypt(nonce, data_key, AAD)
    return {"kdf": "argon2id", "time_cost": params.time_cost,
            "memory_cost": params.memory_cost, "parallelism": params.parallelism,
            "salt": _b64(salt), "nonce": _b64(nonce), "ciphertext": _b64(ciphertext)}


def unwrap(slot: dict[str, Any], passphrase: str) -> bytearray:
    try:
        params = KdfParams(int(slot["time_cost"]), int(slot["memory_cost"]),
                           int(slot["parallelism"]))
        salt = base64.b64decode(slot["salt"], validate=True)
        nonce = base64.b64decode(slot["nonce"], validate=True)
        ciphertext = base64.b64decode(slot["ciphertext"], validate=True)
        if slot["kdf"] != "argon2id" or len(nonce) != 12 or len(ciphertext) != 48:
            raise ValueError("slot")
    except (KeyError, ValueError, TypeError):
        raise KeyFileDamaged(_("the key file is damaged; restore it from a backup")) from None
    try:
        return bytearray(AESGCM(_derive(passphrase, salt, params)).decrypt(nonce, ciphertext, AAD))
    except InvalidTag:
        raise WrongPassphrase(_("wrong passphrase")) from None


def new_data_key() -> bytearray:
    return bytearray(secrets.token_bytes(32))


def read_key_file(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise KeyFileDamaged(_("the key file is missing; restore it from a backup")) from None
    except (ValueError, UnicodeDecodeError):
        raise KeyFileDamaged(_("the key file is damaged; restore it from a backup")) from None
    if not isinstance(doc, dict) or doc.get("version") != FORMAT_VERSION \
            or not isinstance(doc.get("passphrase"), dict):
        raise KeyFileDamaged(_("the key file is damaged or of an unknown version")) from None
    return doc


def write_key_file(path: Path, passphrase_slot: dict[str, Any],
                   recovery: list[dict[str, Any]] | None = None) -> None:
    doc = {"version": FORMAT_VERSION, "cipher": "aes-256-gcm", "passphrase": passphrase_slot,
           "recovery": recovery or []}
    write_private_atomic(path, json.dumps(doc, indent=1).encode("utf-8"))


def wipe(key: bytearray) -> None:
    """Overwrite key bytes in place (best effort in Python)."""
    for i in range(len(key)):
        key[i] = 0
