"""The store's side of sync, inside one transaction each: a case's sync state for its summary,
what still waits to be sealed, the envelopes and their states, the enrolment.

A case's sync state (the case list's column):

- ``local-only``: this laptop is not enrolled with a hub;
- ``pending``: enrolled, and the newest revision is not acknowledged by the hub yet;
- ``synced``: the hub acknowledged the case's current revision (``sync_at``: when);
- ``attention``: the hub refused a revision newer than any it acknowledged (``sync_reason``:
  its reason code) — someone must look at it;
- ``pulled``: a supervisor's read-only copy of a worker's case (never sealed here);
- ``handed-over``: a supervisor gave the case to another worker (read-only, never sealed here).

Nothing here knows how an envelope is sealed: the caller hands in a function.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from firstcontact.clock import now_iso
from firstcontact.store import records
from firstcontact.store.models import Case, CaseSummary, SyncDevice, SyncEnvelope

PENDING = "pending"
ACKNOWLEDGED = "acknowledged"
QUARANTINED = "quarantined"
DEVICE_ROW = 1


def enrolled(s: Session) -> bool:
    return s.get(SyncDevice, DEVICE_ROW) is not None


def case_sync(s: Session, case: Case) -> records.CaseSync:
    if case.origin != "local":
        return records.CaseSync(case.origin, case.revision, case.revision, None, None)
    acked = s.execute(select(SyncEnvelope.revision, SyncEnvelope.acknowledged_at)
                      .where(SyncEnvelope.case_id == case.id,
                             SyncEnvelope.state == ACKNOWLEDGED)
                      .order_by(SyncEnvelope.revision.desc()).limit(1)).first()
    refused = s.execute(select(SyncEnvelope.revision, SyncEnvelope.reason)
                        .where(SyncEnvelope.case_id == case.id,
                               SyncEnvelope.state == QUARANTINED)
                        .order_by(SyncEnvelope.revision.desc()).limit(1)).first()
    acked_rev, acked_at = (int(acked[0]), acked[1]) if acked else (0, None)
    if refused is not None and int(refused[0]) > acked_rev:
        return records.CaseSync("attention", case.revision, acked_rev, acked_at, refused[1])
    if acked is not None and acked_rev >= case.revision:
        return records.CaseSync("synced", case.revision, acked_rev, acked_at, None)
    state = "pending" if enrolled(s) else "local-only"
    return records.CaseSync(state, case.revision, acked_rev, acked_at, None)


def refresh_summary(s: Session, case: Case) -> records.CaseSync:
    """Write the case's sync state into its summary row (the case list reads it there)."""
    sync = case_sync(s, case)
    row = s.get(CaseSummary, case.id)
    if row is not None:
        row.sync_state, row.sync_at, row.sync_reason = sync.state, sync.at, sync.reason
    return sync


def cases_to_seal(s: Session) -> list[str]:
    """Cases whose current revision has no envelope yet, least recently changed first."""
    newest = (select(func.max(SyncEnvelope.revision)).where(SyncEnvelope.case_id == Case.id)
              .correlate(Case).scalar_subquery())
    return list(s.scalars(select(Case.id).where(Case.origin == "local",
                                                Case.revision > func.coalesce(newest, 0))
                          .order_by(Case.updated_at)))


def newest_sealed(s: Session, case_id: str) -> int:
    return int(s.scalar(select(func.max(SyncEnvelope.revision))
                        .where(SyncEnvelope.case_id == case_id)) or 0)


def supersede_unsent(s: Session, case_id: str) -> int:
    """Drop this case's envelopes that were sealed but never released for sending (a newer
    revision replaces them); one that may have reached the hub is never dropped."""
    rows = list(s.scalars(select(SyncEnvelope).where(SyncEnvelope.case_id == case_id,
                                                     SyncEnvelope.state == PENDING,
                                                     SyncEnvelope.sent_at.is_(None))))
    for row in rows:
        s.delete(row)
    s.flush()
    return len(rows)


