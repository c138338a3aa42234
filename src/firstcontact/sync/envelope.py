"""Envelopes: one sealed, signed case snapshot.

Bytes on the wire and at rest (docs/sync-protocol.md)::

    "FCE1" | u32 len(header) | header | u32 len(ciphertext) | ciphertext | signature (64)

- ``header``: canonical JSON of exactly the fields of :class:`EnvelopeHeader` — what the hub
  may see, nothing else;
- ``ciphertext``: HPKE (RFC 9180) base mode, KEM ML-KEM-768+X25519, HKDF-SHA256, AES-256-GCM,
  sealed to the organisation key, of the padded plaintext (``padding``); the header is bound in
  through HPKE's ``info`` (the single-shot API's associated data, RFC 9180 §8.1), so a header
  moved onto another ciphertext does not open;
- ``signature``: Ed25519 by the device over a label and everything before it, which the hub
  checks with the device's registered verify key without decrypting.
"""

from __future__ import annotations

import hashlib
import json
import struct
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from firstcontact.sync.keys import KemKeyPair, KemPublicKey
from firstcontact.sync.padding import PaddingError, pad, unpad
from firstcontact.sync.wire import MAX_ENVELOPE_BYTES, PROTOCOL, canonical_json

MAGIC = b"FCE1"
HEADER_VERSION = 1
SIGNATURE_BYTES = 64
SUITE = Suite(KEM.MLKEM768_X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)
HPKE_OVERHEAD = KEM.MLKEM768_X25519.enc_length() + 16  # encapsulated key + GCM tag
_U32 = struct.Struct(">I")
_INFO_LABEL = f"{PROTOCOL} envelope\0".encode()
_SIGN_LABEL = f"{PROTOCOL} envelope signature\0".encode()
MAX_REVISION = 2**53  # fits every database's BIGINT and JSON's exact integers


