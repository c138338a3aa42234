"""The store's tables (SQLAlchemy 2). The migrations in `migrations/versions` create them."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from firstcontact.domain.case import ConsentState, MarkStatus


class Base(DeclarativeBase):
    pass


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(8), default="open")
    nation: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # bumped in the transaction of every change to the case: what sync seals is revision N
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # local: this laptop's own case | pulled: a supervisor's read-only copy from the hub |
    # handed-over: a supervisor gave it to another worker (read-only here, never sealed again)
    origin: Mapped[str] = mapped_column(String(16), default="local", server_default="local")


class Answer(Base):
    """The current value of one field of one case: one row per field, revision counted."""

    __tablename__ = "answers"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    field_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[str] = mapped_column(String(32))


class Consent(Base):
    """Consent history: a row per decision; the latest per destination is current."""

    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    destination: Mapped[str] = mapped_column(String(32))
    state: Mapped[ConsentState] = mapped_column(String(16))
    explained_by: Mapped[str] = mapped_column(Text)
    explained: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(Text)
    interpreter: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_at: Mapped[str] = mapped_column(String(32))
    interpreter_independent: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    interpreter_accredited: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    interpreter_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    shares_account: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    not_sought_reason: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # the ids of the points the explanation covered, as a JSON array ("" for none)
    explained_points: Mapped[str] = mapped_column(Text, default="", server_default="")


class StepSkip(Base):
    """A step marked "not possible now": a reason id (the interview's skip reasons, which a
    pack may state) and the worker's private note (never in a referral)."""

    __tablename__ = "step_skips"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    step_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class Export(Base):
    """A pack written from a case: destination, time and the file's SHA-256 (no content)."""

    __tablename__ = "exports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    destination: Mapped[str] = mapped_column(String(32))
    exported_at: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # case: part of the case's own record | here: written on this machine from a pulled copy
    # (a supervisor's export: kept when a newer revision of the copy arrives)
    origin: Mapped[str] = mapped_column(String(16), default="case", server_default="case")


class CriterionMark(Base):
    """Criteria evidence the worker recorded by hand: met (how) or not applicable (why)."""

    __tablename__ = "criteria_marks"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    pc_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    status: Mapped[MarkStatus] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_at: Mapped[str] = mapped_column(String(32))


class Note(Base):
    """Free-text notes (PC29) and follow-up contacts reviewing needs, welfare, safety (PC27)."""

    __tablename__ = "notes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    details_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[str] = mapped_column(String(32))


