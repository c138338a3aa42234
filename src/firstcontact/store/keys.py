"""The data key: random 256 bits, wrapped with AES-256-GCM under a key derived from the
passphrase with Argon2id. Parameters, salt, nonce and a checksum are stored beside it in
``keys.json``.

Every key file is checked before any work: its size, its JSON, the Argon2 parameters (at least
:data:`MIN_KDF`, at most what this machine computes within seconds) and each slot's checksum,
so a damaged slot is "damaged", never a "wrong passphrase". A passphrase change gives the store
a new data key (see ``rotation.py``); the old key file is overwritten in place when it is
replaced.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from firstcontact import strict_json
from firstcontact.i18n import _
from firstcontact.safe_files import overwrite_open_file, write_private_atomic
from firstcontact.store.errors import InvalidValue, KeyFileDamaged, WrongPassphrase

FORMAT_VERSION = 2  # 2: slot checksums, recovery slots carry their public key
READABLE_VERSIONS = (1, 2)
# Tests only: a cheap Argon2 profile. Honoured only inside the test suite, i.e. when pytest
# runs (it sets PYTEST_CURRENT_TEST, which the suite's subprocesses inherit); anywhere else
# setting it is refused, and key files with such weak parameters are refused too.
ENV_FAST_KDF = "FIRSTCONTACT_TEST_FAST_KDF"
ENV_UNDER_TEST = "PYTEST_CURRENT_TEST"
AAD = b"firstcontact data key v1"
MAX_KEY_FILE_BYTES = 64 * 1024


@dataclass(frozen=True)
class KdfParams:
    time_cost: int = 3
    memory_cost: int = 65536  # KiB: 64 MiB
    parallelism: int = 2

    @staticmethod
    def default() -> KdfParams:
        if os.environ.get(ENV_FAST_KDF):
            if not under_test():
                raise InvalidValue(_("{env} is for the test suite only: unset it; nothing was "
                                     "changed").format(env=ENV_FAST_KDF))
            return FAST_KDF
        return KdfParams()


FAST_KDF = KdfParams(time_cost=1, memory_cost=1024, parallelism=1)
# The weakest accepted: OWASP's minimum for Argon2id (19 MiB, 2 passes).
MIN_KDF = KdfParams(time_cost=2, memory_cost=19456, parallelism=1)
# The strongest accepted: a few seconds here at most (the default, 3 passes over 64 MiB, takes
# about 0.2 s), and never more memory than 1 GiB or half of this machine's.
MAX_MEMORY_KIB = 1024 * 1024
MAX_WORK_KIB = 64 * 3 * 65536  # passes × memory: 64 times the default's work
MAX_PARALLELISM = 16


def under_test() -> bool:
    return bool(os.environ.get(ENV_FAST_KDF)) and bool(os.environ.get(ENV_UNDER_TEST))


def _max_memory_kib() -> int:
    try:
        ram_kib = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 1024
    except (ValueError, OSError, AttributeError):
        return MAX_MEMORY_KIB
    return min(MAX_MEMORY_KIB, ram_kib // 2)


def check_params(params: KdfParams) -> None:
    """Refuse parameters too weak to protect the key, or too costly to compute here."""
    weakest = FAST_KDF if under_test() else MIN_KDF
    if params.memory_cost < weakest.memory_cost or params.time_cost < weakest.time_cost \
            or params.parallelism < weakest.parallelism:
        raise KeyFileDamaged(_(
            "the key file's key derivation is weaker than allowed (at least {time} passes over "
            "{memory} KiB): it was not written by firstcontact; restore it from a backup").format(
                time=weakest.time_cost, memory=weakest.memory_cost))
    memory = _max_memory_kib()
    if params.memory_cost > memory or params.parallelism > MAX_PARALLELISM \
            or params.memory_cost * params.time_cost > MAX_WORK_KIB \
            or params.memory_cost < 8 * params.parallelism:
        raise KeyFileDamaged(_(
            "the key file asks for more key derivation work than this machine does in seconds "
            "(at most {memory} KiB and {work} KiB-passes): it is damaged or was not written by "
            "firstcontact; restore it from a backup").format(memory=memory, work=MAX_WORK_KIB))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _checksum(slot: dict[str, Any]) -> str:
    body = {k: v for k, v in slot.items() if k != "check"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(passphrase.encode("utf-8"), salt, time_cost=params.time_cost,
                           memory_cost=params.memory_cost, parallelism=params.parallelism,
                           hash_len=32, type=Type.ID)


def wrap(data_key: bytes, passphrase: str, params: KdfParams | None = None) -> dict[str, Any]:
    params = params or KdfParams.default()
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    ciphertext = AESGCM(_derive(passphrase, salt, params)).encrypt(nonce, data_key, AAD)
    slot: dict[str, Any] = {
        "kdf": "argon2id", "time_cost": params.time_cost, "memory_cost": params.memory_cost,
        "parallelism": params.parallelism, "salt": _b64(salt), "nonce": _b64(nonce),
        "ciphertext": _b64(ciphertext)}
    slot["check"] = _checksum(slot)
    return slot


def _damaged() -> KeyFileDamaged:
    return KeyFileDamaged(_("the key file is damaged; restore it from a backup"))


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("not an integer")
    return value


def parse_slot(slot: object, *, require_check: bool) -> tuple[KdfParams, bytes, bytes, bytes]:
    """(parameters, salt, nonce, ciphertext) of a passphrase slot, every part checked."""
    try:
        if not isinstance(slot, dict):
            raise ValueError("slot")
        params = KdfParams(_int(slot["time_cost"]), _int(slot["memory_cost"]),
                           _int(slot["parallelism"]))
        salt = base64.b64decode(slot["salt"], validate=True)
        nonce = base64.b64decode(slot["nonce"], validate=True)
        ciphertext = base64.b64decode(slot["ciphertext"], validate=True)
        check = slot.get("check")
        if slot["kdf"] != "argon2id" or len(salt) < 16 or len(nonce) != 12 \
                or len(ciphertext) != 48:
            raise ValueError("slot")
        if (check is not None or require_check) and not (
                isinstance(check, str) and secrets.compare_digest(check, _checksum(slot))):
            raise ValueError("checksum")
    except (KeyError, ValueError, TypeError):
        raise _damaged() from None
    check_params(params)
    return params, salt, nonce, ciphertext


def unwrap(slot: dict[str, Any], passphrase: str) -> bytearray:
    params, salt, nonce, ciphertext = parse_slot(slot, require_check=False)
    try:
        return bytearray(AESGCM(_derive(passphrase, salt, params)).decrypt(nonce, ciphertext, AAD))
    except InvalidTag:
        raise WrongPassphrase(_("wrong passphrase")) from None


def new_data_key() -> bytearray:
    return bytearray(secrets.token_bytes(32))


def _check_keys(part: object, require_check: bool) -> None:
    """A document's (or its pending ``next``'s) passphrase slot and recovery list."""
    if not isinstance(part, dict) or not isinstance(part.get("recovery", []), list) \
            or not all(isinstance(s, dict) for s in part.get("recovery", [])):
        raise _damaged()
    parse_slot(part.get("passphrase"), require_check=require_check)


def parse_key_file(raw: bytes) -> dict[str, Any]:
    """A key file's document, checked whole before any key derivation."""
    try:
        doc = strict_json.loads(raw, max_bytes=MAX_KEY_FILE_BYTES, max_depth=8, max_values=500)
    except strict_json.JsonRefused:
        raise _damaged() from None
    if not isinstance(doc, dict) or doc.get("version") not in READABLE_VERSIONS:
        raise KeyFileDamaged(_("the key file is damaged or of an unknown version"))
    require_check = doc["version"] >= 2
    _check_keys(doc, require_check)
    if "next" in doc:
        _check_keys(doc["next"], True)
    return doc


