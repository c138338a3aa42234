"""Joining a hub: a one-time code from the IT lead, exchanged for a device id and a token.

The device sends its envelope verify key and its receiving public key; the hub answers with the
device id, an opaque token (the hub keeps only its hash), the organisation's public sync key and
fingerprint (to show and compare with the IT lead's), and the hub's signing key, which the
device pins: from then on only receipts signed by it count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from firstcontact.sync.errors import HubNotTrusted, HubRefused, HubUnreachable
from firstcontact.sync.keys import (
    HUB_KEY_LABEL,
    DeviceKeys,
    KemPublicKey,
    KeyFormatError,
    fingerprint,
    verify_key_from_bytes,
)
from firstcontact.sync.transport import Transient, normalise_hub_url, request_json
from firstcontact.sync.wire import ENROL_PATH, b64d, b64e

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
CODE_ID_CHARS = 4
CODE_SECRET_CHARS = 12  # 60 bits
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise_code(code: str) -> str:
    """Upper case, no spaces or dashes, look-alike letters read as Crockford does."""
    return "".join(code.split()).replace("-", "").upper().translate(_CONFUSABLE)


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class Enrolment:
    hub_url: str
    device_id: str
    token: str
    role: str
    worker: str
    org_key: KemPublicKey
    org_fingerprint: str
    hub_key: bytes
    hub_fingerprint: str
    # a supervisor's code may carry the organisation key, wrapped under the code itself
    org_key_by_code: bytes | None = None

    def __repr__(self) -> str:  # never the token
        return f"Enrolment({self.hub_url!r}, device={self.device_id}, role={self.role})"


def enrol(hub_url: str, code: str, device: DeviceKeys, *, http: httpx.Client | None = None,
          timeout: float = 30.0) -> Enrolment:
    """Exchange ``code`` at ``hub_url``; raise a SyncError with a one-line reason otherwise."""
    url = normalise_hub_url(hub_url)
    client = http or httpx.Client(timeout=timeout)
    try:
        doc = request_json(client, "POST", url + ENROL_PATH, body={
            "code": normalise_code(code), "verify_key": b64e(device.verify_raw),
            "receiving_key": b64e(device.receiving.public.raw)})
    except Transient as failure:
        raise HubUnreachable("unreachable",
                             f"the hub could not be reached ({failure.reason})") from None
    finally:
        if http is None:
            client.close()
    return _enrolment(url, doc)


def _enrolment(url: str, doc: dict[str, Any]) -> Enrolment:
    try:
        org_key = KemPublicKey(b64d(doc["org_public_key"]))
        hub_key = b64d(doc["hub_signing_key"])
        verify_key_from_bytes(hub_key)
        fields = {name: doc[name] for name in ("device_id", "token", "role", "worker")}
        if not all(isinstance(value, str) and value for value in fields.values()):
            raise ValueError("fields")
        by_code = b64d(doc["org_key_by_code"]) if doc.get("org_key_by_code") else None
    except (KeyError, ValueError, TypeError, KeyFormatError):
        raise HubRefused("bad-answer", "the hub's enrolment answer is incomplete") from None
    if doc.get("org_fingerprint") != org_key.fingerprint():
        raise HubNotTrusted("bad-org-key", "the organisation key does not match its fingerprint")
    return Enrolment(hub_url=url, org_key=org_key, org_fingerprint=org_key.fingerprint(),
                     hub_key=hub_key, hub_fingerprint=fingerprint(hub_key, HUB_KEY_LABEL),
                     org_key_by_code=by_code, **fields)
