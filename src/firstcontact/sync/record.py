"""Records: what supervisors (and the hub) send besides case revisions — reviews, handovers,
export reports, notices.

Bytes on the wire and at rest (docs/sync-protocol.md, "Records")::

    "FCR1" | u32 len(header) | header | u32 n | n × slot | u32 len(body) | body | signature (64)
    slot = key id (32 bytes: SHA-256 of the recipient's public key) | u32 len(ct) | ct

- ``header``: canonical JSON of exactly the fields of :class:`RecordHeader` — what the hub may
  see: the record's id and kind, the case's sync id, the author device, the device it is for;
- a **sealed** record (a review, a handover) has one slot per recipient (the organisation key,
  and the device that owns the case): HPKE (the envelope's suite) of the padded plaintext to
  that recipient, with the header bound in through ``info``; its body is empty. The hub cannot
  open it;
- a **plain** record (an export report: destination, SHA-256, time — no content; a notice the
  hub writes) has no slot and its body is the canonical JSON itself;
- ``signature``: Ed25519 by the author (a device, or the hub for its notices) over a label and
  everything before it.
"""

from __future__ import annotations

import hashlib
import json
import struct
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from firstcontact.sync.envelope import SUITE, utc_stamp
from firstcontact.sync.keys import KemKeyPair, KemPublicKey
from firstcontact.sync.padding import PaddingError, pad, unpad
from firstcontact.sync.wire import MAX_ENVELOPE_BYTES, PROTOCOL, canonical_json

MAGIC = b"FCR1"
HEADER_VERSION = 1
SIGNATURE_BYTES = 64
KEY_ID_BYTES = 32
MAX_SLOTS = 8
KINDS = ("review", "handover", "export", "notice")
SEALED_KINDS = frozenset({"review", "handover"})
_U32 = struct.Struct(">I")
_INFO_LABEL = f"{PROTOCOL} record\0".encode()
_SIGN_LABEL = f"{PROTOCOL} record signature\0".encode()


class RecordError(ValueError):
    """A record that must not be accepted; ``code`` names why (as EnvelopeError's)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def key_id(public: KemPublicKey) -> bytes:
    """Which slot is whose: SHA-256 of the recipient's public key."""
    return hashlib.sha256(public.raw).digest()


@dataclass(frozen=True)
class RecordHeader:
    """Everything the hub learns about a record."""

    record_id: str
    kind: str
    case_id: str
    author_device: str  # a device id, or "hub" for the hub's own notices
    to_device: str  # the device it is for ("" for the organisation only)
    sealed_at: str
    v: int = HEADER_VERSION

    def to_bytes(self) -> bytes:
        return canonical_json(asdict(self))

    @classmethod
    def from_bytes(cls, raw: bytes) -> RecordHeader:
        try:
            doc = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise RecordError("malformed", "the record header is not JSON") from None
        if not isinstance(doc, dict) or set(doc) != set(cls.__dataclass_fields__):
            raise RecordError("malformed", "the record header has other fields")
        header = cls(**doc)
        header.check()
        if header.to_bytes() != raw:
            raise RecordError("malformed", "the record header is not in canonical form")
        return header

    def check(self) -> None:
        if self.v != HEADER_VERSION or type(self.v) is not int:
            raise RecordError("malformed", "unknown record version")
        if self.kind not in KINDS:
            raise RecordError("malformed", "unknown record kind")
        for name in ("record_id", "case_id"):
            if not _is_uuid(getattr(self, name)):
                raise RecordError("malformed", f"the record's {name} is not a UUID")
        if self.author_device != "hub" and not _is_uuid(self.author_device):
            raise RecordError("malformed", "the record's author is not a device")
        if self.to_device and not _is_uuid(self.to_device):
            raise RecordError("malformed", "the record's recipient is not a device")
        if not isinstance(self.sealed_at, str) or not self.sealed_at.endswith("Z"):
            raise RecordError("malformed", "the record's time is not a UTC time")

    @property
    def sealed(self) -> bool:
        return self.kind in SEALED_KINDS


def _is_uuid(value: object) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        return False


@dataclass(frozen=True)
class Record:
    header: RecordHeader
    data: bytes  # the exact bytes to keep, send and resend

    @property
    def record_id(self) -> str:
        return self.header.record_id


@dataclass(frozen=True)
class _Parts:
    header: RecordHeader
    header_bytes: bytes
    slots: dict[bytes, bytes]
    body: bytes
    signed: bytes
    signature: bytes


def _assemble(header: RecordHeader, slots: list[tuple[bytes, bytes]], body: bytes,
              signing_key: Ed25519PrivateKey) -> Record:
    header_bytes = header.to_bytes()
    parts = [MAGIC, _U32.pack(len(header_bytes)), header_bytes, _U32.pack(len(slots))]
    for kid, ct in slots:
        parts += [kid, _U32.pack(len(ct)), ct]
    parts += [_U32.pack(len(body)), body]
    signed = b"".join(parts)
    return Record(header, signed + signing_key.sign(_SIGN_LABEL + signed))


