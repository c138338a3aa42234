"""The store's side of supervision, inside one transaction each (the facade holds it):

- **pulled copies**: a supervisor keeps every revision of a worker's case it pulled
  (``pulled_revisions``, the case format's document) and the one that stands written into the
  case's own tables (so the screens, the completeness check and the packs read it as any case),
  marked ``origin = pulled``: read-only, never sealed. A revision that clashes (the hub's flag,
  or one not following the standing revision) is kept beside it as the case's *parallel*
  revision until someone decides which stands; meanwhile the standing copy's consent history is
  the union of both (a withdrawal always survives: domain/consent_merge.py);
- **reviews** (notes, sign-offs, requests for changes, decisions, a supervisor's exports,
  handovers): append-only, on both sides; they set the case list's review badge;
- **records waiting to be sent**: sealed once, kept before the first send, resent as they are;
- **handover**: the receiving laptop takes the case as its own (from the revision handed);
  the giving laptop keeps it read-only and stops sealing it;
- **purge after receipt**: a closed case whose latest revision the hub acknowledged is erased
  and a content-free tombstone kept.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from firstcontact.clock import now_iso
from firstcontact.domain.consent_merge import merge_histories
from firstcontact.store import records
from firstcontact.store.models import (
    Answer,
    Case,
    CaseReview,
    CaseSummary,
    Consent,
    CriterionMark,
    Export,
    Note,
    PulledCase,
    PulledRevision,
    RecordOutbox,
    StepSkip,
    SyncEnvelope,
    Tombstone,
)
from firstcontact.store.sync_records import ACKNOWLEDGED, PENDING, QUARANTINED

DECISIONS = ("signed-off", "needs-changes")
BADGES = ("signed-off", "needs-changes", "note")


# -- a case's content ------------------------------------------------------------------------
def replace_content(s: Session, case: Case, content: records.CaseContent,
                    consents: Sequence[Consent]) -> None:
    """Replace the case's answers, consents, skips, marks, notes and its own exports with
    ``content`` (``consents``: its history as rows; a supervisor's exports of the copy stay)."""
    stamp = now_iso()
    for model in (Answer, Consent, StepSkip, CriterionMark, Note):
        s.execute(delete(model).where(model.case_id == case.id))
    s.execute(delete(Export).where(Export.case_id == case.id, Export.origin == "case"))
    for fid, value in content.answers.items():
        s.add(Answer(case_id=case.id, field_id=fid, value_json=value, revision=1,
                     updated_at=stamp))
    for row in consents:
        s.add(row)
    for step_id, skip in content.skips.items():
        s.add(StepSkip(case_id=case.id, step_id=step_id, reason=skip.reason, note=skip.note,
                       recorded_at=stamp))
    for pc, (status, note) in content.marks.items():
        s.add(CriterionMark(case_id=case.id, pc_id=pc, status=status, note=note,
                            recorded_at=stamp))
    for number, (kind, text, details, created_at) in enumerate(content.notes):
        s.add(Note(id=f"{case.id[:24]}-{number:011d}", case_id=case.id, kind=kind, text=text,
                   details_json=details, created_at=created_at or stamp))
    for destination, at, sha in content.exports:
        s.add(Export(case_id=case.id, destination=destination, exported_at=at, sha256=sha,
                     service_id=None, origin="case"))
    case.status = content.status if content.status in ("open", "closed") else "open"
    case.updated_at = stamp
    s.flush()


# -- pulled copies ---------------------------------------------------------------------------
def pulled_known(s: Session, envelope_id: str) -> bool:
    return s.scalar(select(PulledRevision.seq)
                    .where(PulledRevision.envelope_id == envelope_id)) is not None


def revision_row(r: PulledRevision) -> records.PulledRevisionRow:
    return records.PulledRevisionRow(r.envelope_id, r.case_id, r.revision, r.base_revision,
                                     r.device_id, r.worker, r.hub_seq, r.sealed_at, r.flag,
                                     r.document)


def revision_by_envelope(s: Session, envelope_id: str) -> PulledRevision | None:
    return s.scalar(select(PulledRevision).where(PulledRevision.envelope_id == envelope_id))


def placement(s: Session, pulled: PulledCase | None, rev: records.PulledRevisionRow) -> str:
    """Where a newly pulled revision goes: ``standing`` (it follows the revision that stands),
    or ``parallel`` (a clash or a stale base: kept beside it for a decision)."""
    if pulled is None:
        return "standing"
    standing = revision_by_envelope(s, pulled.standing_envelope)
    if pulled.parallel_envelope is not None:
        parallel = revision_by_envelope(s, pulled.parallel_envelope)
        if parallel is not None and rev.base_revision >= parallel.revision \
                and rev.device_id == parallel.device_id:
            return "parallel"  # the other version goes on: it stays the one to compare
    if rev.flag is not None:
        return "parallel"
    if standing is not None and (rev.revision <= standing.revision
                                 or rev.base_revision < standing.revision):
        return "parallel"
    return "standing"


def keep_revision(s: Session, rev: records.PulledRevisionRow, flag: str | None) -> None:
    s.add(PulledRevision(envelope_id=rev.envelope_id, case_id=rev.case_id,
                         revision=rev.revision, base_revision=rev.base_revision,
                         device_id=rev.device_id, worker=rev.worker, hub_seq=rev.hub_seq,
                         sealed_at=rev.sealed_at, flag=flag, document=rev.document,
                         pulled_at=now_iso()))
    s.flush()


def pulled_case_row(s: Session, case: Case) -> records.PulledCaseRow | None:
    pulled = s.get(PulledCase, case.id)
    if pulled is None:
        return None
    standing = revision_by_envelope(s, pulled.standing_envelope)
    if standing is None:
        return None
    parallel = revision_by_envelope(s, pulled.parallel_envelope) \
        if pulled.parallel_envelope else None
    summary = s.get(CaseSummary, case.id)
    return records.PulledCaseRow(
        case.id, case.reference, case.status, pulled.owner_device, pulled.owner_worker,
        revision_row(standing), revision_row(parallel) if parallel is not None else None,
        summary.review_state if summary is not None else None,
        bytes(pulled.owner_key) if pulled.owner_key is not None else None)


def pulled_cases(s: Session) -> list[records.PulledCaseRow]:
    rows = []
    for case in s.scalars(select(Case).where(Case.origin == "pulled")
                          .order_by(Case.created_at.desc())):
        row = pulled_case_row(s, case)
        if row is not None:
            rows.append(row)
    return rows


def remember_owner_keys(s: Session, keys: dict[str, bytes]) -> None:
    """The owners' receiving public keys as the hub listed them (device id → key)."""
    for pulled in s.scalars(select(PulledCase)):
        key = keys.get(pulled.owner_device)
        if key is not None and pulled.owner_key != key:
            pulled.owner_key = key


def revisions(s: Session, case_id: str) -> list[records.PulledRevisionRow]:
    return [revision_row(r) for r in s.scalars(
        select(PulledRevision).where(PulledRevision.case_id == case_id)
        .order_by(PulledRevision.hub_seq))]


# -- reviews ---------------------------------------------------------------------------------
def add_review(s: Session, row: records.ReviewRow) -> bool:
    """Keep a review (once per record id); False if it was already kept."""
    if s.get(CaseReview, row.record_id) is not None:
        return False
    s.add(CaseReview(record_id=row.record_id, case_id=row.case_id, kind=row.kind,
                     note=row.note, revision=row.revision, author=row.author,
                     author_device=row.author_device, at=row.at, detail_json=row.detail_json,
                     received_at=row.received_at or now_iso()))
    s.flush()
    return True


def reviews(s: Session, case_id: str) -> list[records.ReviewRow]:
    return [records.ReviewRow(r.record_id, r.case_id, r.kind, r.note, r.revision, r.author,
                              r.author_device, r.at, r.detail_json, r.received_at)
            for r in s.scalars(select(CaseReview).where(CaseReview.case_id == case_id)
                               .order_by(CaseReview.received_at, CaseReview.at))]


def review_state(s: Session, case: Case) -> str | None:
    """The case list's review badge. A pulled copy: ``conflict`` (two versions wait for a
    decision), the decision on the revision that stands, else ``for-review``. A worker's own
    case: the latest review it received (None before any)."""
    kept = reviews(s, case.id)
    if case.origin == "pulled":
        pulled = s.get(PulledCase, case.id)
        if pulled is not None and pulled.parallel_envelope is not None:
            return "conflict"
        decided = [r for r in kept if r.kind in DECISIONS and r.revision >= case.revision]
        return decided[-1].kind if decided else "for-review"
    badges = [r for r in kept if r.kind in BADGES]
    return badges[-1].kind if badges else None


def refresh_review_state(s: Session, case: Case) -> None:
    summary = s.get(CaseSummary, case.id)
    if summary is not None:
        summary.review_state = review_state(s, case)
        summary.origin = case.origin


# -- records waiting to be sent --------------------------------------------------------------
def queue_record(s: Session, record_id: str, case_id: str, kind: str, data: bytes) -> None:
    s.add(RecordOutbox(record_id=record_id, case_id=case_id, kind=kind, data=data,
                       state=PENDING, created_at=now_iso()))
    s.flush()


def pending_records(s: Session) -> list[tuple[str, bytes]]:
    return [(r.record_id, bytes(r.data)) for r in s.scalars(
        select(RecordOutbox).where(RecordOutbox.state == PENDING).order_by(RecordOutbox.seq))]


def settle_records(s: Session, outcomes: dict[str, str]) -> tuple[int, int]:
    """The hub's answers: stored or duplicate → sent; anything else → refused (with the
    reason). Returns (sent, refused)."""
    sent = refused = 0
    for record_id, outcome in outcomes.items():
        row = s.scalar(select(RecordOutbox).where(RecordOutbox.record_id == record_id,
                                                  RecordOutbox.state == PENDING))
        if row is None:
            continue
        if outcome in ("stored", "duplicate"):
            row.state, row.sent_at = "sent", now_iso()
            sent += 1
        else:
            row.state, row.reason = "refused", outcome[:64]
            refused += 1
    return sent, refused


# -- handover --------------------------------------------------------------------------------
def handed_out(s: Session, case: Case) -> None:
    """This laptop no longer owns the case: read-only, never sealed again; envelopes never
    sent are dropped, those sent and not acknowledged are out of the queue (the hub refuses
    them now)."""
    case.origin = "handed-over"
    s.execute(delete(SyncEnvelope).where(SyncEnvelope.case_id == case.id,
                                         SyncEnvelope.state == PENDING,
                                         SyncEnvelope.sent_at.is_(None)))
    s.execute(update(SyncEnvelope).where(SyncEnvelope.case_id == case.id,
                                         SyncEnvelope.state == PENDING)
              .values(state=QUARANTINED, reason="handed-over"))
    s.flush()


def handed_in(s: Session, case: Case, revision: int, record_id: str) -> None:
    """This laptop owns the case from ``revision`` on: its next change is ``revision + 1``
    on the hub's line (a stand-in acknowledged envelope marks where that line is)."""
    case.origin = "local"
    case.revision = max(case.revision, revision)
    if s.scalar(select(SyncEnvelope.seq).where(SyncEnvelope.case_id == case.id,
                                               SyncEnvelope.revision == case.revision)) is None:
        s.add(SyncEnvelope(envelope_id=record_id, case_id=case.id, revision=case.revision,
                           base_revision=case.revision, data=b"", state=ACKNOWLEDGED,
                           sealed_at=now_iso(), sent_at=now_iso(), acknowledged_at=now_iso()))
    s.flush()


# -- purge after receipt ---------------------------------------------------------------------
def tombstone(s: Session, case: Case, hub_seq: int | None, acknowledged_at: str) -> None:
    s.merge(Tombstone(case_id=case.id, reference=case.reference, revision=case.revision,
                      hub_seq=hub_seq, acknowledged_at=acknowledged_at, purged_at=now_iso()))


def tombstones(s: Session) -> list[records.TombstoneRow]:
    return [records.TombstoneRow(t.case_id, t.reference, t.revision, t.hub_seq,
                                 t.acknowledged_at, t.purged_at)
            for t in s.scalars(select(Tombstone).order_by(Tombstone.purged_at))]


def consent_union(*histories: Sequence[records.ConsentRecord]
                  ) -> tuple[records.ConsentRecord, ...]:
    return merge_histories(*histories)


def details(detail: dict[str, object] | None) -> str | None:
    return json.dumps(detail, sort_keys=True) if detail else None
