"""Backup and restore, recovery with the organisation's key, and the emergency wipe."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric import rsa

from firstcontact import strict_json
from firstcontact.i18n import _
from firstcontact.safe_files import atomic_file, fsync_dir, shred
from firstcontact.store import keys, recovery, rotation
from firstcontact.store.errors import NoStore, StoreError, StoreExists
from firstcontact.store.facade import Store
from firstcontact.store.leftovers import destroy, settle
from firstcontact.store.lock import StoreLock
from firstcontact.store.paths import (
    ATTEMPTS_FILE,
    DB_FILE,
    KEY_FILE,
    RESTORE_PREFIX,
    STORE_FILES,
    ensure_private_dir,
    leftovers,
    refuse_output_in_store,
    store_files,
)
from firstcontact.store.space import free_bytes

BACKUP_FORMAT = "firstcontact-backup"
BACKUP_VERSION = 2  # 2: sizes and SHA-256 of both files, the audit log's head
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 64 * 1024
MAX_DATABASE_BYTES = 8 * 1024**3  # the hard cap, whatever a manifest says
CHUNK = 1024 * 1024
COMPRESSED = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz",
              b"\x28\xb5\x2f\xfd": "zstd"}


class BackupError(StoreError):
    pass


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _add(tar: tarfile.TarFile, name: str, size: int, fileobj: IO[bytes]) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    tar.addfile(info, fileobj)


def backup(store: Store, out: Path, *, replace: bool = True) -> Path:
    """Write ``out``: a tar of a manifest (sizes and SHA-256 of the files, the audit log's
    head), the wrapped key file and the encrypted database copy. Nothing in it is plaintext
    case data. The copy is staged in a private folder beside ``out``, never in the store."""
    refuse_output_in_store(out, store.data_dir)
    key_file = (store.data_dir / KEY_FILE).read_bytes()
    try:
        staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=".firstcontact-backup-"))
    except OSError as exc:
        raise _write_error(out, exc) from None
    try:
        copy = staging / DB_FILE
        old_umask = os.umask(0o077)
        try:
            store.backup_database(copy)
        finally:
            os.umask(old_umask)
        events, head = store.audit_head()
        manifest = json.dumps({
            "format": BACKUP_FORMAT, "version": BACKUP_VERSION,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "files": {KEY_FILE: {"size": len(key_file),
                                 "sha256": hashlib.sha256(key_file).hexdigest()},
                      DB_FILE: {"size": copy.stat().st_size, "sha256": _sha256_of(copy)}},
            "audit": {"events": events, "head": head}}).encode()
        with atomic_file(out, replace=replace) as fh, \
                tarfile.open(fileobj=fh, mode="w", format=tarfile.USTAR_FORMAT) as tar:
            _add(tar, MANIFEST, len(manifest), io.BytesIO(manifest))
            _add(tar, KEY_FILE, len(key_file), io.BytesIO(key_file))
            with copy.open("rb") as db:
                _add(tar, DB_FILE, copy.stat().st_size, db)
    except OSError as exc:
        raise _write_error(out, exc) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    store.audit("backup-written")
    return out


def _write_error(out: Path, exc: OSError) -> BackupError:
    if isinstance(exc, FileExistsError):
        return BackupError(_("{path} already exists; nothing was written").format(path=out))
    return BackupError(_("could not write {path}: {reason}").format(
        path=out, reason=exc.strerror or type(exc).__name__))


class _BackupReader:
    """The three members of a backup, in their order, each checked before it is read: a plain
    file with the expected name, within its cap and of the size the manifest gives. Only the
    headers are parsed (``TarInfo.frombuf``): no extension header is ever read into memory."""

    def __init__(self, fh: IO[bytes], path: Path) -> None:
        self._fh = fh
        self._path = path

    def _not_a_backup(self) -> BackupError:
        return BackupError(_("{path} is not a firstcontact backup").format(path=self._path.name))

    def _header(self, name: str, cap: int, expected: int | None) -> int:
        block = self._fh.read(tarfile.BLOCKSIZE)
        if len(block) < tarfile.BLOCKSIZE:
            raise self._not_a_backup()
        try:
            info = tarfile.TarInfo.frombuf(block, "utf-8", "strict")
        except (tarfile.HeaderError, UnicodeDecodeError):
            raise self._not_a_backup() from None
        if info.name != name or info.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
            raise self._not_a_backup()
        if info.size > cap:
            raise BackupError(_("the backup's {name} is larger than {limit} bytes: it is "
                                "damaged or not a firstcontact backup").format(
                                    name=name, limit=f"{cap:,}"))
        if expected is not None and info.size != expected:
            raise BackupError(_("the backup's {name} does not match its manifest: the backup "
                                "is damaged").format(name=name))
        return info.size

    def _skip_padding(self, size: int) -> None:
        self._fh.read(-size % tarfile.BLOCKSIZE)

    def read(self, name: str, cap: int, expected: int | None = None) -> bytes:
        size = self._header(name, cap, expected)
        data = self._fh.read(size)
        if len(data) != size:
            raise self._not_a_backup()
        self._skip_padding(size)
        return data

    def copy(self, name: str, cap: int, expected: int | None, target: Path) -> str:
        """Stream a member into ``target`` (0600); returns its SHA-256."""
        size = self._header(name, cap, expected)
        if size + CHUNK > free_bytes(target.parent):
            raise BackupError(_("there is not enough free space to restore ({mb} MB needed)")
                              .format(mb=size // 1_000_000 + 1))
        digest, left = hashlib.sha256(), size
        with atomic_file(target) as out:
            while left:
                chunk = self._fh.read(min(CHUNK, left))
                if not chunk:
                    raise self._not_a_backup()
                digest.update(chunk)
                out.write(chunk)
                left -= len(chunk)
        self._skip_padding(size)
        return digest.hexdigest()


def _manifest(raw: bytes) -> dict[str, Any]:
    try:
        doc = strict_json.loads(raw, max_bytes=MAX_MANIFEST_BYTES, max_depth=6, max_values=200)
    except strict_json.JsonRefused as exc:
        raise BackupError(_("the backup's manifest is damaged: {why}").format(
            why=exc.message)) from None
    if not isinstance(doc, dict) or doc.get("format") != BACKUP_FORMAT:
        raise BackupError(_("not a firstcontact backup"))
    if doc.get("version") == 1:
        return {}
    files = doc.get("files")
    if doc.get("version") != BACKUP_VERSION or not isinstance(files, dict) or not all(
            isinstance(files.get(n), dict) and type(files[n].get("size")) is int
            and isinstance(files[n].get("sha256"), str) for n in (KEY_FILE, DB_FILE)):
        raise BackupError(_("the backup's manifest is damaged or of an unknown version"))
    return files


def _refuse_compressed(fh: IO[bytes], path: Path) -> None:
    start = fh.read(6)
    fh.seek(0)
    for magic, kind in COMPRESSED.items():
        if start.startswith(magic):
            raise BackupError(_("{path} is compressed ({kind}): firstcontact reads only the "
                                "uncompressed backups it writes — decompress it first").format(
                                    path=path.name, kind=kind))


def restore(path: Path, data_dir: Path, *, passphrase: str | None = None,
            private_key: Path | None = None, new_passphrase: str | None = None,
            recovery_public_key: Path | None = None,
            progress: rotation.Progress | None = None) -> None:
    """Restore into a data directory holding no store file at all, after checking the backup
    opens with the passphrase (or the organisation's recovery key, then setting
    ``new_passphrase``). The restored store gets a new data key."""
    found = store_files(data_dir)
    if found:
        raise StoreExists(_("restore needs a data directory without store files; {dir} holds "
                            "{names}: choose another directory, or wipe this one first").format(
                                dir=data_dir, names=", ".join(found)))
    if private_key is not None and not new_passphrase:
        raise BackupError(_("a new passphrase is needed to restore with the recovery key"))
    try:
        fh = path.open("rb")
    except OSError:
        raise BackupError(_("cannot read the backup {path}").format(path=path.name)) from None
    found_keys: rotation.Found = []
    with fh:
        _refuse_compressed(fh, path)
        reader = _BackupReader(fh, path)
        files = _manifest(reader.read(MANIFEST, MAX_MANIFEST_BYTES))
        sizes = {n: files[n]["size"] for n in files}
        doc = keys.parse_key_file(reader.read(KEY_FILE, keys.MAX_KEY_FILE_BYTES,
                                              sizes.get(KEY_FILE)))
        if private_key is not None:
            key_path = private_key
            found_keys = rotation.unwrap_parts(doc, lambda part: recovery.unwrap_with(
                key_path, list(part.get("recovery", []))))
        else:
            found_keys = rotation.unwrap_parts(
                doc, lambda part: keys.unwrap(part["passphrase"], passphrase or ""))
        ensure_private_dir(data_dir)
        staging = Path(tempfile.mkdtemp(dir=data_dir, prefix=RESTORE_PREFIX))
        try:
            sha = reader.copy(DB_FILE, MAX_DATABASE_BYTES, sizes.get(DB_FILE), staging / DB_FILE)
            if files and sha != files[DB_FILE]["sha256"]:
                raise BackupError(_("the backup's database does not match its manifest: the "
                                    "backup is damaged"))
            _restore_staged(staging, data_dir, found_keys, doc,
                            (new_passphrase or "") if private_key is not None else passphrase or "",
                            recovery.public_key_of(private_key) if private_key is not None
                            else recovery.load_public_key(recovery_public_key)
                            if recovery_public_key is not None else None, progress)
        finally:
            destroy(staging)
            for _part, key in found_keys:
                keys.wipe(key)


def _restore_staged(staging: Path, data_dir: Path, found: rotation.Found, doc: dict[str, Any],
                    passphrase: str, known: rsa.RSAPublicKey | None,
                    progress: rotation.Progress | None) -> None:
    """Check the staged database opens, give it a new data key, then move it into place: the
    database first, the key file last (a restore stopped between the two renames is finished
    at the next open)."""
    opened = rotation.choose(found, staging / DB_FILE, "next" in doc)
    recovery_slots = list(opened.document.get("recovery", []))
    rotation.rotate(staging / DB_FILE, staging / KEY_FILE, opened.key, opened.document,
                    lambda key: {"passphrase": keys.wrap(key, passphrase),
                                 "recovery": recovery.rewrap(recovery_slots, key, known)},
                    progress)
    wal = Path(f"{staging / DB_FILE}-wal")
    if wal.exists() and wal.stat().st_size:  # the WAL could not be folded in: no room
        raise BackupError(_("there is not enough free space to finish restoring; nothing "
                            "was restored"))
    os.replace(staging / DB_FILE, data_dir / DB_FILE)
    os.replace(staging / KEY_FILE, data_dir / KEY_FILE)
    fsync_dir(data_dir)


def recover(data_dir: Path, private_key: Path, new_passphrase: str,
            progress: rotation.Progress | None = None) -> None:
    """Set a new passphrase with the organisation's private recovery key (and a new data key);
    needs the store alone."""
    if not Store.exists(data_dir):
        raise NoStore(_("no store here"))
    public = recovery.public_key_of(private_key)
    lock = StoreLock(data_dir)
    try:
        lock.exclusive()
        settle(data_dir)
        path, db_path = data_dir / KEY_FILE, data_dir / DB_FILE
        doc = keys.read_key_file(path)
        opened = rotation.open_key(doc, db_path, lambda part: recovery.unwrap_with(
            private_key, list(part.get("recovery", []))))
        slots = list(opened.document.get("recovery", []))
        try:
            rotation.rotate(db_path, path, opened.key, opened.document, lambda key: {
                "passphrase": keys.wrap(key, new_passphrase),
                "recovery": recovery.rewrap(slots, key, public)}, progress)
        finally:
            keys.wipe(opened.key)
    finally:
        lock.release()
    (data_dir / ATTEMPTS_FILE).unlink(missing_ok=True)
    store = Store.unlock(data_dir, new_passphrase)
    store.audit("recovered", detail="data key replaced")
    store.close()


def wipe(data_dir: Path) -> float:
    """Crypto-erase: overwrite the wrapped keys in place first (the data is unreadable from
    then on), staged and temporary key files included, then delete every file the store made
    here. Returns the seconds it took."""
    start = time.perf_counter()
    shred(data_dir / KEY_FILE)
    for leftover in leftovers(data_dir):
        destroy(leftover)
    for name in STORE_FILES:
        (data_dir / name).unlink(missing_ok=True)
    return time.perf_counter() - start

