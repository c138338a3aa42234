"""View models: what the CLI prints and the GUI shows. Plain data, no ORM, no Qt."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# What a completeness check says, as the screens show it (plain frozen dataclasses).
from firstcontact.referral.check import MissingItem, PackCheck

__all__ = ["AnswerView", "CaseListRow", "MissingItem", "PackCheck", "StepView"]


@dataclass(frozen=True)
class CaseListRow:
    case_id: str
    reference: str
    created_at: str
    status: str
    stage: str | None
    stage_title: str | None
    completeness: dict[str, str]  # destination -> complete | incomplete | refused
    sync_state: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AnswerView:
    field_id: str
    label: str
    value: Any
    display: str


@dataclass(frozen=True)
class StepView:
    id: str
    title: str
    status: str
    skip_reason: str | None
    answers: tuple[AnswerView, ...]


@dataclass(frozen=True)
class StageView:
    id: str
    title: str
    done: int
    total: int
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class ConsentView:
    destination: str
    state: str
    explained_by: str
    language: str
    interpreter: str | None
    explained: str
    recorded_at: str


@dataclass(frozen=True)
class CoverageView:
    id: str
    text: str
    status: str
    reasons: tuple[str, ...]
    steps: tuple[str, ...]


@dataclass(frozen=True)
class NoteView:
    id: str
    kind: str
    text: str
    created_at: str


@dataclass(frozen=True)
class CaseDetail:
    case_id: str
    reference: str
    status: str
    created_at: str
    stages: tuple[StageView, ...]
    consents: tuple[ConsentView, ...]  # current per destination
    consent_history: tuple[ConsentView, ...]
    coverage: tuple[CoverageView, ...]
    notes: tuple[NoteView, ...]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AuditView:
    at: str
    event: str
    case_reference: str | None
    detail: str | None
