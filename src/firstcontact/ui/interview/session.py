"""The open case as the interview screens see it: reference, id and the latest state.

Plain Python (no Qt): a thin holder over the application layer, refreshed after each change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from firstcontact.domain.case import CaseState
from firstcontact.domain.model import Step

if TYPE_CHECKING:
    from firstcontact.app.workspace import Workspace


@dataclass(frozen=True)
class ConsentDraft:
    """A consent form filled in but not recorded yet: kept while the case is open, so moving
    between steps loses nothing (it is never written anywhere)."""

    explained: str
    explained_by: str
    language: str
    interpreter: str  # a recorded interpreter's name, "" for none
    decision: str | None  # "given" | "declined" | "not-sought" | None
    interpreter_reason: str = ""
    shares_account: bool = False
    not_sought_reason: str = ""
    points: tuple[str, ...] = ()  # the points ticked as explained


class CaseSession:
    def __init__(self, ws: Workspace, reference: str) -> None:
        self.ws = ws
        self.reference = reference
        self.consent_drafts: dict[str, ConsentDraft] = {}  # destination -> draft
        case = ws.find_case(reference)
        self.case_id = case.id
        self.state: CaseState = ws.state(case.id, audit=True)  # audited once: "opened"

    def reload(self) -> CaseState:
        self.state = self.ws.state(self.case_id)
        return self.state

    def applicable(self) -> tuple[Step, ...]:
        return self.ws.interview.applicable_steps(self.state)

    def step(self, step_id: str) -> Step | None:
        return self.ws.checklist.step(step_id)


def skip_pack_words(session: CaseSession, step_id: str) -> str:
    """What a referral says of a skipped step's unanswered questions ("Not discussed: …")."""
    step = session.ws.checklist.step(step_id)
    said = session.ws.not_discussed(session.state)
    return next((said[f.id] for f in (step.fields if step else ()) if f.id in said), "")


def clean_message(message: str, field_id: str) -> str:
    """Application messages start with the field id: the screen shows the field already."""
    prefix = f"{field_id}: "
    return message[len(prefix):] if message.startswith(prefix) else message
