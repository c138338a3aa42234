"""The hub's audit: append-only (database triggers refuse UPDATE and DELETE) and hash-chained,
each row's hash covering the previous row's hash and its own fields, so a removed, altered or
reordered row breaks ``firstcontact-hub audit verify``. Details are ids and counts, never
content (the hub has none) and never tokens or codes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from firstcontact.hub.models import audit
from firstcontact.sync.wire import canonical_json

GENESIS = "0" * 64


def _row_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, detail: str) -> str:
    body = canonical_json({"seq": seq, "at": at, "actor": actor, "action": action,
                           "detail": detail})
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + body).hexdigest()


def append(conn: Connection, at: str, actor: str, action: str, **detail: Any) -> None:
    """Add one row (call inside the hub's write transaction, which serialises the chain)."""
    last = conn.execute(select(audit.c.seq, audit.c.hash)
                        .order_by(audit.c.seq.desc()).limit(1)).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    text = json.dumps(detail, sort_keys=True, separators=(",", ":"))
    conn.execute(insert(audit).values(
        seq=seq, at=at, actor=actor, action=action, detail=text, prev_hash=prev_hash,
        hash=_row_hash(prev_hash, seq, at, actor, action, text)))


@dataclass(frozen=True)
class AuditCheck:
    rows: int
    broken_at: int | None  # the first row whose chain does not hold

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(conn: Connection) -> AuditCheck:
    prev_hash, expected_seq, rows = GENESIS, 1, 0
    query = select(audit.c.seq, audit.c.at, audit.c.actor, audit.c.action, audit.c.detail,
                   audit.c.prev_hash, audit.c.hash).order_by(audit.c.seq)
    for seq, at, actor, action, detail, stored_prev, stored_hash in conn.execute(query):
        rows += 1
        if seq != expected_seq or stored_prev != prev_hash \
                or stored_hash != _row_hash(prev_hash, seq, at, actor, action, detail):
            return AuditCheck(rows, seq)
        prev_hash, expected_seq = stored_hash, seq + 1
    return AuditCheck(rows, None)
