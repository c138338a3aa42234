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
    origin: str = "local"  # local | pulled | handed-over
    owner: str | None = None  # a pulled copy: the worker whose case it is
    review_state: str | None = None  # for-review | conflict | note | signed-off | needs-changes


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
    revoked_at: str | None = None
    revoked_code: str | None = None
    records_seq: int = 0
    feed_seq: int = 0
    org_private_key: bytes | None = field(default=None, repr=False)
    org_settings: str | None = None


@dataclass(frozen=True)
class CaseContent:
    """A whole case as the case format holds it, checked by the application layer: what a
    pulled revision or a handover writes into the case's tables."""

    reference: str
    status: str
    created_at: str
    answers: Mapping[str, str]  # field id -> value as JSON
    consents: tuple[ConsentRecord, ...]  # the history, oldest first
    skips: Mapping[str, SkipRecord]
    marks: Mapping[str, tuple[str, str]]  # PC -> (status, note)
    notes: tuple[tuple[str, str, str | None, str], ...]  # kind, text, details JSON, created at
    exports: tuple[tuple[str, str, str], ...]  # destination, exported at, SHA-256


@dataclass(frozen=True)
class PulledRevisionRow:
    """One revision of a worker's case as a supervisor pulled it."""

    envelope_id: str
    case_id: str
    revision: int
    base_revision: int
    device_id: str
    worker: str
    hub_seq: int
    sealed_at: str
    flag: str | None  # the hub's (revision-clash, stale-base) or this machine's (parallel)
    document: str  # the case format's JSON


@dataclass(frozen=True)
class PulledCaseRow:
    case_id: str
    reference: str
    status: str
    owner_device: str
    owner_worker: str
    standing: PulledRevisionRow
    parallel: PulledRevisionRow | None
    review_state: str | None
    owner_key: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ReviewRow:
    """A review, an export a supervisor made, a handover: as kept on either side."""

    record_id: str
    case_id: str
    kind: str  # note | signed-off | needs-changes | resolved | exported | handed-over
    note: str
    revision: int
    author: str
    author_device: str
    at: str
    detail_json: str | None = None
    received_at: str = ""


@dataclass(frozen=True)
class TombstoneRow:
    case_id: str
    reference: str
    revision: int
    hub_seq: int | None
    acknowledged_at: str
    purged_at: str


__all__ = [
    "Acknowledgement",
    "AnswerRow",
    "AuditRow",
    "CaseContent",
    "CaseData",
    "CaseRow",
    "CaseSync",
    "ConsentRecord",
    "ExportRow",
    "MarkRow",
    "NoteRow",
    "PulledCaseRow",
    "PulledRevisionRow",
    "ReviewRow",
    "SkipRecord",
    "SummaryRow",
    "SummaryUpdate",
    "SyncDeviceRow",
    "TombstoneRow",
]
