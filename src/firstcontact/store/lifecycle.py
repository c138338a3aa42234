"""Backup and restore, recovery with the organisation's key, and the emergency wipe."""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import tarfile
import time
from pathlib import Path

from firstcontact.i18n import _
from firstcontact.store import keys, recovery
from firstcontact.store.errors import NoStore, StoreError, StoreExists
from firstcontact.store.facade import Store, _probe
from firstcontact.store.paths import (
    ATTEMPTS_FILE,
    DB_FILE,
    KEY_FILE,
    ensure_private_dir,
    write_private_atomic,
)

BACKUP_FORMAT = "firstcontact-backup"


class BackupError(StoreError):
    pass


def backup(store: Store, out: Path) -> Path:
    """Write ``out``: a tar of the encrypted database copy, the wrapped key file and a small
    manifest. Nothing in it is plaintext case data."""
    staging = out.parent / f".{out.name}.db-{os.getpid()}"
    try:
        store.backup_database(staging)
        buffer = io.BytesIO()
        manifest = json.dumps({"format": BACKUP_FORMAT, "version": 1,
                               "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            for name, data in (("manifest.json", manifest.encode()),
                               (KEY_FILE, (store.data_dir / KEY_FILE).read_bytes()),
                               (DB_FILE, staging.read_bytes())):
                info = tarfile.TarInfo(name)
                info.size, info.mode = len(data), 0o600
                tar.addfile(info, io.BytesIO(data))
        write_private_atomic(out, buffer.getvalue())
    finally:
        staging.unlink(missing_ok=True)
    store.audit("backup-written")
    return out


def _read_backup(path: Path) -> dict[str, bytes]:
    try:
        with tarfile.open(path, mode="r") as tar:
            members = {m.name: m for m in tar.getmembers() if m.isfile()}
            if set(members) != {"manifest.json", KEY_FILE, DB_FILE}:
                raise BackupError(_("not a firstcontact backup"))
            out = {}
            for name, member in members.items():
                fh = tar.extractfile(member)
                if fh is None:
                    raise BackupError(_("not a firstcontact backup"))
                out[name] = fh.read()
    except (OSError, tarfile.TarError):
        raise BackupError(_("cannot read the backup {path}").format(path=path.name)) from None
    manifest = json.loads(out["manifest.json"])
    if manifest.get("format") != BACKUP_FORMAT:
        raise BackupError(_("not a firstcontact backup"))
    return out


def restore(path: Path, data_dir: Path, *, passphrase: str | None = None,
            private_key: Path | None = None, new_passphrase: str | None = None) -> None:
    """Restore into an empty data directory, after checking the backup opens with the
    passphrase (or the organisation's recovery key, then setting ``new_passphrase``)."""
    if Store.exists(data_dir):
        raise StoreExists(_("restore needs an empty data directory: a store is already there"))
    parts = _read_backup(path)
    doc = json.loads(parts[KEY_FILE])
    if private_key is not None:
        key = recovery.unwrap_with(private_key, list(doc.get("recovery", [])))
    else:
        key = keys.unwrap(doc["passphrase"], passphrase or "")
    ensure_private_dir(data_dir)
    staging = data_dir / f".restore-{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    try:
        write_private_atomic(staging / DB_FILE, parts[DB_FILE])
        _probe(staging / DB_FILE, bytes(key))
        if private_key is not None:
            if not new_passphrase:
                raise BackupError(_("a new passphrase is needed to restore with the recovery key"))
            keys.write_key_file(staging / KEY_FILE, keys.wrap(bytes(key), new_passphrase),
                                list(doc.get("recovery", [])))
        else:
            write_private_atomic(staging / KEY_FILE, parts[KEY_FILE])
        os.replace(staging / DB_FILE, data_dir / DB_FILE)
        os.replace(staging / KEY_FILE, data_dir / KEY_FILE)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        keys.wipe(key)


def recover(data_dir: Path, private_key: Path, new_passphrase: str) -> None:
    """Set a new passphrase with the organisation's private recovery key."""
    if not Store.exists(data_dir):
        raise NoStore(_("no store here"))
    path = data_dir / KEY_FILE
    doc = keys.read_key_file(path)
    key = recovery.unwrap_with(private_key, list(doc.get("recovery", [])))
    try:
        _probe(data_dir / DB_FILE, bytes(key))
        keys.write_key_file(path, keys.wrap(bytes(key), new_passphrase), doc.get("recovery", []))
    finally:
        keys.wipe(key)
    (data_dir / ATTEMPTS_FILE).unlink(missing_ok=True)
    store = Store.unlock(data_dir, new_passphrase)
    store.audit("recovered")
    store.close()


def wipe(data_dir: Path) -> float:
    """Crypto-erase: destroy the wrapped keys first (the data is unreadable from then on),
    then delete the files. Returns the seconds it took."""
    start = time.perf_counter()
    key_file = data_dir / KEY_FILE
    if key_file.exists():
        size = max(key_file.stat().st_size, 4096)
        with key_file.open("r+b") as fh:
            fh.write(secrets.token_bytes(size))
            fh.flush()
            os.fsync(fh.fileno())
        key_file.unlink()
    for name in (DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm", ATTEMPTS_FILE):
        (data_dir / name).unlink(missing_ok=True)
    for leftover in data_dir.glob(".*.tmp-*"):
        leftover.unlink(missing_ok=True)
    return time.perf_counter() - start
