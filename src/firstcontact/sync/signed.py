"""Small documents the hub signs with its key (pinned by every device at enrolment): the
organisation's settings (purge after receipt) and wipe orders.

``{"doc": {...}, "signature": base64}`` — Ed25519 over a label naming what the document is and
its canonical JSON, so a settings document can never pass for a wipe order or the reverse.
"""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from firstcontact.sync.wire import PROTOCOL, b64d, b64e, canonical_json

SETTINGS = "org settings"
WIPE_ORDER = "wipe order"


class SignedError(ValueError):
    """Not a document the pinned hub signed (or not of the expected kind)."""


def _label(kind: str) -> bytes:
    return f"{PROTOCOL} {kind}\0".encode()


def sign_doc(key: Ed25519PrivateKey, kind: str, doc: dict[str, Any]) -> dict[str, Any]:
    return {"doc": doc, "signature": b64e(key.sign(_label(kind) + canonical_json(doc)))}


def verify_doc(key: Ed25519PublicKey, kind: str, signed: object) -> dict[str, Any]:
    """The document inside ``signed`` if the hub's key signed it as ``kind``."""
    if not isinstance(signed, dict) or not isinstance(signed.get("doc"), dict) \
            or not isinstance(signed.get("signature"), str):
        raise SignedError("not a signed document")
    doc: dict[str, Any] = signed["doc"]
    try:
        key.verify(b64d(signed["signature"]), _label(kind) + canonical_json(doc))
    except (InvalidSignature, ValueError):
        raise SignedError("the signature does not verify with the pinned hub key") from None
    return doc