def _new_header(kind: str, case_id: str, author_device: str, to_device: str,
                now: datetime | None, record_id: str | None) -> RecordHeader:
    header = RecordHeader(record_id=record_id or str(uuid.uuid4()), kind=kind, case_id=case_id,
                          author_device=author_device, to_device=to_device,
                          sealed_at=utc_stamp(now or datetime.now(UTC)))
    header.check()
    return header


def seal_record(doc: dict[str, Any], *, kind: str, case_id: str, author_device: str,
                to_device: str, recipients: list[KemPublicKey],
                signing_key: Ed25519PrivateKey, now: datetime | None = None,
                record_id: str | None = None) -> Record:
    """A sealed record of ``doc`` (canonical JSON), readable by each of ``recipients`` only."""
    if kind not in SEALED_KINDS or not 1 <= len(recipients) <= MAX_SLOTS:
        raise RecordError("malformed", "a sealed record needs a sealed kind and recipients")
    header = _new_header(kind, case_id, author_device, to_device, now, record_id)
    padded = pad(canonical_json(doc))
    info = _INFO_LABEL + header.to_bytes()
    slots = [(key_id(r), SUITE.encrypt(padded, r.hpke(), info=info))
             for r in dict.fromkeys(recipients)]
    return _assemble(header, slots, b"", signing_key)


def plain_record(doc: dict[str, Any], *, kind: str, case_id: str, author_device: str,
                 to_device: str, signing_key: Ed25519PrivateKey, now: datetime | None = None,
                 record_id: str | None = None) -> Record:
    """A signed record whose body the hub may read (no content: ids, hashes, times)."""
    if kind in SEALED_KINDS:
        raise RecordError("malformed", "this kind of record is sealed")
    header = _new_header(kind, case_id, author_device, to_device, now, record_id)
    return _assemble(header, [], canonical_json(doc), signing_key)


def _split(data: bytes) -> _Parts:
    if len(data) > MAX_ENVELOPE_BYTES:
        raise RecordError("too-large", "the record is larger than the hub accepts")
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 3 * _U32.size + SIGNATURE_BYTES:
        raise RecordError("malformed", "not a record")
    end = len(data) - SIGNATURE_BYTES
    offset = len(MAGIC)

    def take(n: int) -> bytes:
        nonlocal offset
        if n < 0 or offset + n > end:
            raise RecordError("malformed", "the record is cut short")
        chunk = data[offset:offset + n]
        offset += n
        return chunk

    def u32() -> int:
        (value,) = _U32.unpack(take(_U32.size))
        return int(value)

    header_bytes = take(u32())
    header = RecordHeader.from_bytes(header_bytes)
    count = u32()
    if count > MAX_SLOTS:
        raise RecordError("malformed", "too many recipients")
    slots: dict[bytes, bytes] = {}
    for _ in range(count):
        kid = take(KEY_ID_BYTES)
        slots[kid] = take(u32())
    body = take(u32())
    if offset != end:
        raise RecordError("malformed", "the record's lengths do not add up")
    if header.sealed != bool(slots) or (header.sealed and body):
        raise RecordError("malformed", "the record's kind does not match its form")
    return _Parts(header, header_bytes, slots, body, data[:end], data[end:])


def read_record_header(data: bytes) -> RecordHeader:
    """The header, checked for form only (no signature check)."""
    return _split(data).header


def verify_record(data: bytes, verify_key: Ed25519PublicKey) -> RecordHeader:
    """Check form and the author's signature (the hub's check); the header if both hold."""
    return _verified(data, verify_key).header


def _verified(data: bytes, verify_key: Ed25519PublicKey) -> _Parts:
    parts = _split(data)
    try:
        verify_key.verify(parts.signature, _SIGN_LABEL + parts.signed)
    except InvalidSignature:
        raise RecordError("bad-signature", "the record's signature does not verify") from None
    return parts


@dataclass(frozen=True)
class OpenedRecord:
    header: RecordHeader
    doc: dict[str, Any]


def open_record(data: bytes, verify_key: Ed25519PublicKey,
                key: KemKeyPair | None = None) -> OpenedRecord:
    """Verify, then read: a plain record's body, or a sealed one's slot for ``key``."""
    parts = _verified(data, verify_key)
    if not parts.header.sealed:
        raw = parts.body
    else:
        slot = parts.slots.get(key_id(key.public)) if key is not None else None
        if slot is None or key is None:
            raise RecordError("not-for-us", "the record is not sealed to this key")
        try:
            raw = unpad(SUITE.decrypt(slot, key.hpke(),
                                      info=_INFO_LABEL + parts.header_bytes))
        except (InvalidTag, PaddingError, ValueError):
            raise RecordError("cannot-decrypt", "the record does not open with this key") \
                from None
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise RecordError("malformed", "the record's content is not JSON") from None
    if not isinstance(doc, dict):
        raise RecordError("malformed", "the record's content is not an object")
    return OpenedRecord(parts.header, doc)


def record_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
