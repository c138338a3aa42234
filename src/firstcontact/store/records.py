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
    revision: int = 1  # bumped by every change to the case


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
    """What the application layer computes for the case list (the store adds the sync
    state: it alone knows the envelopes)."""

    stage_reached: str | None
    completeness: Mapping[str, str] = field(default_factory=dict)
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
    sync_at: str | None = None
    sync_reason: str | None = None


@dataclass(frozen=True)
class AuditRow:
    at: str
    event: str
    case_id: str | None
    detail: str | None


@dataclass(frozen=True)
class CaseSync:
    """Where one case stands with the hub (store/sync_records.py says what each state
    means)."""

    state: str  # local-only | pending | synced | attention
    revision: int  # the case's current revision
    acknowledged: int  # the newest revision the hub acknowledged (0: none)
    at: str | None  # when that was
    reason: str | None  # attention: the hub's reason code

    @property
    def unacknowledged(self) -> bool:
        """Changes the hub has not acknowledged yet (enrolled laptops only)."""
        return self.state in ("pending", "attention")


@dataclass(frozen=True)
class Acknowledgement:
    """The hub's receipt for one envelope, as the outbox keeps it."""

    envelope_id: str
    hub_seq: int
    receipt: bytes


@dataclass(frozen=True)
class SyncDeviceRow:
    """This laptop's enrolment. Its repr never shows the token or a private key."""

    device_id: str
    hub_url: str
    token: str = field(repr=False)
    worker: str
    role: str
    signing_key: bytes = field(repr=False)
    receiving_key: bytes = field(repr=False)
    org_key: bytes = field(repr=False)
    org_fingerprint: str
    hub_key: bytes = field(repr=False)
    hub_fingerprint: str
    enrolled_at: str
    hub_seq: int = 0
    last_sync_at: str | None = None
    last_result: str | None = None


__all__ = [
    "Acknowledgement",
    "AnswerRow",
    "AuditRow",
    "CaseData",
    "CaseRow",
    "CaseSync",
    "ConsentRecord",
    "ExportRow",
    "MarkRow",
    "NoteRow",
    "SkipRecord",
    "SummaryRow",
    "SummaryUpdate",
    "SyncDeviceRow",
]
