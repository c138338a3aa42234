"""The IT lead's hold over devices: the list (last check-in, pending count — no content),
retiring (pushes accepted until a date, then refused), revoking (every request answered
``401 device-revoked``), wipe orders (signed by the hub, delivered at the device's next
contact), supervisors' wrapped copies of the organisation key, and the organisation's settings
(signed by the hub, delivered at every sync). Every change is audited."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, delete, func, insert, select, update

from firstcontact.hub import audit
from firstcontact.hub.clock import Clock, stamp
from firstcontact.hub.db import AnyRow, Database
from firstcontact.hub.errors import HubError
from firstcontact.hub.models import devices, org_key_copies, org_settings, records, wipe_orders
from firstcontact.sync.keys import KemKeyPair, KemPublicKey
from firstcontact.sync.org_key_copy import OrgKeyCopyError, copy_public_key, wrap_for_device
from firstcontact.sync.signed import SETTINGS, WIPE_ORDER, sign_doc

MAX_PURGE_DAYS = 3650
DEFAULT_RETIRE_DAYS = 14


@dataclass(frozen=True)
class DeviceRow:
    device_id: str
    worker: str
    role: str
    state: str
    enrolled_at: str
    last_seen_at: str | None
    pending_count: int | None
    retire_until: str | None
    revoked_at: str | None
    org_key: str | None  # supervisors: held | awaiting-copy | removed
    records: int  # reviews, reports and notices kept for it
    wipe_ordered: bool

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def listing(db: Database) -> list[DeviceRow]:
    with db.read() as conn:
        waiting: dict[str, int] = dict(conn.execute(
            select(records.c.to_device, func.count()).where(records.c.to_device.is_not(None))
            .group_by(records.c.to_device)).all())
        wiped = set(conn.execute(select(wipe_orders.c.device_id)).scalars())
        rows = conn.execute(select(devices).order_by(devices.c.enrolled_at)).all()
    return [DeviceRow(r.device_id, r.worker, r.role, r.state, r.enrolled_at, r.last_seen_at,
                      r.pending_count, r.retire_until, r.revoked_at, r.org_key_state,
                      int(waiting.get(r.device_id, 0)), r.device_id in wiped) for r in rows]


def find(db: Database, ref: str) -> AnyRow:
    """A device by its id or an unambiguous start of it (at least 4 characters)."""
    ref = ref.strip().lower()
    if len(ref) < 4:
        raise HubError(422, "bad-device", "give the device id (or at least its first 4 "
                                          "characters): see `firstcontact-hub devices`")
    with db.read() as conn:
        found = conn.execute(select(devices).where(
            devices.c.device_id.like(ref.replace("%", "").replace("_", "") + "%"))).all()
    if not found:
        raise HubError(404, "unknown-device", f"no device {ref}: see `firstcontact-hub devices`")
    if len(found) > 1:
        raise HubError(422, "ambiguous-device", f"{ref} starts more than one device id; give "
                                                "more of it")
    return found[0]


def retire(db: Database, clock: Clock, device_id: str, days: int) -> str:
    if not 0 <= days <= 365:
        raise HubError(422, "bad-days", "retire for 0 to 365 days")
    with db.write() as conn:
        row = _active(conn, device_id)
        until = stamp(lambda: clock() + timedelta(days=days))
        conn.execute(update(devices).where(devices.c.device_id == row.device_id)
                     .values(state="retired", retire_until=until))
        audit.append(conn, stamp(clock), "hub", "device-retired", device=row.device_id,
                     until=until)
    return until


def revoke(db: Database, clock: Clock, hub_key: Ed25519PrivateKey, device_id: str, *,
           wipe: bool) -> None:
    with db.write() as conn:
        row = conn.execute(select(devices).where(devices.c.device_id == device_id)).first()
        if row is None:
            raise HubError(404, "unknown-device", "no such device")
        now = stamp(clock)
        if row.state != "revoked":
            conn.execute(update(devices).where(devices.c.device_id == device_id)
                         .values(state="revoked", revoked_at=now))
            audit.append(conn, now, "hub", "device-revoked", device=device_id)
        if wipe:
            order = sign_doc(hub_key, WIPE_ORDER, {
                "order": "wipe", "device_id": device_id, "ordered_at": now,
                "nonce": secrets.token_hex(16)})
            conn.execute(insert(wipe_orders).values(
                device_id=device_id, ordered_at=now,
                signed_order=json.dumps(order).encode("utf-8")))
            audit.append(conn, now, "hub", "wipe-ordered", device=device_id)


def _active(conn: Connection, device_id: str) -> AnyRow:
    row = conn.execute(select(devices).where(devices.c.device_id == device_id)).first()
    if row is None:
        raise HubError(404, "unknown-device", "no such device")
    if row.state == "revoked":
        raise HubError(409, "device-revoked", "this device is revoked already")
    return row


def wipe_order(db: Database, clock: Clock, device_id: str) -> dict[str, Any] | None:
    """The device's newest wipe order, marked delivered (it is sent at every contact until
    the device stops calling: a wipe that was cut off is ordered again)."""
    with db.write() as conn:
        row = conn.execute(select(wipe_orders.c.id, wipe_orders.c.signed_order,
                                  wipe_orders.c.delivered_at)
                           .where(wipe_orders.c.device_id == device_id)
                           .order_by(wipe_orders.c.id.desc()).limit(1)).first()
        if row is None:
            return None
        if row.delivered_at is None:
            now = stamp(clock)
            conn.execute(update(wipe_orders).where(wipe_orders.c.id == row.id)
                         .values(delivered_at=now))
            audit.append(conn, now, "hub", "wipe-delivered", device=device_id)
        order: dict[str, Any] = json.loads(row.signed_order)
        return order


# -- the organisation key's wrapped copies ----------------------------------------------------
def copies(db: Database) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(select(org_key_copies.c.device_id, org_key_copies.c.created_at,
                                   devices.c.worker, devices.c.state)
                            .join(devices, devices.c.device_id == org_key_copies.c.device_id)
                            .order_by(org_key_copies.c.created_at)).all()
    return [{"device_id": r.device_id, "worker": r.worker, "state": r.state,
             "created_at": r.created_at} for r in rows]


def add_org_key_copy(db: Database, clock: Clock, device_id: str, org: KemKeyPair) -> None:
    """Wrap the organisation key (opened by the IT lead from the offline file) to a
    supervisor's device; the hub keeps only the wrapped copy."""
    with db.write() as conn:
        row = _active(conn, device_id)
        if row.role != "supervisor":
            raise HubError(422, "not-supervisor", "only a supervisor's device holds the "
                                                  "organisation key")
        _keep_copy(conn, clock, row.device_id,
                   wrap_for_device(org, KemPublicKey(row.receiving_key)), "org-key-copy-added")


