"""Storing envelopes idempotently, and answering which ones the hub holds.

For each envelope of a push: check its form and the device's signature (no decryption), then in
one write transaction: an envelope id already held → ``duplicate`` when the bytes are the same
(acknowledged), ``conflict`` (409, ``envelope-id-reused``) otherwise. A case belongs to its
owner (``hub_cases``: the device that first pushed it, until a supervisor hands it over);
another device's envelope for it is a ``conflict`` (``not-owner``). A revision that clashes
with one the hub holds (the same case, device and revision: a restored backup) or that follows
a base older than the newest revision held (a stale base) is **stored beside it and flagged**
(``revision-clash`` / ``stale-base``): supervisors see both and decide; nothing is refused or
overwritten. Receipts are signed only after the commit.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Table, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from firstcontact.hub import audit
from firstcontact.hub.clock import Clock, stamp
from firstcontact.hub.db import AnyRow, Database
from firstcontact.hub.models import cases, devices, envelopes
from firstcontact.sync.envelope import (
    EnvelopeError,
    EnvelopeHeader,
    envelope_hash,
    read_header,
    verify,
)
from firstcontact.sync.keys import verify_key_from_bytes
from firstcontact.sync.receipt import sign_receipt

STATUS_CODES = {"stored": 201, "duplicate": 200, "conflict": 409, "invalid": 422}


@dataclass(frozen=True)
class Device:
    device_id: str
    role: str
    state: str
    verify_key: bytes


@dataclass
class Outcome:
    envelope_id: str
    status: str
    reason: str | None = None
    row: AnyRow | None = None

    def to_json(self, signing_key: Ed25519PrivateKey) -> dict[str, Any]:
        doc: dict[str, Any] = {"envelope_id": self.envelope_id, "status": self.status,
                               "code": STATUS_CODES[self.status]}
        if self.reason:
            doc["reason"] = self.reason
        if self.row is not None:
            doc["receipt"] = receipt_for(signing_key, self.row)
        return doc


_RECEIPT_COLUMNS = (envelopes.c.seq, envelopes.c.envelope_id, envelopes.c.case_id,
                    envelopes.c.rev, envelopes.c.sha256, envelopes.c.stored_at)


def receipt_for(signing_key: Ed25519PrivateKey, row: AnyRow) -> dict[str, Any]:
    return sign_receipt(signing_key, hub_seq=row.seq, envelope_id=row.envelope_id,
                        case_id=row.case_id, rev=row.rev, sha256=row.sha256,
                        stored_at=row.stored_at).to_json()


@dataclass(frozen=True)
class _Checked:
    header: EnvelopeHeader
    data: bytes
    sha256: str


def _insert(dialect: str, table: Table) -> Any:
    return (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table))


def push(db: Database, clock: Clock, device: Device, items: Sequence[bytes | str]) -> list[Outcome]:
    """Store a batch; ``items`` are envelope bytes (or a reason string for one that could not
    even be decoded). Outcomes in the batch's order."""
    key = verify_key_from_bytes(device.verify_key)
    outcomes: list[Outcome] = []
    checked: list[tuple[Outcome, _Checked]] = []
    for item in items:
        if isinstance(item, str):
            outcomes.append(Outcome("", "invalid", item))
            continue
        try:
            header = verify(item, key)
        except EnvelopeError as exc:
            outcomes.append(Outcome(_id_hint(item), "invalid", exc.code))
            continue
        outcome = Outcome(header.envelope_id, "invalid", "wrong-device")
        outcomes.append(outcome)
        if header.device_id == device.device_id:
            checked.append((outcome, _Checked(header, item, envelope_hash(item))))
    with db.write() as conn:
        now = stamp(clock)
        for outcome, envelope in checked:
            outcome.status, outcome.reason, outcome.row = _store(conn, db.dialect, device,
                                                                 envelope, now)
        conn.execute(update(devices).where(devices.c.device_id == device.device_id)
                     .values(last_seen_at=now))
        counts = {status: sum(o.status == status for o in outcomes) for status in STATUS_CODES}
        audit.append(conn, now, device.device_id, "envelopes-pushed", **counts)
    return outcomes


