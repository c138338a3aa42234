"""Names and encodings both ends share: the protocol name, base64, canonical JSON."""

from __future__ import annotations

import base64
import json
from typing import Any

PROTOCOL = "firstcontact-sync/1"

HEALTH_PATH = "/v1/health"
ENROL_PATH = "/v1/enrol"
ENVELOPES_PATH = "/v1/envelopes"
STATUS_PATH = "/v1/envelopes/status"
FEED_PATH = "/v1/feed"
RECORDS_PATH = "/v1/records"
DEVICES_PATH = "/v1/devices"
ORG_KEY_PATH = "/v1/org-key"

MAX_ENVELOPE_BYTES = 4 * 1024 * 1024
MAX_BATCH_ENVELOPES = 200
MAX_STATUS_IDS = 1000
MAX_REQUEST_BYTES = 32 * 1024 * 1024  # one push request, base64 included


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str) -> bytes:
    """Strict standard base64 (ValueError on anything else)."""
    return base64.b64decode(text.encode("ascii"), validate=True)


def canonical_json(doc: dict[str, Any]) -> bytes:
    """The one byte form of ``doc`` that is signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")