class EnvelopeError(ValueError):
    """An envelope that must not be accepted; ``code`` names why (docs/sync-protocol.md)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class EnvelopeHeader:
    """Everything the hub learns about a case revision."""

    envelope_id: str
    case_id: str
    rev: int
    base_rev: int
    device_id: str
    sealed_at: str  # UTC, ISO 8601 with "Z", by the device's clock
    padded_size: int
    v: int = HEADER_VERSION

    def to_bytes(self) -> bytes:
        return canonical_json(asdict(self))

    @classmethod
    def from_bytes(cls, raw: bytes) -> EnvelopeHeader:
        try:
            doc = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise EnvelopeError("malformed", "the envelope header is not JSON") from None
        if not isinstance(doc, dict) or set(doc) != set(cls.__dataclass_fields__):
            raise EnvelopeError("malformed", "the envelope header has other fields")
        header = cls(**doc)
        header._check()
        if header.to_bytes() != raw:
            raise EnvelopeError("malformed", "the envelope header is not in canonical form")
        return header

    def _check(self) -> None:
        for name in ("envelope_id", "case_id", "device_id"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _is_uuid(value):
                raise EnvelopeError("malformed", f"the envelope's {name} is not a UUID")
        for name in ("rev", "base_rev", "padded_size", "v"):
            if type(getattr(self, name)) is not int:
                raise EnvelopeError("malformed", f"the envelope's {name} is not a number")
        if self.v != HEADER_VERSION:
            raise EnvelopeError("malformed", "unknown envelope version")
        if not 0 <= self.base_rev < self.rev <= MAX_REVISION:
            raise EnvelopeError("malformed", "revisions out of order")
        if not isinstance(self.sealed_at, str) or not _is_utc_time(self.sealed_at):
            raise EnvelopeError("malformed", "the envelope's time is not a UTC time")


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _is_utc_time(value: str) -> bool:
    try:
        return value.endswith("Z") and datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class SealedEnvelope:
    header: EnvelopeHeader
    data: bytes  # the exact bytes to store in the outbox, send, and resend

    @property
    def envelope_id(self) -> str:
        return self.header.envelope_id

    @property
    def sha256(self) -> str:
        return envelope_hash(self.data)


@dataclass(frozen=True)
class Opened:
    header: EnvelopeHeader
    plaintext: bytes


def envelope_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seal(plaintext: bytes, *, case_id: str, rev: int, base_rev: int, device_id: str,
         org_key: KemPublicKey, signing_key: Ed25519PrivateKey,
         now: datetime | None = None, envelope_id: str | None = None) -> SealedEnvelope:
    """Seal one case snapshot (``plaintext``: the caller's serialised revision)."""
    padded = pad(plaintext)
    header = EnvelopeHeader(envelope_id=envelope_id or str(uuid.uuid4()), case_id=case_id,
                            rev=rev, base_rev=base_rev, device_id=device_id,
                            sealed_at=utc_stamp(now or datetime.now(UTC)),
                            padded_size=len(padded))
    header._check()
    header_bytes = header.to_bytes()
    ciphertext = SUITE.encrypt(padded, org_key.hpke(), info=_INFO_LABEL + header_bytes)
    body = (MAGIC + _U32.pack(len(header_bytes)) + header_bytes
            + _U32.pack(len(ciphertext)) + ciphertext)
    return SealedEnvelope(header, body + signing_key.sign(_SIGN_LABEL + body))


@dataclass(frozen=True)
class _Parts:
    header: EnvelopeHeader
    header_bytes: bytes
    ciphertext: bytes
    body: bytes
    signature: bytes


def _split(data: bytes) -> _Parts:
    if len(data) > MAX_ENVELOPE_BYTES:
        raise EnvelopeError("too-large", "the envelope is larger than the hub accepts")
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 2 * _U32.size + SIGNATURE_BYTES:
        raise EnvelopeError("malformed", "not an envelope")
    offset = len(MAGIC)
    (header_len,) = _U32.unpack_from(data, offset)
    offset += _U32.size
    header_bytes = data[offset:offset + header_len]
    offset += header_len
    if len(header_bytes) != header_len or offset + _U32.size > len(data):
        raise EnvelopeError("malformed", "the envelope is cut short")
    (ct_len,) = _U32.unpack_from(data, offset)
    offset += _U32.size
    if offset + ct_len + SIGNATURE_BYTES != len(data):
        raise EnvelopeError("malformed", "the envelope's lengths do not add up")
    header = EnvelopeHeader.from_bytes(header_bytes)
    if ct_len != header.padded_size + HPKE_OVERHEAD:
        raise EnvelopeError("malformed", "the envelope's size does not match its header")
    body = data[:offset + ct_len]
    return _Parts(header, header_bytes, data[offset:offset + ct_len], body,
                  data[offset + ct_len:])


def read_header(data: bytes) -> EnvelopeHeader:
    """The header, checked for form only (no signature check)."""
    return _split(data).header


def _verified(data: bytes, verify_key: Ed25519PublicKey) -> _Parts:
    parts = _split(data)
    try:
        verify_key.verify(parts.signature, _SIGN_LABEL + parts.body)
    except InvalidSignature:
        raise EnvelopeError("bad-signature", "the envelope's signature does not verify") from None
    return parts


def verify(data: bytes, verify_key: Ed25519PublicKey) -> EnvelopeHeader:
    """Check form and the device's signature (no decryption); the header if both hold."""
    return _verified(data, verify_key).header


def open_envelope(data: bytes, org_key: KemKeyPair, verify_key: Ed25519PublicKey) -> Opened:
    """Verify, decrypt and unpad (supervisors' machines and the recovery key only)."""
    parts = _verified(data, verify_key)
    try:
        padded = SUITE.decrypt(parts.ciphertext, org_key.hpke(),
                               info=_INFO_LABEL + parts.header_bytes)
        return Opened(parts.header, unpad(padded))
    except (InvalidTag, PaddingError, ValueError):
        raise EnvelopeError("cannot-decrypt", "the envelope does not open with this key") from None
