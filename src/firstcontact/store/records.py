"""Plain records the store returns and takes: no ORM object leaves the store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


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
class ConsentRow:
    destination: str
    state: str
    explained_by: str
    explained: str
    language: str
    interpreter: str | None
    recorded_at: str


@dataclass(frozen=True)
class ConsentInput:
    destination: str
    state: str
    explained_by: str
    explained: str
    language: str
    interpreter: str | None


@dataclass(frozen=True)
class MarkRow:
    status: str
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
    consents: Mapping[str, ConsentRow]  # current per destination
    consent_history: tuple[ConsentRow, ...]  # oldest first
    skips: Mapping[str, str]
    marks: Mapping[str, MarkRow]
    notes: tuple[NoteRow, ...]


@dataclass(frozen=True)
class SummaryUpdate:
    stage_reached: str | None
    completeness: Mapping[str, str] = field(default_factory=dict)
    sync_state: str = "local-only"
    search_text: str | None = None


@dataclass(frozen=True)
class SummaryRow:
    case_id: str
    reference: str
    created_at: str
    status: str
    stage_reached: str | None
    completeness: Mapping[str, str]
    sync_state: str


@dataclass(frozen=True)
class AuditRow:
    at: str
    event: str
    case_id: str | None
    detail: str | None