def thin_acknowledged(s: Session, case_id: str) -> None:
    """Drop the bytes of acknowledged envelopes older than the case's newest acknowledged one:
    the hub holds them and each receipt keeps their SHA-256 (the store stays small)."""
    newest = (select(func.max(SyncEnvelope.revision))
              .where(SyncEnvelope.case_id == case_id, SyncEnvelope.state == ACKNOWLEDGED)
              .scalar_subquery())
    s.execute(update(SyncEnvelope)
              .where(SyncEnvelope.case_id == case_id, SyncEnvelope.state == ACKNOWLEDGED,
                     SyncEnvelope.revision < newest, func.length(SyncEnvelope.data) > 0)
              .values(data=b""))


def base_revision(s: Session, case_id: str) -> int:
    """The revision a new envelope follows: the newest one that may be on the hub."""
    return int(s.scalar(select(func.max(SyncEnvelope.revision))
                        .where(SyncEnvelope.case_id == case_id,
                               SyncEnvelope.state != QUARANTINED)) or 0)


def release(s: Session) -> int:
    """Mark every sealed, unreleased envelope as about to be sent (committed before it is)."""
    result = s.execute(update(SyncEnvelope)
                       .where(SyncEnvelope.state == PENDING, SyncEnvelope.sent_at.is_(None))
                       .values(sent_at=now_iso()))
    return int(getattr(result, "rowcount", 0) or 0)


def pending_ids(s: Session) -> list[str]:
    return list(s.scalars(select(SyncEnvelope.envelope_id)
                          .where(SyncEnvelope.state == PENDING,
                                 SyncEnvelope.sent_at.is_not(None))
                          .order_by(SyncEnvelope.seq)))


def acknowledge(s: Session, receipts: Sequence[records.Acknowledgement]) -> list[Case]:
    """Mark envelopes acknowledged with their receipts; the cases whose state may change."""
    stamp = now_iso()
    touched: dict[str, Case] = {}
    for ack in receipts:
        row = s.scalar(select(SyncEnvelope).where(SyncEnvelope.envelope_id == ack.envelope_id))
        if row is None or row.state == ACKNOWLEDGED:
            continue
        row.state, row.hub_seq, row.receipt = ACKNOWLEDGED, ack.hub_seq, ack.receipt
        row.reason, row.acknowledged_at = None, stamp
        case = s.get(Case, row.case_id)
        if case is not None:
            touched[case.id] = case
    s.flush()
    return list(touched.values())


def quarantine(s: Session, envelope_id: str, reason: str) -> Case | None:
    row = s.scalar(select(SyncEnvelope).where(SyncEnvelope.envelope_id == envelope_id))
    if row is None or row.state == ACKNOWLEDGED:
        return None
    row.state, row.reason = QUARANTINED, reason[:64]
    s.flush()
    return s.get(Case, row.case_id)


def counts(s: Session) -> dict[str, int]:
    """Envelopes by state."""
    rows = s.execute(select(SyncEnvelope.state, func.count()).group_by(SyncEnvelope.state))
    found = {str(state): int(n) for state, n in rows}
    return {state: found.get(state, 0) for state in (PENDING, ACKNOWLEDGED, QUARANTINED)}


def device_row(device: SyncDevice) -> records.SyncDeviceRow:
    return records.SyncDeviceRow(
        device_id=device.device_id, hub_url=device.hub_url, token=device.token,
        worker=device.worker, role=device.role, signing_key=device.signing_key,
        receiving_key=device.receiving_key, org_key=device.org_key,
        org_fingerprint=device.org_fingerprint, hub_key=device.hub_key,
        hub_fingerprint=device.hub_fingerprint, enrolled_at=device.enrolled_at,
        hub_seq=device.hub_seq, last_sync_at=device.last_sync_at,
        last_result=device.last_result, revoked_at=device.revoked_at,
        revoked_code=device.revoked_code, records_seq=device.records_seq,
        feed_seq=device.feed_seq, org_private_key=device.org_private_key,
        org_settings=device.org_settings)
