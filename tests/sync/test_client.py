"""The sync client's manners: the token only in the Authorization header, full-jitter backoff
that honours Retry-After, receipts that must verify, quarantine of a refused envelope."""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from firstcontact.sync.backoff import Backoff, parse_retry_after
from firstcontact.sync.client import HubLink, SyncClient
from firstcontact.sync.envelope import envelope_hash, read_header, seal
from firstcontact.sync.errors import HubNotTrusted, HubUnreachable
from firstcontact.sync.keys import KemKeyPair
from firstcontact.sync.outbox import MemoryOutbox
from firstcontact.sync.receipt import sign_receipt
from firstcontact.sync.wire import PROTOCOL, b64d

HUB = Ed25519PrivateKey.generate()
TOKEN = "tok-" + "x" * 40
DEVICE_ID = str(uuid.uuid4())


def outbox_of(items: Sequence[bytes]) -> MemoryOutbox:
    return MemoryOutbox([(read_header(d).envelope_id, d) for d in items])


def _envelopes(n: int) -> list[bytes]:
    org, key = KemKeyPair.generate(), Ed25519PrivateKey.generate()
    return [seal(b"x", case_id=str(uuid.uuid4()), rev=1, base_rev=0, device_id=DEVICE_ID,
                 org_key=org.public, signing_key=key).data for _ in range(n)]


def _stored(data: bytes, seq: int, signer: Ed25519PrivateKey = HUB) -> dict[str, object]:
    header = read_header(data)
    return {"envelope_id": header.envelope_id, "status": "stored", "receipt": sign_receipt(
        signer, hub_seq=seq, envelope_id=header.envelope_id, case_id=header.case_id,
        rev=header.rev, sha256=envelope_hash(data), stored_at="2026-01-01T00:00:00.000Z"
    ).to_json()}


def fake_hub(answer: Callable[[httpx.Request, dict[str, object]], httpx.Response],
             seen: list[httpx.Request]) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.loads(request.content)
        if request.url.path == "/v1/envelopes/status":
            return httpx.Response(200, json={"protocol": PROTOCOL, "results": [
                {"envelope_id": i, "status": "unknown"} for i in body["envelope_ids"]]})
        return answer(request, body)
    return httpx.Client(transport=httpx.MockTransport(handle))


def store_all(signer: Ed25519PrivateKey = HUB) -> Callable[..., httpx.Response]:
    def answer(_request: httpx.Request, body: dict[str, object]) -> httpx.Response:
        items = [b64d(e) for e in body["envelopes"]]  # type: ignore[union-attr]
        return httpx.Response(200, json={"protocol": PROTOCOL, "results": [
            _stored(d, n + 1, signer) for n, d in enumerate(items)]})
    return answer


class RecordedWaits(threading.Event):
    """Stands in for the client's stop event: records each wait instead of sleeping."""

    def __init__(self) -> None:
        super().__init__()
        self.waits: list[float] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout or 0.0)
        return False


def _client(outbox: MemoryOutbox, http: httpx.Client, **kw: object) -> SyncClient:
    return SyncClient(HubLink("https://hub.example", TOKEN, HUB.public_key().public_bytes_raw()),
                      outbox, http=http, **kw)  # type: ignore[arg-type]


def test_the_token_travels_only_in_the_authorization_header() -> None:
    seen: list[httpx.Request] = []
    outbox = outbox_of(_envelopes(3))
    summary = _client(outbox, fake_hub(store_all(), seen)).push()
    assert summary.pushed == 3 and summary.pending == 0 and outbox.seq == 3
    assert seen
    for request in seen:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert TOKEN not in str(request.url) and TOKEN.encode() not in request.content
        assert request.url.scheme == "https"


def test_retry_after_is_honoured_and_the_same_bytes_are_resent() -> None:
    seen: list[httpx.Request] = []
    busy = iter([httpx.Response(503, headers={"Retry-After": "7"},
                                json={"protocol": PROTOCOL, "error": "busy"})])

    def answer(request: httpx.Request, body: dict[str, object]) -> httpx.Response:
        return next(busy, None) or store_all()(request, body)

    waits = RecordedWaits()
    outbox = outbox_of(_envelopes(2))
    summary = _client(outbox, fake_hub(answer, seen), stop=waits).push()
    assert summary.pushed == 2
    assert len(waits.waits) == 1 and 7 <= waits.waits[0] <= 600
    pushes = [r.content for r in seen if r.url.path == "/v1/envelopes"]
    assert len(pushes) == 2 and pushes[0] == pushes[1]


def test_giving_up_leaves_everything_pending() -> None:
    def down(_request: httpx.Request, _body: dict[str, object]) -> httpx.Response:
        raise httpx.ConnectError("refused")

    waits = RecordedWaits()
    outbox = outbox_of(_envelopes(2))
    with pytest.raises(HubUnreachable, match="network"):
        _client(outbox, fake_hub(down, []), stop=waits, retries=4,
                backoff=Backoff(rng=random.Random(1))).push()
    assert len(waits.waits) == 4 and len(outbox.pending_ids()) == 2


def test_a_receipt_not_signed_by_the_pinned_hub_acknowledges_nothing() -> None:
    outbox = outbox_of(_envelopes(2))
    with pytest.raises(HubNotTrusted, match="receipt"):
        _client(outbox, fake_hub(store_all(Ed25519PrivateKey.generate()), [])).push()
    assert outbox.acked == {} and len(outbox.pending_ids()) == 2


def test_full_jitter_stays_under_the_growing_cap() -> None:
    backoff = Backoff(base=1.0, cap=600.0, rng=random.Random(4))
    delays = [backoff.next_delay() for _ in range(15)]
    for attempt, delay in enumerate(delays):
        assert 0 <= delay <= min(600.0, 2.0 ** attempt)
    assert max(delays[10:]) > 60  # it does grow towards ten minutes
    assert Backoff(rng=random.Random(4)).next_delay(retry_after=10_000) == 600.0
    backoff.reset()
    assert backoff.next_delay() <= 1.0


def test_retry_after_in_both_forms() -> None:
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True),
                             now) == 90
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
