"""View models: what the CLI prints and the GUI shows. Plain data, no ORM, no Qt."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# One consent shape across the layers: the domain's record.
from firstcontact.domain.case import ConsentRecord

# What a completeness check says, as the screens show it (plain frozen dataclasses).
from firstcontact.referral.check import MissingItem, PackCheck

__all__ = ["AnswerView", "CaseListRow", "ConsentRecord", "MissingItem", "PackCheck", "StepView"]


@dataclass(frozen=True)
class CaseListRow:
    case_id: str
    reference: str
    created_at: str
    status: str
    stage: str | None
    stage_title: str | None
    completeness: dict[str, str]  # destination -> complete | incomplete | refused
    sync_state: str  # local-only | pending | synced | attention
    last_export_destination: str | None = None
    last_export_at: str | None = None
    decision_due: bool = False  # an NRM decision is awaited
    follow_up_due: str | None = None  # the next review date (ISO)
    sync_at: str | None = None  # when the hub last acknowledged the case
    sync_reason: str | None = None  # attention: the hub's reason code
    sync_words: str = ""  # the state in words: "synced at …", "needs attention: …"
    origin: str = "local"  # local | pulled (a supervisor's read-only copy) | handed-over
    owner: str | None = None  # a pulled copy: the worker whose case it is
    review_state: str | None = None  # for-review | conflict | note | signed-off | needs-changes
    review_words: str = ""  # the badge in words

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
    skip_reason: str | None  # "not possible now": the reason and the worker's note, in words
    answers: tuple[AnswerView, ...]
    skip_reason_id: str | None = None


@dataclass(frozen=True)
class StageView:
    id: str
    title: str
    done: int
    total: int
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class CoverageView:
    id: str
    text: str
    status: str  # evidenced | open | not-applicable | not-possible-now
    reasons: tuple[str, ...]  # the worker's reasons or notes
    steps: tuple[str, ...]
    missing: tuple[str, ...] = ()  # open: what the record does not show yet, in words


@dataclass(frozen=True)
class ExportView:
    destination: str
    exported_at: str
    sha256: str


@dataclass(frozen=True)
class WarningView:
    step: str
    step_title: str
    text: str
    urgent: bool = False  # acting comes first (an immediate need)


@dataclass(frozen=True)
class NoteView:
    id: str
    kind: str
    text: str
    created_at: str


@dataclass(frozen=True)
class SyncView:
    """Where one case stands with the organisation's hub."""

    state: str  # local-only | pending | synced | attention
    revision: int  # the case's current revision
    acknowledged_revision: int  # the newest one the hub acknowledged (0: none)
    synced_at: str | None
    reason: str | None  # attention: the hub's reason code
    words: str  # the state in words


@dataclass(frozen=True)
class ReviewView:
    """A review, a supervisor's export, a handover or a decision, as both sides show it."""

    kind: str  # note | signed-off | needs-changes | resolved | exported | handed-over
    note: str
    revision: int
    author: str
    at: str
    words: str  # "signed off by Sam on …", "exported by supervisor on …"
    detail: dict[str, Any] | None = None


@dataclass(frozen=True)
class CaseDetail:
    case_id: str
    reference: str
    status: str
    created_at: str
    stages: tuple[StageView, ...]
    consents: tuple[ConsentRecord, ...]  # current per destination
    consent_history: tuple[ConsentRecord, ...]
    coverage: tuple[CoverageView, ...]
    notes: tuple[NoteView, ...]
    exports: tuple[ExportView, ...] = ()
    warnings: tuple[WarningView, ...] = ()
    sync: SyncView | None = None
    reviews: tuple[ReviewView, ...] = ()  # a supervisor's notes, sign-offs, exports, handover

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AuditView:
    at: str
    event: str
    case_reference: str | None
    detail: str | None