def _keep_copy(conn: Connection, clock: Clock, device_id: str, wrapped: bytes,
               event: str) -> None:
    now = stamp(clock)
    conn.execute(delete(org_key_copies).where(org_key_copies.c.device_id == device_id))
    conn.execute(insert(org_key_copies).values(device_id=device_id, wrapped=wrapped,
                                               created_at=now))
    conn.execute(update(devices).where(devices.c.device_id == device_id)
                 .values(org_key_state="held"))
    audit.append(conn, now, "hub", event, device=device_id)


def remove_org_key_copy(db: Database, clock: Clock, device_id: str) -> bool:
    with db.write() as conn:
        gone = conn.execute(delete(org_key_copies)
                            .where(org_key_copies.c.device_id == device_id)).rowcount
        conn.execute(update(devices).where(devices.c.device_id == device_id)
                     .values(org_key_state="removed"))
        audit.append(conn, stamp(clock), "hub", "org-key-copy-removed", device=device_id)
    return bool(gone)


def device_copy(db: Database, device_id: str) -> bytes | None:
    with db.read() as conn:
        wrapped = conn.execute(select(org_key_copies.c.wrapped)
                               .where(org_key_copies.c.device_id == device_id)).scalar()
    return bytes(wrapped) if wrapped is not None else None


def keep_device_copy(db: Database, clock: Clock, device_id: str, wrapped: bytes,
                     org: KemPublicKey) -> None:
    """A supervisor's device, enrolled with a code that carried the organisation key, sends
    the key wrapped to its own receiving key (once: later copies come from the IT lead)."""
    try:
        if copy_public_key(wrapped) != org:
            raise OrgKeyCopyError("other key")
    except OrgKeyCopyError:
        raise HubError(422, "bad-key", "not a copy of this organisation's key") from None
    with db.write() as conn:
        state = conn.execute(select(devices.c.org_key_state)
                             .where(devices.c.device_id == device_id)).scalar()
        if state != "awaiting-copy":
            raise HubError(409, "not-awaited", "this device's copy comes from the IT lead "
                                               "(firstcontact-hub org-key add)")
        _keep_copy(conn, clock, device_id, wrapped, "org-key-copy-kept")


# -- the organisation's settings --------------------------------------------------------------
def settings(db: Database) -> dict[str, Any]:
    with db.read() as conn:
        body = conn.execute(select(org_settings.c.body)
                            .order_by(org_settings.c.seq.desc()).limit(1)).scalar()
    if body is None:
        return {"purge_after_days": None}
    doc: dict[str, Any] = json.loads(body)["doc"]
    return doc


def set_purge(db: Database, clock: Clock, hub_key: Ed25519PrivateKey,
              days: int | None) -> dict[str, Any]:
    """Purge closed cases from laptops ``days`` after the hub's receipt for their latest
    revision (0: as soon as it is acknowledged; None: never)."""
    if days is not None and not 0 <= days <= MAX_PURGE_DAYS:
        raise HubError(422, "bad-days", f"purge after 0 to {MAX_PURGE_DAYS} days")
    with db.write() as conn:
        now = stamp(clock)
        version = int(conn.execute(select(func.count()).select_from(org_settings))
                      .scalar_one()) + 1
        doc = {"purge_after_days": days, "issued_at": now, "version": version}
        conn.execute(insert(org_settings).values(
            issued_at=now, body=json.dumps(sign_doc(hub_key, SETTINGS, doc)).encode()))
        audit.append(conn, now, "hub", "settings-changed",
                     purge_after_days=-1 if days is None else days)
    return doc
