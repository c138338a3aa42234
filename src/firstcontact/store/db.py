"""SQLCipher 4 through SQLAlchemy: the raw data key and safe settings on every connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from firstcontact.i18n import _
from firstcontact.store.errors import StoreBusy, StoreClosed, StoreDamaged
from firstcontact.store.space import disk_full, is_disk_full

WRITE_OPTION = "firstcontact_write"
PRAGMAS = (
    "PRAGMA cipher_memory_security = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA busy_timeout = 5000",  # another process (GUI, CLI, backup) may hold the lock
)
SQLITE_BUSY = 5
# A store on a disk too full for SQLite's shared-memory file is opened by one connection that
# keeps the WAL index in its own memory (it holds the database alone while open).
EXCLUSIVE = "PRAGMA locking_mode = EXCLUSIVE"


def _silence_logging(conn: Any) -> None:
    conn.execute("PRAGMA cipher_log_level = NONE")


def key_pragma(key: bytes | bytearray) -> str:
    return f"PRAGMA key = \"x'{bytes(key).hex()}'\""


def open_engine(db_path: Path, key: bytearray | None, *, exclusive: bool = False) -> Engine:
    """An engine whose every pooled connection is keyed and configured before use.

    The engine keeps no copy of the key: each new connection reads ``key`` (the store's own
    buffer, zeroed when the store closes), so a closed store's engine can open nothing.
    ``key=None`` opens plain SQLite with the same settings (benchmarks only). ``exclusive``:
    one connection holding the database alone, needing no shared-memory file (a full disk).
    """

    def connect() -> Any:
        if key is not None and not any(key):
            raise StoreClosed(_("the store is locked"))
        conn = sqlcipher3.connect(str(db_path), check_same_thread=False, isolation_level=None)
        try:
            if key is not None:
                _silence_logging(conn)
                conn.execute(key_pragma(key))
            if exclusive:
                conn.execute(EXCLUSIVE)  # before the first read: the WAL index stays in memory
            for pragma in PRAGMAS:
                if key is None and "cipher" in pragma:
                    continue
                conn.execute(pragma)
        except BaseException:
            conn.close()  # a half-opened connection must not keep its locks
            raise
        return conn

    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool, pool_size=1,
                           max_overflow=0 if exclusive else 2)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:  # SQLAlchemy's pysqlite quirk: start transactions ourselves
        # writers take the write lock at once (no upgrade deadlock); readers never block them
        write = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def integrity(engine: Engine) -> tuple[str, str]:
    """(`PRAGMA integrity_check`, `PRAGMA cipher_integrity_check`): "ok" when sound."""
    results = []
    for pragma in ("integrity_check", "cipher_integrity_check"):
        try:
            with engine.connect() as conn:
                rows = [str(r[0]) for r in conn.exec_driver_sql(f"PRAGMA {pragma}")]
        except DBAPIError as exc:
            rows = [type(exc.orig).__name__]
        results.append("ok" if not rows or rows == ["ok"] else "; ".join(rows))
    return results[0], results[1]


def damaged() -> StoreDamaged:
    return StoreDamaged(_("the database cannot be opened: it is damaged or does not belong to "
                          "this key file; restore both from a backup"))


def _read_everything(target: str, key: bytes, *, exclusive: bool = False) -> None:
    """Read the schema and check every page's HMAC: a damaged page anywhere is found now, not
    mid-interview."""
    conn = sqlcipher3.connect(target, uri=True, isolation_level=None)
    try:
        _silence_logging(conn)
        conn.execute(key_pragma(key))
        conn.execute("PRAGMA busy_timeout = 5000")
        if exclusive:
            conn.execute(EXCLUSIVE)
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        bad = conn.execute("PRAGMA cipher_integrity_check").fetchall()
    finally:
        conn.close()
    if not tables or bad:
        raise damaged()


def _signature(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def probe(db_path: Path, key: bytes) -> bool:
    """Check that ``key`` opens the database and every page is sound, committed pages still in
    the WAL included, without writing anything. A wrong key, a damaged or an empty file raise
    :class:`StoreDamaged`. Returns True when the disk is too full to open the database the
    usual, shared way (open it ``exclusive`` then).
    """
    if not db_path.exists():
        raise StoreDamaged(_("the database file is missing; restore it from a backup"))
    if db_path.stat().st_size == 0:
        raise StoreDamaged(_("the database file is empty; restore it from a backup"))
    uri = f"file:{quote(str(db_path))}"
    wal = Path(f"{db_path}-wal")
    if not wal.exists():
        # Nothing waits in a WAL: the file alone is the database. Read it as it is, creating
        # nothing; if it changed meanwhile (another window wrote), check again with locks.
        before = _signature(db_path)
        try:
            _read_everything(f"{uri}?mode=ro&immutable=1", key)
            sound = True
        except (sqlcipher3.Error, StoreDamaged):
            sound = False
        if _signature(db_path) == before and not wal.exists():
            if not sound:
                raise damaged()
            return False
    try:  # through the WAL, as every connection of the store sees it
        _read_everything(f"{uri}?mode=ro", key)
        return False
    except sqlcipher3.Error as exc:
        _busy_or_damaged(exc, db_path)
    try:  # no room for the shared-memory file: one connection with the WAL index in memory
        _read_everything(uri, key, exclusive=True)
    except sqlcipher3.Error as exc:
        _busy_or_damaged(exc, db_path)
        raise disk_full() from None
    return True


def _busy_or_damaged(exc: sqlcipher3.Error, db_path: Path) -> None:
    """Raise unless ``exc`` is the full disk."""
    if getattr(exc, "sqlite_errorcode", None) == SQLITE_BUSY:
        raise StoreBusy(_("the store is open in another window that holds it alone (its disk "
                          "is full): close that window, then try again")) from None
    if not is_disk_full(exc, db_path.parent):
        raise damaged() from None


def rekey_connection(db_path: Path, key: bytes) -> Any:
    """One plain connection for changing the key (the store's engine is closed meanwhile)."""
    conn = sqlcipher3.connect(str(db_path), isolation_level=None, check_same_thread=False)
    try:
        _silence_logging(conn)
        conn.execute(key_pragma(key))
        conn.execute("PRAGMA busy_timeout = 5000")
    except BaseException:
        conn.close()
        raise
    return conn

