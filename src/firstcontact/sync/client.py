"""Pushing an outbox to the hub, through whatever the network does.

One ``push()``:

1. **resume**: ask ``POST /v1/envelopes/status`` which pending envelopes the hub already
   holds (a push cut off after the hub's commit, a client killed before it recorded the
   receipt) and acknowledge those with their receipts, without sending their bytes again;
2. **send** the rest in batches of the stored bytes; each answer's receipts are checked against
   the pinned hub key and the bytes sent, then recorded in one outbox transaction;
3. a ``conflict`` (409) or ``invalid`` (422) envelope is quarantined and the rest go on;
4. a failure worth retrying (no network, timeout, reset, 5xx, 429, a reply that is not the
   hub's) waits with full-jitter backoff (1 s → 10 min, ``Retry-After`` honoured) and tries the
   same request again, up to ``retries`` times, then raises :class:`HubUnreachable` with
   everything unacknowledged still pending.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from firstcontact.sync.backoff import Backoff
from firstcontact.sync.envelope import envelope_hash
from firstcontact.sync.errors import HubNotTrusted, HubRefused, HubUnreachable
from firstcontact.sync.keys import verify_key_from_bytes
from firstcontact.sync.outbox import Outbox
from firstcontact.sync.receipt import Receipt, ReceiptError
from firstcontact.sync.transport import Transient, normalise_hub_url, request_json
from firstcontact.sync.wire import (
    ENVELOPES_PATH,
    MAX_BATCH_ENVELOPES,
    MAX_STATUS_IDS,
    STATUS_PATH,
    b64e,
)

ACKNOWLEDGED = frozenset({"stored", "duplicate"})
QUARANTINED = frozenset({"conflict", "invalid"})


@dataclass(frozen=True)
class HubLink:
    """What enrolment left the device: where the hub is, the token, the pinned hub key."""

    url: str
    token: str
    hub_key: bytes  # raw Ed25519 verify key

    def __repr__(self) -> str:  # never the token
        return f"HubLink({self.url!r})"


@dataclass
class PushSummary:
    pushed: int = 0
    duplicates: int = 0
    pending: int = 0
    quarantined: int = 0

    def to_json(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class _Item:
    envelope_id: str
    data: bytes


class SyncClient:
    def __init__(self, link: HubLink, outbox: Outbox, *, http: httpx.Client | None = None,
                 timeout: float = 30.0, retries: int = 8, backoff: Backoff | None = None,
                 stop: threading.Event | None = None, batch_bytes: int = 2 * 1024 * 1024,
                 batch_count: int = 100,
                 on_progress: Callable[[int, int], None] | None = None) -> None:
        self._url = normalise_hub_url(link.url)
        self._token = link.token
        self._hub_key = verify_key_from_bytes(link.hub_key)
        self._outbox = outbox
        self._http = http or httpx.Client(timeout=timeout)
        self._owns_http = http is None
        self._retries = retries
        self._backoff = backoff or Backoff()
        self._stop = stop or threading.Event()
        self._batch_bytes = batch_bytes
        self._batch_count = min(batch_count, MAX_BATCH_ENVELOPES)
        self._on_progress = on_progress

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def push(self) -> PushSummary:
        summary = PushSummary()
        ids = self._outbox.pending_ids()
        done = 0
        for chunk in _chunks(ids, MAX_STATUS_IDS):
            held = self._resume(chunk)
            summary.duplicates += len(held)
            done += len(held)
            self._progress(done, len(ids))
            unsent = [i for i in chunk if i not in held]
            for batch in self._batches(unsent):
                done += self._send(batch, summary)
                self._progress(done, len(ids))
        summary.pending = len(self._outbox.pending_ids())
        return summary

    def _progress(self, done: int, total: int) -> None:
        if self._on_progress is not None:
            self._on_progress(done, total)

    def _resume(self, ids: list[str]) -> set[str]:
        doc = self._call(STATUS_PATH, {"envelope_ids": ids})
        receipts = []
        for result in _results(doc):
            if result.get("status") == "stored" and result.get("envelope_id") in ids:
                envelope_id = str(result["envelope_id"])
                receipts.append(self._checked(result, envelope_id,
                                              self._outbox.envelope_bytes(envelope_id)))
        self._record(receipts)
        return {r.envelope_id for r in receipts}

    def _batches(self, ids: list[str]) -> Iterator[list[_Item]]:
        batch: list[_Item] = []
        size = 0
        for envelope_id in ids:
            data = self._outbox.envelope_bytes(envelope_id)
            if batch and (len(batch) >= self._batch_count or size + len(data) > self._batch_bytes):
                yield batch
                batch, size = [], 0
            batch.append(_Item(envelope_id, data))
            size += len(data)
        if batch:
            yield batch

    def _send(self, batch: list[_Item], summary: PushSummary) -> int:
        doc = self._call(ENVELOPES_PATH, {"envelopes": [b64e(item.data) for item in batch]})
        by_id = {item.envelope_id: item for item in batch}
        receipts = []
        for result in _results(doc):
            item = by_id.get(str(result.get("envelope_id")))
            if item is None:
                continue
            status = result.get("status")
            if status in ACKNOWLEDGED:
                receipts.append(self._checked(result, item.envelope_id, item.data))
                if status == "stored":
                    summary.pushed += 1
                else:
                    summary.duplicates += 1
            elif status in QUARANTINED:
                self._outbox.quarantine(item.envelope_id, str(result.get("reason") or status))
                summary.quarantined += 1
        self._record(receipts)
        return len(batch)

    def _checked(self, result: dict[str, Any], envelope_id: str, data: bytes) -> Receipt:
        try:
            receipt = Receipt.from_json(result.get("receipt"))
            receipt.verify(self._hub_key, envelope_id=envelope_id, sha256=envelope_hash(data))
        except ReceiptError as exc:
            raise HubNotTrusted("bad-receipt", f"the hub's receipt does not verify: {exc}") \
                from None
        return receipt

    def _record(self, receipts: Sequence[Receipt]) -> None:
        if receipts:
            self._outbox.acknowledge(receipts)
            self._outbox.remember_hub_sequence(max(r.hub_seq for r in receipts))

    def _call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST with retries; the same body (so the same bytes) every try."""
        return call_with_retries(self._http, "POST", self._url + path, body=body,
                                 token=self._token, retries=self._retries,
                                 backoff=self._backoff, stop=self._stop)


def call_with_retries(http: httpx.Client, method: str, url: str, *,
                      body: dict[str, Any] | None, token: str, retries: int, backoff: Backoff,
                      stop: threading.Event) -> dict[str, Any]:
    """One request, tried again after failures worth retrying (full-jitter backoff, the hub's
    ``Retry-After`` honoured) up to ``retries`` times; the same body every try. A refusal
    (:class:`HubRefused`) is raised at once."""
    backoff.reset()
    reason, retry_after = "", None
    for attempt in range(retries + 1):
        if attempt and stop.wait(backoff.next_delay(retry_after)):
            break
        try:
            return request_json(http, method, url, body=body, token=token)
        except Transient as failure:
            reason, retry_after = failure.reason, failure.retry_after
    raise HubUnreachable("unreachable", f"the hub could not be reached ({reason or 'stopped'})")


def _results(doc: dict[str, Any]) -> list[dict[str, Any]]:
    results = doc.get("results")
    if not isinstance(results, list):
        raise HubRefused("bad-answer", "the hub's answer has no results")
    return [r for r in results if isinstance(r, dict)]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
