"""Records on the hub: what supervisors send (reviews and handovers sealed to the organisation
key and a device, export reports), the hub's own notices, and who reads which.

- ``POST /v1/records`` (supervisors): each record's form and its author's signature are
  checked (no decryption: sealed ones stay sealed), then it is stored once under its id (the
  same bytes again: ``duplicate``). A **handover** moves the case to another device in the same
  transaction (audited: case, from, to, by) and leaves a notice, signed by the hub, for the
  device that had it. An **export report** is audited with its destination, hash and time.
- ``GET /v1/records`` : a worker's device reads the records for it; a supervisor's reads every
  record (each read audited, the device's pending count kept).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, insert, or_, select, update

from firstcontact.hub import audit, store
from firstcontact.hub.clock import Clock, stamp
from firstcontact.hub.db import AnyRow, Database
from firstcontact.hub.models import cases, devices, org_settings, records
from firstcontact.sync.keys import verify_key_from_bytes
from firstcontact.sync.record import (
    RecordError,
    RecordHeader,
    open_record,
    plain_record,
    read_record_header,
    record_hash,
    verify_record,
)

FROM_DEVICES = frozenset({"review", "handover", "export"})
_EXPORT_FIELDS = {"destination": str, "sha256": str, "exported_at": str, "revision": int}


@dataclass
class RecordOutcome:
    record_id: str
    status: str  # stored | duplicate | conflict | invalid
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"record_id": self.record_id, "status": self.status}
        if self.reason:
            doc["reason"] = self.reason
        return doc


def _id_hint(data: bytes) -> str:
    try:
        return read_record_header(data).record_id
    except RecordError:
        return ""


def _export_report(data: bytes, device: store.Device) -> dict[str, Any]:
    """An export report's fields, checked (they are audited as they are)."""
    doc = open_record(data, verify_key_from_bytes(device.verify_key)).doc
    if set(doc) != set(_EXPORT_FIELDS) or any(
            type(doc[k]) is not t for k, t in _EXPORT_FIELDS.items()):
        raise RecordError("malformed", "an export report has other fields")
    if not doc["destination"].replace("-", "").isalnum() or len(doc["destination"]) > 32 \
            or len(doc["sha256"]) != 64 or any(c not in "0123456789abcdef" for c in doc["sha256"]) \
            or len(doc["exported_at"]) > 32:
        raise RecordError("malformed", "an export report's fields are not in form")
    return doc


def accept(db: Database, clock: Clock, hub_key: Ed25519PrivateKey, device: store.Device,
           items: Sequence[bytes | str]) -> list[RecordOutcome]:
    """Store a batch of records from a supervisor's device; outcomes in the batch's order."""
    key = verify_key_from_bytes(device.verify_key)
    outcomes: list[RecordOutcome] = []
    checked: list[tuple[RecordOutcome, RecordHeader, bytes, dict[str, Any] | None]] = []
    for item in items:
        if isinstance(item, str):
            outcomes.append(RecordOutcome("", "invalid", item))
            continue
        try:
            header = verify_record(item, key)
            report = _export_report(item, device) if header.kind == "export" else None
        except RecordError as exc:
            outcomes.append(RecordOutcome(_id_hint(item), "invalid", exc.code))
            continue
        outcome = RecordOutcome(header.record_id, "invalid", "wrong-device")
        outcomes.append(outcome)
        if header.author_device != device.device_id:
            continue
        if header.kind not in FROM_DEVICES:
            outcome.reason = "wrong-kind"
            continue
        checked.append((outcome, header, item, report))
    with db.write() as conn:
        now = stamp(clock)
        for outcome, header, data, report in checked:
            outcome.status, outcome.reason = _store(conn, hub_key, device, header, data,
                                                    report, now)
        store.seen(conn, device, now)
    return outcomes


