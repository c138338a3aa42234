"""One request to the hub, sorted into: an answer, a refusal, or a failure worth retrying.

Only a reply whose JSON names the protocol comes from the hub: a Wi-Fi login page's 200, a
proxy's 502 or a redirect is "not reached yet", never an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from firstcontact.sync.backoff import parse_retry_after
from firstcontact.sync.errors import HubRefused
from firstcontact.sync.wire import PROTOCOL

RETRY_STATUSES = frozenset({408, 425, 429})


@dataclass
class Transient(Exception):
    """Worth trying again later: why, and the hub's Retry-After in seconds if it gave one."""

    reason: str
    retry_after: float | None = None


def normalise_hub_url(url: str) -> str:
    url = url.strip().rstrip("/")
    try:
        parsed = httpx.URL(url) if "://" in url else None
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise HubRefused("bad-url", "the hub address must start with https:// (or http://)")
    return url


def request_json(http: httpx.Client, method: str, url: str, *, body: dict[str, Any] | None,
                 token: str | None = None) -> dict[str, Any]:
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = http.request(method, url, json=body, headers=headers)
    except httpx.TimeoutException:
        raise Transient("timeout") from None
    except httpx.TransportError:
        raise Transient("network") from None
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    try:
        doc = response.json()
    except ValueError:
        doc = None
    if not isinstance(doc, dict) or doc.get("protocol") != PROTOCOL:
        raise Transient(f"not-the-hub ({response.status_code})", retry_after)
    if response.status_code >= 500 or response.status_code in RETRY_STATUSES:
        raise Transient(f"hub-busy ({response.status_code})", retry_after)
    if response.status_code >= 300:
        code = doc.get("error") if isinstance(doc.get("error"), str) else "refused"
        message = doc.get("message") if isinstance(doc.get("message"), str) else code
        raise HubRefused(str(code), str(message), doc)
    return doc