def _id_hint(data: bytes) -> str:
    try:
        return read_header(data).envelope_id
    except EnvelopeError:
        return ""


def _store(conn: Connection, dialect: str, device: Device, envelope: _Checked,
           now: str) -> tuple[str, str | None, AnyRow | None]:
    header = envelope.header
    existing = conn.execute(select(*_RECEIPT_COLUMNS).where(
        envelopes.c.envelope_id == header.envelope_id)).first()
    if existing is not None:  # a resend (same bytes), or another envelope under its id
        if hmac.compare_digest(existing.sha256, envelope.sha256):
            return "duplicate", None, existing
        return "conflict", "envelope-id-reused", None
    owner = conn.execute(select(cases.c.owner_device)
                         .where(cases.c.case_id == header.case_id)).scalar()
    if owner is None:
        conn.execute(insert(cases).values(case_id=header.case_id,
                                          owner_device=device.device_id, since=now))
    elif owner != device.device_id:
        return "conflict", "not-owner", None
    newest = conn.execute(select(func.max(envelopes.c.rev))
                          .where(envelopes.c.case_id == header.case_id)).scalar()
    same = int(conn.execute(select(func.count()).select_from(envelopes).where(
        envelopes.c.case_id == header.case_id, envelopes.c.device_id == device.device_id,
        envelopes.c.rev == header.rev)).scalar_one())
    flag = "revision-clash" if same else (
        "stale-base" if newest is not None and header.base_rev < int(newest) else None)
    inserted = conn.execute(
        _insert(dialect, envelopes).values(
            envelope_id=header.envelope_id, case_id=header.case_id,
            device_id=device.device_id, rev=header.rev, base_rev=header.base_rev,
            sealed_at=header.sealed_at, padded_size=header.padded_size,
            sha256=envelope.sha256, stored_at=now, body=envelope.data, variant=same,
            flag=flag)
        .on_conflict_do_nothing().returning(*_RECEIPT_COLUMNS)).first()
    if inserted is None:
        return "conflict", "revision-exists", None
    if flag is not None:
        audit.append(conn, now, device.device_id, "revision-flagged", case=header.case_id,
                     rev=header.rev, flag=flag)
    return "stored", None, inserted


def held(db: Database, device: Device, envelope_ids: Sequence[str]) -> dict[str, AnyRow]:
    """The rows (receipt columns) of those of these envelopes of this device the hub holds."""
    with db.read() as conn:
        return {row.envelope_id: row for row in conn.execute(
            select(*_RECEIPT_COLUMNS).where(envelopes.c.envelope_id.in_(list(envelope_ids)),
                                            envelopes.c.device_id == device.device_id))}


def feed(db: Database, clock: Clock, device: Device, after: int,
         limit: int) -> list[AnyRow]:
    """Envelopes after hub sequence ``after``, oldest first (supervisors; each read audited)."""
    with db.read() as conn:
        rows = list(conn.execute(
            select(envelopes.c.seq, envelopes.c.device_id, devices.c.verify_key,
                   devices.c.worker, envelopes.c.body, envelopes.c.flag)
            .join(devices, devices.c.device_id == envelopes.c.device_id)
            .where(envelopes.c.seq > after).order_by(envelopes.c.seq).limit(limit)))
    with db.write() as conn:
        now = stamp(clock)
        seen(conn, device, now)
        audit.append(conn, now, device.device_id, "feed-read", after=after, count=len(rows))
    return rows


def seen(conn: Connection, device: Device, now: str, pending: int | None = None) -> None:
    """The device checked in now (and said how many of its changes wait, if it did)."""
    values: dict[str, Any] = {"last_seen_at": now}
    if pending is not None:
        values["pending_count"] = pending
    conn.execute(update(devices).where(devices.c.device_id == device.device_id).values(**values))


def counts(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {
            "devices": conn.execute(select(func.count()).select_from(devices)).scalar_one(),
            "envelopes": conn.execute(select(func.count()).select_from(envelopes)).scalar_one(),
            "cases": conn.execute(select(func.count(envelopes.c.case_id.distinct())))
            .scalar_one(),
            "last_seq": conn.execute(select(func.coalesce(func.max(envelopes.c.seq), 0)))
            .scalar_one(),
        }