def _store(conn: Connection, hub_key: Ed25519PrivateKey, device: store.Device,
           header: RecordHeader, data: bytes, report: dict[str, Any] | None,
           now: str) -> tuple[str, str | None]:
    sha = record_hash(data)
    existing = conn.execute(select(records.c.sha256)
                            .where(records.c.record_id == header.record_id)).scalar()
    if existing is not None:
        return ("duplicate", None) if existing == sha else ("conflict", "record-id-reused")
    owner = conn.execute(select(cases.c.owner_device)
                         .where(cases.c.case_id == header.case_id)).scalar()
    if owner is None:
        return "invalid", "unknown-case"
    target = conn.execute(select(devices.c.device_id, devices.c.state, devices.c.worker)
                          .where(devices.c.device_id == header.to_device)).first() \
        if header.to_device else None
    if header.to_device and target is None:
        return "invalid", "unknown-device"
    if header.kind == "handover":
        if target is None or target.state != "active" or target.device_id == owner:
            return "invalid", "bad-handover"
        conn.execute(update(cases).where(cases.c.case_id == header.case_id)
                     .values(owner_device=target.device_id, since=now))
        _notice(conn, hub_key, header.case_id, str(owner), now, {
            "notice": "handed-over", "case_id": header.case_id,
            "to_device": target.device_id, "to_worker": target.worker,
            "by_device": device.device_id})
        audit.append(conn, now, device.device_id, "case-handed-over", case=header.case_id,
                     from_device=str(owner), to_device=target.device_id)
    elif header.kind == "export" and report is not None:
        audit.append(conn, now, device.device_id, "case-exported", case=header.case_id,
                     destination=report["destination"], sha256=report["sha256"],
                     exported_at=report["exported_at"])
    else:
        audit.append(conn, now, device.device_id, "review-kept", case=header.case_id,
                     record=header.record_id)
    conn.execute(insert(records).values(
        record_id=header.record_id, kind=header.kind, case_id=header.case_id,
        author_device=device.device_id, to_device=header.to_device or None, sha256=sha,
        stored_at=now, body=data))
    return "stored", None


def _notice(conn: Connection, hub_key: Ed25519PrivateKey, case_id: str, to_device: str,
            now: str, doc: dict[str, Any]) -> None:
    """A notice from the hub itself to one device (signed with the hub's key)."""
    record = plain_record(doc, kind="notice", case_id=case_id, author_device="hub",
                          to_device=to_device, signing_key=hub_key, record_id=str(uuid.uuid4()))
    conn.execute(insert(records).values(
        record_id=record.record_id, kind="notice", case_id=case_id, author_device=None,
        to_device=to_device, sha256=record_hash(record.data), stored_at=now, body=record.data))


@dataclass(frozen=True)
class Page:
    rows: list[AnyRow]
    settings: dict[str, Any] | None


def read(db: Database, clock: Clock, device: store.Device, after: int, limit: int,
         pending: int | None) -> Page:
    """Records after ``after`` for this device (a supervisor: every record), oldest first,
    with the organisation's current settings; the read is audited."""
    query = (select(records.c.seq, records.c.kind, records.c.case_id, records.c.author_device,
                    records.c.body, devices.c.worker, devices.c.verify_key)
             .join(devices, devices.c.device_id == records.c.author_device, isouter=True)
             .where(records.c.seq > after).order_by(records.c.seq).limit(limit))
    if device.role != "supervisor":
        query = query.where(records.c.to_device == device.device_id)
    else:
        query = query.where(or_(records.c.kind != "notice",
                                records.c.to_device == device.device_id))
    with db.read() as conn:
        rows = list(conn.execute(query))
        settings = conn.execute(select(org_settings.c.body)
                                .order_by(org_settings.c.seq.desc()).limit(1)).scalar()
    with db.write() as conn:
        now = stamp(clock)
        store.seen(conn, device, now, pending)
        audit.append(conn, now, device.device_id, "records-read", after=after, count=len(rows))
    return Page(rows, json.loads(settings) if settings else None)
