"""The audit log as a hash chain: each event carries the SHA-256 of the one before it (and its
own, over that and its fields), so an event changed, removed or inserted in the middle breaks
the chain from that point. ``firstcontact audit --verify`` walks it.

What it does not prove: whoever has the passphrase holds the data key and can rewrite the log
and recompute every hash after the change; and the newest events can be cut off without a
trace in the log itself. A head (count and last hash) noted elsewhere — each backup's manifest
holds one, and ``audit --verify`` prints it — shows both.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64
TRIGGERS = ("audit_log_no_update", "audit_log_no_delete")


def entry_hash(prev: str, at: str, event: str, case_id: str | None, detail: str | None) -> str:
    body = json.dumps([prev, at, event, case_id, detail], ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    count: int
    head: str  # the last event's hash (GENESIS for an empty log)
    broken_at: int | None  # the id of the first event that does not follow from the one before
    triggers_missing: tuple[str, ...] = ()

    @property
    def intact(self) -> bool:
        return self.broken_at is None and not self.triggers_missing


Row = tuple[int, str, str, str | None, str | None, str | None, str | None]


def check_rows(rows: Iterable[Row], triggers: Iterable[str]) -> ChainCheck:
    """``rows``: (id, at, event, case_id, detail, prev_hash, hash) in id order."""
    prev, count = GENESIS, 0
    for row_id, at, event, case_id, detail, prev_hash, own in rows:
        count += 1
        if prev_hash != prev or own != entry_hash(prev, at, event, case_id, detail):
            return ChainCheck(count, prev, row_id, _missing(triggers))
        prev = own
    return ChainCheck(count, prev, None, _missing(triggers))


def _missing(present: Iterable[str]) -> tuple[str, ...]:
    have = set(present)
    return tuple(t for t in TRIGGERS if t not in have)
