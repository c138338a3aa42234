"""A new data key whenever the key file is rewritten (``passwd``, ``recover``, ``restore``), so
an old wrapped key — in a backup, or in free blocks of the disk — opens nothing current.

SQLCipher's ``PRAGMA rekey`` re-encrypts every page in one write transaction. In WAL mode (the
store's) the re-encrypted pages go to the WAL as the transaction spills and at its commit: the
WAL grows to about the database's size, and its growth is the progress reported. A crash before
the commit leaves the database under the old key, after it under the new one; the checkpoint
that follows writes the pages over the old ones in place.

The key file holds both keys while the database changes: the current document plus ``next``
(the new key, wrapped for the new passphrase and the recovery keys). Unlocking such a file
finds which key opens the database and finishes the change either way.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from firstcontact.i18n import _
from firstcontact.store import keys
from firstcontact.store.db import damaged, probe, rekey_connection
from firstcontact.store.errors import StoreDamaged, StoreError
from firstcontact.store.space import disk_full, free_bytes, is_disk_full

Progress = Callable[[float], None]
WAL_HEADER, FRAME_HEADER = 32, 24
POLL_SECONDS = 0.05


def _no_progress(_fraction: float) -> None:
    pass


def _wal_pages(db_path: Path, page_size: int) -> int:
    try:
        size = os.path.getsize(f"{db_path}-wal")
    except OSError:
        return 0
    return max(0, size - WAL_HEADER) // (page_size + FRAME_HEADER)


def rekey_database(db_path: Path, old: bytes, new: bytes, progress: Progress | None = None
                   ) -> None:
    """Re-encrypt the database from ``old`` to ``new`` (nobody else may have it open), calling
    ``progress`` with the fraction done (0 to 1) on this thread as the pages are written."""
    report = progress or _no_progress
    conn = rekey_connection(db_path, old)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # start from an empty WAL
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        if free_bytes(db_path.parent) < pages * (page_size + FRAME_HEADER) + 1024 * 1024:
            raise StoreError(_("there is not enough free space to re-encrypt the store (about "
                               "{mb} MB needed); nothing was changed").format(
                                   mb=pages * page_size // 1_000_000 + 1))
        failure: list[BaseException] = []

        def work() -> None:
            try:
                conn.execute(f"PRAGMA rekey = \"x'{new.hex()}'\"")
            except BaseException as exc:  # re-raised on the calling thread
                failure.append(exc)

        report(0.0)
        worker = threading.Thread(target=work, name="rekey")
        worker.start()
        while worker.is_alive():
            worker.join(POLL_SECONDS)
            report(min(0.99, _wal_pages(db_path, page_size) / max(pages, 1)))
        if failure:
            if is_disk_full(failure[0], db_path.parent):
                raise disk_full() from None
            raise failure[0]
        # best effort: the committed pages are safe in the WAL until a later checkpoint (a full
        # disk, say: the next open checkpoints)
        with contextlib.suppress(sqlcipher3.Error):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        report(1.0)
    finally:
        conn.close()


def _settled(part: dict[str, Any]) -> dict[str, Any]:
    return keys.key_document(part["passphrase"], list(part.get("recovery", [])))


def rotate(db_path: Path, key_path: Path, key: bytearray, doc: dict[str, Any],
           new_part: Callable[[bytes], dict[str, Any]], progress: Progress | None = None
           ) -> None:
    """Give the database a new data key; ``key`` (the current one, e.g. an open store's buffer)
    holds the new key afterwards. ``new_part(new_key)`` wraps it: ``{"passphrase": slot,
    "recovery": [slots]}``. Nobody else may have the database open."""
    new_key = keys.new_data_key()
    current = _settled(doc)
    try:
        pending = new_part(bytes(new_key))  # Argon2 and RSA first: nothing is touched yet
        keys.write_document(key_path, {**current, "next": pending})
        try:
            rekey_database(db_path, bytes(key), bytes(new_key), progress)
        except BaseException:
            if _still_old(db_path, bytes(new_key)):
                keys.write_document(key_path, current)  # nothing changed: forget the new key
            raise  # otherwise the key file keeps both keys: the next unlock settles it
        key[:] = new_key
        keys.write_document(key_path, _settled(pending))
    finally:
        keys.wipe(new_key)


def _still_old(db_path: Path, new_key: bytes) -> bool:
    """After a failed rekey: is the database certainly still under the old key?"""
    try:
        probe(db_path, new_key)
    except StoreDamaged:
        return True
    except StoreError:
        return False  # cannot tell (e.g. a full disk)
    return False

Unwrapper = Callable[[dict[str, Any]], bytearray]
Found = list[tuple[dict[str, Any], bytearray]]


@dataclass
class Opened:
    key: bytearray
    disk_full: bool  # too full to open the database shared (see ``db.probe``)
    document: dict[str, Any]  # the key file as it should be: the part whose key opens it
    interrupted: bool  # a key change was interrupted: write ``document`` to settle it


def unwrap_parts(doc: dict[str, Any], unwrap: Unwrapper) -> Found:
    """The keys ``unwrap`` (passphrase or recovery key) opens in the key file and, after an
    interrupted key change, in its pending part; raises the refusal when it opens none."""
    found: Found = []
    refusal: StoreError | None = None
    for part in [doc] + ([doc["next"]] if "next" in doc else []):
        try:
            found.append((part, unwrap(part)))
        except StoreError as exc:
            refusal = refusal or exc
    if not found and refusal is not None:
        raise refusal
    return found


def choose(found: Found, db_path: Path, interrupted: bool) -> Opened:
    """The found key that opens the database (every other one is wiped)."""
    chosen: Opened | None = None
    for part, candidate in found:
        if chosen is None:
            try:
                full = probe(db_path, bytes(candidate))
                chosen = Opened(candidate, full, _settled(part), interrupted)
                continue
            except StoreDamaged:
                pass
        keys.wipe(candidate)
    if chosen is not None:
        return chosen
    if interrupted:
        raise StoreDamaged(_("a passphrase change was interrupted: unlock with the other "
                             "passphrase (the one before the change, or the new one)"))
    raise damaged()


def open_key(doc: dict[str, Any], db_path: Path, unwrap: Unwrapper) -> Opened:
    return choose(unwrap_parts(doc, unwrap), db_path, "next" in doc)