def read_key_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyFileDamaged(_("the key file is missing; restore it from a backup")) from None
    except OSError:
        raise _damaged() from None
    return parse_key_file(raw)


def key_document(passphrase_slot: dict[str, Any], recovery: list[dict[str, Any]] | None = None,
                 pending: dict[str, Any] | None = None) -> dict[str, Any]:
    """A key file's content; ``pending`` is a key change under way (``{"passphrase",
    "recovery"}`` for the new data key)."""
    doc: dict[str, Any] = {"version": FORMAT_VERSION, "cipher": "aes-256-gcm",
                           "passphrase": passphrase_slot, "recovery": recovery or []}
    if pending is not None:
        doc["next"] = pending
    return doc


def write_document(path: Path, doc: dict[str, Any]) -> None:
    """Replace the key file atomically, then overwrite the old one's bytes in place: on a file
    system that writes in place, no old wrapped key is left in free space."""
    try:
        old: int | None = os.open(path, os.O_RDWR | os.O_NOFOLLOW)
    except OSError:
        old = None
    try:
        write_private_atomic(path, json.dumps(doc, indent=1).encode("utf-8"))
        if old is not None:
            overwrite_open_file(old)
    finally:
        if old is not None:
            os.close(old)


def write_key_file(path: Path, passphrase_slot: dict[str, Any],
                   recovery: list[dict[str, Any]] | None = None) -> None:
    write_document(path, key_document(passphrase_slot, recovery))


def wipe(key: bytearray) -> None:
    """Overwrite key bytes in place (best effort in Python)."""
    for i in range(len(key)):
        key[i] = 0
