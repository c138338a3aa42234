"""A case's interview state as plain data: answers, consent, skips, criteria marks, exports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from firstcontact.domain.consent_terms import CONSENT_STATES as CONSENT_STATES
from firstcontact.domain.consent_terms import NOT_SOUGHT_REASONS as NOT_SOUGHT_REASONS
from firstcontact.domain.consent_terms import ConsentState as ConsentState
from firstcontact.domain.consent_terms import NotSoughtReason as NotSoughtReason
from firstcontact.domain.model import Value

MarkStatus = Literal["met", "not-applicable"]


@dataclass(frozen=True)
class ConsentRecord:
    """One decision about a destination, with how it was obtained.

    ``explained_by`` is who explained (or, for a withdrawal, who took it). The interpreter is
    one recorded on the case's interpreter step; whether they were independent of the person
    and accredited is kept as it was when the decision was taken. ``interpreter_reason`` says
    why an interpreter who is not independent was used. ``shares_account``: what was explained
    covered sharing the person's account, risks and needs with the receiving caseworker.
    """

    destination: str
    state: ConsentState
    explained_by: str
    language: str
    interpreter: str | None = None
    explained: str = ""
    recorded_at: str = ""
    interpreter_independent: bool | None = None
    interpreter_accredited: bool | None = None
    interpreter_reason: str = ""
    shares_account: bool = False
    not_sought_reason: str = ""
    explained_points: tuple[str, ...] = ()  # the consent step's points the explanation covered

    @property
    def through_dependent_interpreter(self) -> bool:
        return self.interpreter is not None and self.interpreter_independent is False


@dataclass(frozen=True)
class SkipRecord:
    """A step marked "not possible now": the reason (one of the interview's skip reasons,
    which a pack may state) and the worker's own note (never in a referral)."""

    reason: str
    note: str = ""


@dataclass(frozen=True)
class CriterionMark:
    """The worker's own note on a PC: how it was met, or why it does not apply."""

    status: MarkStatus
    note: str


@dataclass(frozen=True)
class CaseState:
    answers: Mapping[str, Value] = field(default_factory=dict)
    consents: Mapping[str, ConsentRecord] = field(default_factory=dict)  # current per destination
    skips: Mapping[str, SkipRecord] = field(default_factory=dict)  # step id -> skip
    marks: Mapping[str, CriterionMark] = field(default_factory=dict)
    exports: Mapping[str, str] = field(default_factory=dict)  # destination -> last export time
    contact_date: str = ""  # the day of contact (ISO date): ages are worked out on it