class AuditEvent(Base):
    """Append-only (triggers refuse UPDATE and DELETE): ids, hashes and counts, never content.
    A hash chain (``audit_chain.py``): each row holds the previous row's hash and its own."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32))
    event: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class SyncEnvelope(Base):
    """One sealed revision of one case (docs/sync-protocol.md): its bytes are committed before
    the first send and never change; a retry resends them. ``state``: pending, acknowledged
    (with the hub's receipt and sequence number) or quarantined (with the hub's reason).
    ``sent_at`` is set before the first send: an envelope never sent may be superseded by a
    newer revision of its case, one that may have reached the hub never is."""

    __tablename__ = "sync_envelopes"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    envelope_id: Mapped[str] = mapped_column(String(36), unique=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    base_revision: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hub_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    receipt: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    sealed_at: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    acknowledged_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    __table_args__ = (UniqueConstraint("case_id", "revision",
                                       name="uq_sync_envelopes_case_revision"),
                      Index("ix_sync_envelopes_state", "state", "seq"))


class SyncDevice(Base):
    """This laptop's enrolment with the organisation's hub (one row, id 1): its keys, the
    hub's address and pinned signing key, the organisation's public key, the device token."""

    __tablename__ = "sync_device"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    hub_url: Mapped[str] = mapped_column(Text)
    token: Mapped[str] = mapped_column(Text)
    worker: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    signing_key: Mapped[bytes] = mapped_column(LargeBinary)
    receiving_key: Mapped[bytes] = mapped_column(LargeBinary)
    org_key: Mapped[bytes] = mapped_column(LargeBinary)
    org_fingerprint: Mapped[str] = mapped_column(String(64))
    hub_key: Mapped[bytes] = mapped_column(LargeBinary)
    hub_fingerprint: Mapped[str] = mapped_column(String(64))
    enrolled_at: Mapped[str] = mapped_column(String(32))
    hub_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_sync_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    last_result: Mapped[str | None] = mapped_column(Text, nullable=True)
    # the hub refused this laptop (device-revoked, device-retired): no more syncing
    revoked_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    revoked_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    records_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    feed_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # a supervisor's copy of the organisation's private sync key (96 bytes)
    org_private_key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # the organisation's settings as the hub signed them (JSON)
    org_settings: Mapped[str | None] = mapped_column(Text, nullable=True)


class PulledCase(Base):
    """A supervisor's read-only copy of a worker's case: whose it is, the revision that stands
    (its content is in the case's own tables), and a parallel revision waiting for a decision
    (a clash or a stale base: never silently chosen)."""

    __tablename__ = "pulled_cases"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    owner_device: Mapped[str] = mapped_column(String(36))
    owner_worker: Mapped[str] = mapped_column(Text)
    standing_envelope: Mapped[str] = mapped_column(String(36))
    parallel_envelope: Mapped[str | None] = mapped_column(String(36), nullable=True)
    resolved_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # the owner's receiving public key as the hub listed it: reviews are sealed to it
    owner_key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class PulledRevision(Base):
    """One revision of a pulled case, as its envelope held it (the case format's document)."""

    __tablename__ = "pulled_revisions"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    envelope_id: Mapped[str] = mapped_column(String(36), unique=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    base_revision: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[str] = mapped_column(String(36))
    worker: Mapped[str] = mapped_column(Text)
    hub_seq: Mapped[int] = mapped_column(Integer)
    sealed_at: Mapped[str] = mapped_column(String(32))
    flag: Mapped[str | None] = mapped_column(String(20), nullable=True)
    document: Mapped[str] = mapped_column(Text)
    pulled_at: Mapped[str] = mapped_column(String(32))


class CaseReview(Base):
    """Append-only: a supervisor's review of a case (a note, signed off, needs changes, which
    revision stands), an export a supervisor made, a handover — on the supervisor's machine
    and, synced back, on the worker's."""

    __tablename__ = "case_reviews"
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    revision: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(Text)
    author_device: Mapped[str] = mapped_column(String(36))
    at: Mapped[str] = mapped_column(String(32))
    detail_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    received_at: Mapped[str] = mapped_column(String(32))


class RecordOutbox(Base):
    """A record sealed here (a review, a handover, an export report), kept before the first
    send and resent byte for byte until the hub has it."""

    __tablename__ = "record_outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String(36), unique=True)
    case_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(12))  # pending | sent | refused
    reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[str | None] = mapped_column(String(32), nullable=True)


class Tombstone(Base):
    """A closed case purged after the hub's receipt for its latest revision: ids, revision and
    times only, no content."""

    __tablename__ = "tombstones"
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)
    hub_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    acknowledged_at: Mapped[str] = mapped_column(String(32))
    purged_at: Mapped[str] = mapped_column(String(32))


class CaseSummary(Base):
    """What the case list shows, written with every save so listing never recomputes it."""

    __tablename__ = "case_summary"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    reference: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(8))
    stage_reached: Mapped[str | None] = mapped_column(String(64), nullable=True)
    completeness_json: Mapped[str] = mapped_column(Text, default="{}")
    sync_state: Mapped[str] = mapped_column(String(16), default="local-only")
    sync_at: Mapped[str | None] = mapped_column(String(32), nullable=True)  # last acknowledged
    sync_reason: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the hub's
    search_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[str] = mapped_column(String(32))
    last_export_destination: Mapped[str | None] = mapped_column(String(32), nullable=True)
    last_export_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # reminders: an NRM decision awaited; the next review date (ISO), overdue once past
    decision_due: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    follow_up_due: Mapped[str | None] = mapped_column(String(10), nullable=True)
    origin: Mapped[str] = mapped_column(String(16), default="local", server_default="local")
    owner: Mapped[str | None] = mapped_column(Text, nullable=True)  # a pulled copy: whose
    # reviews: for-review | conflict | note | signed-off | needs-changes (None: none yet)
    review_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # the case id in the index: the case list's ordered ids come from the index alone
    __table_args__ = (Index("ix_case_summary_created", "created_at", "case_id"),
                      Index("ix_case_summary_status", "status", "created_at", "case_id"))


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)
