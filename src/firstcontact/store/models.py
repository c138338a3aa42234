"""The store's tables (SQLAlchemy 2). The migrations in `migrations/versions` create them."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, false
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


class OutboxEntry(Base):
    """A change waiting to be synced to the organisation's hub."""

    __tablename__ = "outbox"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(160))
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(8), default="pending")


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
    search_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[str] = mapped_column(String(32))
    last_export_destination: Mapped[str | None] = mapped_column(String(32), nullable=True)
    last_export_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # reminders: an NRM decision awaited; the next review date (ISO), overdue once past
    decision_due: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    follow_up_due: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # the case id in the index: the case list's ordered ids come from the index alone
    __table_args__ = (Index("ix_case_summary_created", "created_at", "case_id"),
                      Index("ix_case_summary_status", "status", "created_at", "case_id"))


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)
