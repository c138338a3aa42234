"""SQLCipher 4 through SQLAlchemy: the raw data key and safe settings on every connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from firstcontact.i18n import _
from firstcontact.store.errors import StoreClosed, StoreDamaged

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


def _silence_logging(conn: Any) -> None:
    conn.execute("PRAGMA cipher_log_level = NONE")


def open_engine(db_path: Path, key: bytearray | None) -> Engine:
    """An engine whose every pooled connection is keyed and configured before use.

    The engine keeps no copy of the key: each new connection reads ``key`` (the store's own
    buffer, zeroed when the store closes), so a closed store's engine can open nothing.
    ``key=None`` opens plain SQLite with the same settings (benchmarks only).
    """

    def connect() -> Any:
        if key is not None and not any(key):
            raise StoreClosed(_("the store is locked"))
        conn = sqlcipher3.connect(str(db_path), check_same_thread=False, isolation_level=None)
        if key is not None:
            _silence_logging(conn)
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        for pragma in PRAGMAS:
            if key is None and "cipher" in pragma:
                continue
            conn.execute(pragma)
        return conn

    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool, pool_size=1,
                           max_overflow=2)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:  # SQLAlchemy's pysqlite quirk: start transactions ourselves
        # writers take the write lock at once (no upgrade deadlock); readers never block them
        write = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def verify(engine: Engine) -> None:
    """Read the schema: fails on a wrong key or a file that is not a database."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except Exception:
        engine.dispose()
        raise StoreDamaged(_("the database cannot be opened: it is damaged or does not belong to "
                           "this key file; restore both from a backup")) from None


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
