"""Plain records the store returns and takes: no ORM object leaves the store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# One consent shape and one skip shape across the layers: the domain's own records.
from firstcontact.domain.case import ConsentRecord, MarkStatus, SkipRecord


@dataclass(frozen=True)
class CaseRow:
    id: str
    reference: str
    created_at: str
    updated_at: str
    status: str
    nation: str | None


@dataclass(frozen=True)
class AnswerRow:
    value_json: str
    revision: int
    updated_at: str


@dataclass(frozen=True)
class ExportRow:
    destination: str
    exported_at: str
    sha256: str
    service_id: str | None


@dataclass(frozen=True)
class MarkRow:
    status: MarkStatus
    note: str | None


@dataclass(frozen=True)
class NoteRow:
    id: str
    kind: str
    text: str
    details_json: str | None
    created_at: str


@dataclass(frozen=True)
class CaseData:
    case: CaseRow
    answers: Mapping[str, AnswerRow]
    consents: Mapping[str, ConsentRecord]  # current per destination
    consent_history: tuple[ConsentRecord, ...]  # oldest first
    skips: Mapping[str, SkipRecord]
    marks: Mapping[str, MarkRow]
    notes: tuple[NoteRow, ...]
    exports: tuple[ExportRow, ...] = ()  # oldest first


@dataclass(frozen=True)
class SummaryUpdate:
    stage_reached: str | None
    completeness: Mapping[str, str] = field(default_factory=dict)
    sync_state: str = "local-only"
    search_text: str | None = None
    decision_due: bool = False  # an NRM decision is awaited
    follow_up_due: str | None = None  # the next review date (ISO)


@dataclass(frozen=True)
class SummaryRow:
    case_id: str
    reference: str
    created_at: str
    status: str
    stage_reached: str | None
    completeness: Mapping[str, str]
    sync_state: str
    last_export_destination: str | None = None
    last_export_at: str | None = None
    decision_due: bool = False
    follow_up_due: str | None = None


@dataclass(frozen=True)
class AuditRow:
    at: str
    event: str
    case_id: str | None
    detail: str | None


__all__ = ["AnswerRow", "AuditRow", "CaseData", "CaseRow", "ConsentRecord", "ExportRow",
           "MarkRow", "NoteRow", "SkipRecord", "SummaryRow", "SummaryUpdate"]
