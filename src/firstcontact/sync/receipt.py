"""Receipts: the hub's signed word that it committed one envelope.

``{"receipt": {protocol, hub_seq, envelope_id, case_id, rev, sha256, stored_at},
"signature": base64}`` — Ed25519 by the hub's signing key (pinned by the device at enrolment)
over a label and the canonical JSON of ``receipt``. The client counts an envelope as
acknowledged only when the receipt verifies, names the protocol, and carries the envelope id
and the SHA-256 of the exact bytes it sent.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from firstcontact.sync.wire import PROTOCOL, b64d, b64e, canonical_json

_LABEL = f"{PROTOCOL} receipt\0".encode()


_FIELD_TYPES: dict[str, type] = {"protocol": str, "hub_seq": int, "envelope_id": str,
                                 "case_id": str, "rev": int, "sha256": str, "stored_at": str}


class ReceiptError(ValueError):
    """Not a valid receipt for what was sent."""


@dataclass(frozen=True)
class Receipt:
    hub_seq: int
    envelope_id: str
    case_id: str
    rev: int
    sha256: str
    stored_at: str
    signature: bytes
    protocol: str = PROTOCOL

    def fields(self) -> dict[str, Any]:
        doc = asdict(self)
        del doc["signature"]
        return doc

    def to_json(self) -> dict[str, Any]:
        return {"receipt": self.fields(), "signature": b64e(self.signature)}

    def to_bytes(self) -> bytes:
        """What the outbox keeps beside an acknowledged envelope."""
        return canonical_json(self.to_json())

    @classmethod
    def from_json(cls, doc: object) -> Receipt:
        fields = doc.get("receipt") if isinstance(doc, dict) else None
        signature = doc.get("signature") if isinstance(doc, dict) else None
        if not isinstance(fields, dict) or set(fields) != set(_FIELD_TYPES) \
                or not isinstance(signature, str) \
                or any(type(fields[name]) is not kind for name, kind in _FIELD_TYPES.items()):
            raise ReceiptError("not a receipt")
        try:
            return cls(signature=b64d(signature), **fields)
        except ValueError:
            raise ReceiptError("not a receipt") from None

    @classmethod
    def from_bytes(cls, raw: bytes) -> Receipt:
        try:
            return cls.from_json(json.loads(raw))
        except (ValueError, UnicodeDecodeError):
            raise ReceiptError("not a receipt") from None

    def verify(self, hub_key: Ed25519PublicKey, *, envelope_id: str, sha256: str) -> None:
        """Raise ReceiptError unless this is the hub's receipt for exactly these bytes."""
        if self.protocol != PROTOCOL:
            raise ReceiptError("the receipt is of another protocol")
        if self.envelope_id != envelope_id or not hmac.compare_digest(self.sha256, sha256):
            raise ReceiptError("the receipt is for other bytes than were sent")
        try:
            hub_key.verify(self.signature, _LABEL + canonical_json(self.fields()))
        except InvalidSignature:
            raise ReceiptError("the receipt's signature does not verify") from None


def sign_receipt(hub_key: Ed25519PrivateKey, *, hub_seq: int, envelope_id: str, case_id: str,
                 rev: int, sha256: str, stored_at: str) -> Receipt:
    unsigned = Receipt(hub_seq, envelope_id, case_id, rev, sha256, stored_at, b"")
    return Receipt(hub_seq, envelope_id, case_id, rev, sha256, stored_at,
                   hub_key.sign(_LABEL + canonical_json(unsigned.fields())))
