"""Everything a device asks the hub besides pushing revisions: the supervisors' feed of sealed
revisions, records (reviews, handovers, export reports, the hub's notices) both ways, the
enrolled devices, the organisation key's wrapped copy — with the same retries as a push.

Every answer is checked for form here; what a record or an envelope *says* is checked by the
caller with the keys it trusts (the pinned hub key, the organisation key, its own key).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import httpx

from firstcontact.sync.backoff import Backoff
from firstcontact.sync.client import HubLink, call_with_retries
from firstcontact.sync.errors import HubRefused
from firstcontact.sync.transport import normalise_hub_url
from firstcontact.sync.wire import (
    DEVICES_PATH,
    FEED_PATH,
    ORG_KEY_PATH,
    RECORDS_PATH,
    b64d,
    b64e,
)

FEED_PAGE = 200
RECORDS_PAGE = 200
MAX_POST_RECORDS = 100


@dataclass(frozen=True)
class FeedItem:
    """One stored revision as the feed serves it (bytes unverified until opened)."""

    seq: int
    device_id: str
    worker: str
    verify_key: bytes
    envelope: bytes
    flag: str | None  # the hub's: stale-base | revision-clash (a parallel revision)


@dataclass(frozen=True)
class RecordItem:
    seq: int
    kind: str
    case_id: str
    author_device: str
    author_worker: str
    verify_key: bytes | None  # the author's; None: the hub wrote it (its pinned key)
    record: bytes


@dataclass(frozen=True)
class RecordsPage:
    items: list[RecordItem]
    next: int
    settings: dict[str, Any] | None  # the organisation's settings, signed by the hub


@dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    worker: str
    role: str
    state: str
    receiving_key: bytes


def _bad(what: str) -> HubRefused:
    return HubRefused("bad-answer", f"the hub's {what} could not be read")


class HubSession:
    def __init__(self, link: HubLink, *, http: httpx.Client | None = None,
                 timeout: float = 30.0, retries: int = 8, backoff: Backoff | None = None,
                 stop: threading.Event | None = None) -> None:
        self._url = normalise_hub_url(link.url)
        self._token = link.token
        self._http = http or httpx.Client(timeout=timeout)
        self._owns_http = http is None
        self._retries = retries
        self._backoff = backoff or Backoff()
        self._stop = stop or threading.Event()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> HubSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None,
              params: dict[str, int] | None = None) -> dict[str, Any]:
        url = self._url + path
        if params:
            url += "?" + "&".join(f"{k}={int(v)}" for k, v in params.items())
        return call_with_retries(self._http, method, url, body=body, token=self._token,
                                 retries=self._retries, backoff=self._backoff, stop=self._stop)

    # -- supervisors ---------------------------------------------------------------------------
    def feed(self, after: int, limit: int = FEED_PAGE) -> tuple[list[FeedItem], int]:
        """Stored revisions after hub sequence ``after`` (oldest first), and where to go on."""
        doc = self._call("GET", FEED_PATH, params={"after": after, "limit": limit})
        try:
            items = [FeedItem(int(e["seq"]), str(e["device_id"]), str(e.get("worker") or ""),
                              b64d(e["verify_key"]), b64d(e["envelope"]),
                              e.get("flag") if isinstance(e.get("flag"), str) else None)
                     for e in doc["envelopes"]]
            return items, int(doc["next"])
        except (KeyError, TypeError, ValueError):
            raise _bad("feed") from None

    def devices(self) -> list[DeviceInfo]:
        doc = self._call("GET", DEVICES_PATH)
        try:
            return [DeviceInfo(str(d["device_id"]), str(d["worker"]), str(d["role"]),
                               str(d["state"]), b64d(d["receiving_key"]))
                    for d in doc["devices"]]
        except (KeyError, TypeError, ValueError):
            raise _bad("list of devices") from None

    def post_records(self, records: list[bytes]) -> dict[str, str]:
        """Send records (idempotent by record id); record id → stored | duplicate | invalid
        (with the reason after a colon)."""
        outcome: dict[str, str] = {}
        for start in range(0, len(records), MAX_POST_RECORDS):
            chunk = records[start:start + MAX_POST_RECORDS]
            doc = self._call("POST", RECORDS_PATH, body={"records": [b64e(r) for r in chunk]})
            results = doc.get("results")
            if not isinstance(results, list):
                raise _bad("answer")
            for r in results:
                if isinstance(r, dict) and isinstance(r.get("record_id"), str):
                    status = str(r.get("status"))
                    reason = r.get("reason")
                    outcome[r["record_id"]] = f"{status}:{reason}" if reason else status
        return outcome

    # -- every device --------------------------------------------------------------------------
    def records(self, after: int, pending: int | None = None,
                limit: int = RECORDS_PAGE) -> RecordsPage:
        """Records for this device (a supervisor: every record) after ``after``; ``pending``
        tells the hub how many of this device's changes wait to be sent (a count, no more)."""
        params = {"after": after, "limit": limit}
        if pending is not None:
            params["pending"] = max(0, pending)
        doc = self._call("GET", RECORDS_PATH, params=params)
        try:
            items = [RecordItem(int(r["seq"]), str(r["kind"]), str(r["case_id"]),
                                str(r["author_device"]), str(r.get("author_worker") or ""),
                                b64d(r["verify_key"]) if r.get("verify_key") else None,
                                b64d(r["record"]))
                     for r in doc["records"]]
            settings = doc.get("settings")
            return RecordsPage(items, int(doc["next"]),
                               settings if isinstance(settings, dict) else None)
        except (KeyError, TypeError, ValueError):
            raise _bad("records") from None

    def org_key_copy(self) -> bytes | None:
        """This device's wrapped copy of the organisation key (None: the hub holds none)."""
        try:
            doc = self._call("GET", ORG_KEY_PATH)
        except HubRefused as exc:
            if exc.code == "no-org-key":
                return None
            raise
        try:
            return b64d(doc["wrapped"])
        except (KeyError, TypeError, ValueError):
            raise _bad("organisation key copy") from None

    def keep_org_key_copy(self, wrapped: bytes) -> None:
        self._call("POST", ORG_KEY_PATH, body={"wrapped": b64e(wrapped)})
