"""The hub's database: SQLite in the data directory by default (WAL, synchronous FULL), or
PostgreSQL (``postgresql+psycopg://…``) with the same tables.

Every write runs under one lock, so that hub sequence numbers are handed out in commit order
(the supervisors' feed reads ``after=seq`` and must never skip a row that commits late) and the
audit chain has one tip: on SQLite a process lock plus ``BEGIN IMMEDIATE`` (another process,
e.g. ``firstcontact-hub enrol``, waits on the busy timeout instead of failing with "database is
locked"); on PostgreSQL a transaction-scoped advisory lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, Row, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SCRIPT_LOCATION = str(Path(__file__).parent / "migrations")
WRITE_LOCK_KEY = 0x46435331  # "FCS1": the advisory lock every hub write takes on PostgreSQL
BUSY_TIMEOUT_MS = 60_000

AnyRow: TypeAlias = Row[*tuple[Any, ...]]


class DatabaseUrlError(ValueError):
    """An unusable ``--db`` value."""


def describe(url: str) -> str:
    """The URL with any password hidden, for messages and status."""
    return make_url(url).render_as_string(hide_password=True)


class Database:
    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise DatabaseUrlError("not a database URL") from None
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            self.engine = self._sqlite_engine(url, immediate=False)
            # One writer connection: writes queue on the lock, never on SQLite's busy loop.
            self._write_engine = self._sqlite_engine(url, immediate=True, pool_size=1)
        elif self.dialect == "postgresql":
            self.engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
            self._write_engine = self.engine
        else:
            raise DatabaseUrlError("the hub runs on SQLite or PostgreSQL (postgresql+psycopg://…)")
        self._lock = threading.Lock()

    @staticmethod
    def _sqlite_engine(url: str, *, immediate: bool, **pool: Any) -> Engine:
        engine = create_engine(url, connect_args={"check_same_thread": False,
                                                  "timeout": BUSY_TIMEOUT_MS / 1000}, **pool)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # transactions begun below, not by pysqlite
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction, committed on leaving, holding the hub's write lock."""
        if self.dialect == "sqlite":
            with self._lock, self._write_engine.begin() as conn:
                yield conn
        else:
            with self._write_engine.begin() as conn:
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def migrate(self) -> None:
        with self.write() as conn:
            config = Config()
            config.set_main_option("script_location", SCRIPT_LOCATION)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def dispose(self) -> None:
        self.engine.dispose()
        self._write_engine.dispose()
