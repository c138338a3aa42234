"""A plain SQLite file outbox for the tests (the desktop store implements the same Protocol on
its encrypted database). Durable (WAL, synchronous FULL): a client killed with -9 leaves it as
it was at its last commit."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from firstcontact.sync.envelope import SealedEnvelope
from firstcontact.sync.receipt import Receipt


class FileOutbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.execute("CREATE TABLE IF NOT EXISTS outbox (ord INTEGER PRIMARY KEY, "
                         "envelope_id TEXT UNIQUE NOT NULL, case_id TEXT NOT NULL, "
                         "rev INTEGER NOT NULL, data BLOB NOT NULL, "
                         "state TEXT NOT NULL DEFAULT 'pending', receipt BLOB, reason TEXT)")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER)")

    def add(self, sealed: SealedEnvelope) -> None:
        """Store before the first send (what the sync worker does)."""
        self._db.execute("INSERT INTO outbox (envelope_id, case_id, rev, data) VALUES (?,?,?,?)",
                         (sealed.envelope_id, sealed.header.case_id, sealed.header.rev,
                          sealed.data))

    def add_all(self, sealed: Sequence[SealedEnvelope]) -> None:
        self._db.execute("BEGIN")
        for item in sealed:
            self.add(item)
        self._db.execute("COMMIT")

    # The Outbox protocol
    def pending_ids(self) -> list[str]:
        return [row[0] for row in self._db.execute(
            "SELECT envelope_id FROM outbox WHERE state = 'pending' ORDER BY ord")]

    def envelope_bytes(self, envelope_id: str) -> bytes:
        row = self._db.execute("SELECT data FROM outbox WHERE envelope_id = ?",
                               (envelope_id,)).fetchone()
        return bytes(row[0])

    def acknowledge(self, receipts: Sequence[Receipt]) -> None:
        self._db.execute("BEGIN")
        for receipt in receipts:
            self._db.execute("UPDATE outbox SET state = 'acked', receipt = ? "
                             "WHERE envelope_id = ?", (receipt.to_bytes(), receipt.envelope_id))
        self._db.execute("COMMIT")

    def quarantine(self, envelope_id: str, reason: str) -> None:
        self._db.execute("UPDATE outbox SET state = 'quarantined', reason = ? "
                         "WHERE envelope_id = ?", (reason, envelope_id))

    def hub_sequence(self) -> int:
        row = self._db.execute("SELECT v FROM meta WHERE k = 'hub_seq'").fetchone()
        return int(row[0]) if row else 0

    def remember_hub_sequence(self, seq: int) -> None:
        self._db.execute("INSERT INTO meta (k, v) VALUES ('hub_seq', ?) ON CONFLICT(k) "
                         "DO UPDATE SET v = max(v, excluded.v)", (seq,))

    # For the tests' checks
    def states(self) -> dict[tuple[str, int], str]:
        return {(case, rev): state for case, rev, state in self._db.execute(
            "SELECT case_id, rev, state FROM outbox")}

    def acked_ids(self) -> set[str]:
        return {row[0] for row in self._db.execute(
            "SELECT envelope_id FROM outbox WHERE state = 'acked'")}

    def reasons(self) -> dict[str, str]:
        return dict(self._db.execute(
            "SELECT envelope_id, reason FROM outbox WHERE state = 'quarantined'").fetchall())

    def close(self) -> None:
        self._db.close()
