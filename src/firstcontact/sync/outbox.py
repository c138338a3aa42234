"""What the sync client needs from the place sealed envelopes wait to be sent.

The desktop store implements it on its encrypted database (phase 2); tests use a plain SQLite
file. Rules an implementation keeps (docs/sync-protocol.md, "The outbox"):

- an envelope's bytes are stored (committed) **before** the first send, and never change: a
  retry resends the same bytes;
- ``pending_ids`` lists envelopes neither acknowledged nor quarantined, oldest first;
- ``acknowledge`` records receipts in one transaction; an acknowledged envelope is never
  listed as pending again;
- ``quarantine`` takes one envelope out of the queue with a reason (the hub refused it: a
  conflict or an invalid envelope) until someone looks at it;
- the hub sequence number is remembered so that later work (the supervisor's feed) can resume.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from firstcontact.sync.receipt import Receipt


class Outbox(Protocol):
    def pending_ids(self) -> list[str]:
        """Envelope ids still to be acknowledged, oldest first (quarantined ones left out)."""

    def envelope_bytes(self, envelope_id: str) -> bytes:
        """The stored bytes of one envelope, exactly as sealed."""

    def acknowledge(self, receipts: Sequence[Receipt]) -> None:
        """Mark these envelopes acknowledged, keeping each receipt's bytes, in one commit."""

    def quarantine(self, envelope_id: str, reason: str) -> None:
        """Take one envelope out of the queue, with the hub's reason code."""

    def hub_sequence(self) -> int:
        """The highest hub sequence number remembered (0 before any)."""

    def remember_hub_sequence(self, seq: int) -> None:
        """Remember ``seq`` if it is higher than the one kept."""


class MemoryOutbox:
    """The protocol in memory (nothing survives the process): for tests, benchmarks, and as a
    reference for the store's implementation."""

    def __init__(self, envelopes: Sequence[tuple[str, bytes]] = ()) -> None:
        self.data: dict[str, bytes] = dict(envelopes)
        self.acked: dict[str, Receipt] = {}
        self.quarantined: dict[str, str] = {}
        self.seq = 0

    def add(self, envelope_id: str, data: bytes) -> None:
        self.data[envelope_id] = data

    def pending_ids(self) -> list[str]:
        return [i for i in self.data if i not in self.acked and i not in self.quarantined]

    def envelope_bytes(self, envelope_id: str) -> bytes:
        return self.data[envelope_id]

    def acknowledge(self, receipts: Sequence[Receipt]) -> None:
        self.acked.update({receipt.envelope_id: receipt for receipt in receipts})

    def quarantine(self, envelope_id: str, reason: str) -> None:
        self.quarantined[envelope_id] = reason

    def hub_sequence(self) -> int:
        return self.seq

    def remember_hub_sequence(self, seq: int) -> None:
        self.seq = max(self.seq, seq)
