"""A case's interview state as plain data: answers, consent, skips, criteria marks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from firstcontact.domain.model import Value

ConsentState = Literal["given", "declined", "withdrawn"]
CONSENT_GIVEN_STATES: tuple[ConsentState, ...] = ("given", "declined", "withdrawn")
MarkStatus = Literal["met", "not-applicable"]


@dataclass(frozen=True)
class ConsentRecord:
    """One destination's current consent, with how it was obtained."""

    destination: str
    state: ConsentState
    explained_by: str
    language: str
    interpreter: str | None = None
    explained: str = ""
    recorded_at: str = ""


@dataclass(frozen=True)
class CriterionMark:
    """The worker's own note on a PC: how it was met, or why it does not apply."""

    status: MarkStatus
    note: str


@dataclass(frozen=True)
class CaseState:
    answers: Mapping[str, Value] = field(default_factory=dict)
    consents: Mapping[str, ConsentRecord] = field(default_factory=dict)
    skips: Mapping[str, str] = field(default_factory=dict)  # step id -> reason
    marks: Mapping[str, CriterionMark] = field(default_factory=dict)
