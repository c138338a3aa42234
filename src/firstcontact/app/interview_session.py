"""One open case as the interview screens drive it — Qt-free, so the GUI and the tests drive
the same thing.

The session knows the current step and where Next, Back and a jump lead; it sends each answer
to the application layer and remembers what the store refused (a value that breaks a rule
holds the step until it is corrected; a write the disk refused is said once, then the worker
may move on); it keeps consent forms filled in but not recorded as drafts, with their defaults;
and it decides whether the current step may be left, and why not. The widgets only show it and
forward what the worker does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from firstcontact.app.consent_points import checked_points, points_for
from firstcontact.app.errors import USER_ERRORS, VALUE_ERRORS, Invalid
from firstcontact.app.person_texts import (
    ExplanationView,
    PersonLanguage,
    explanation_for,
    language_of,
    person_languages,
)
from firstcontact.domain.case import CaseState, ConsentState
from firstcontact.domain.interpreters import Interpreter
from firstcontact.domain.interview import StageProgress
from firstcontact.domain.model import Checklist, ExplainPoint, Field, Step, StepWarning, Value
from firstcontact.i18n import _

if TYPE_CHECKING:
    from firstcontact.app.workspace import Workspace

SaveStatus = Literal["saved", "unchanged", "refused", "failed"]


@dataclass(frozen=True)
class ConsentDraft:
    """A consent form filled in but not recorded yet: kept while the case is open, so moving
    between steps loses nothing (it is never written anywhere)."""

    explained: str
    explained_by: str
    language: str
    interpreter: str  # a recorded interpreter's name, "" for none
    decision: ConsentState | None = None  # "given" | "declined" | "not-sought" | None
    interpreter_reason: str = ""
    shares_account: bool = False
    not_sought_reason: str = ""
    points: tuple[str, ...] = ()  # the points ticked as explained


@dataclass(frozen=True)
class SaveResult:
    status: SaveStatus
    message: str = ""  # what to show beside the field (refused, failed)


@dataclass(frozen=True)
class LeaveVerdict:
    """Whether the current step may be left; if not, where to hold and why."""

    ok: bool
    field: str | None = None  # hold with the cursor in this field
    consent: bool = False  # hold at the consent form's Record button
    message: str = ""


LEAVE = LeaveVerdict(True)


def field_message(message: str, field_id: str) -> str:
    """Application messages may start with the field id: the screen shows the field."""
    prefix = f"{field_id}: "
    return message[len(prefix):] if message.startswith(prefix) else message


class InterviewSession:
    def __init__(self, ws: Workspace, reference: str) -> None:
        self.ws = ws
        self.reference = reference
        self.consent_drafts: dict[str, ConsentDraft] = {}  # destination -> draft
        case = ws.queries.find(reference)
        self.case_id = case.id
        self.state: CaseState = ws.queries.state(case.id, audit=True)  # audited once: "opened"
        self.current: str | None = None
        self.refused: dict[str, str] = {}  # field -> why its typed value was refused
        self.unwritten: dict[str, str] = {}  # field -> why the disk refused to save it
        self.held: dict[str, Value | None] = {}  # field -> what it shows but is not stored
        self.explain_language: str | None = None  # chosen for the words for the person
        self._warned = False  # a warning on leaving is given once per step shown

    # -- reading -------------------------------------------------------------------------------
    def reload(self) -> CaseState:
        self.state = self.ws.queries.state(self.case_id)
        return self.state

    @property
    def checklist(self) -> Checklist:  # the read-only interview data
        return self.ws.checklist

    def applicable(self) -> tuple[Step, ...]:
        return self.ws.interview.applicable_steps(self.state)

    def step(self, step_id: str | None = None) -> Step | None:
        return self.ws.checklist.step(step_id or self.current or "")

    def visible_fields(self, step: Step) -> tuple[Field, ...]:
        return self.ws.interview.visible_fields(step, self.state)

    def step_status(self, step: Step) -> str:
        return self.ws.interview.step_status(step, self.state)

    def step_warnings(self, step: Step) -> tuple[StepWarning, ...]:
        return self.ws.interview.step_warnings(step, self.state)

    def script(self, step: Step) -> str:
        """What the worker does and says on this step, in the case's variant (child, nation)."""
        return self.ws.interview.script(step, self.state)

    def person_language(self) -> str:
        """The language the case records for the person, when the texts for them are
        translated into it (else English): the default for the words read with them."""
        field = self.ws.checklist.consent_language_field
        return language_of(self.state.answers.get(field or ""))

    def person_languages(self) -> tuple[PersonLanguage, ...]:
        """English, then the languages the texts for the person are translated into."""
        return person_languages()

    def explanation(self, step: Step, code: str | None = None) -> ExplanationView | None:
        """The words the step reads with the person, fitted to the case (None: none), in
        ``code`` (default: the person's language where there is a translation)."""
        return explanation_for(self.ws.interview, self.ws.source_checklist,
                               self.ws.settings.profile(), step, self.state, self.reference,
                               code or self.person_language())

    def pending_urgent(self, step: Step) -> tuple[StepWarning, ...]:
        """The step's urgent warnings whose action is not recorded yet."""
        return tuple(self.ws.interview.pending_urgent(step, self.state))

    def warnings(self) -> tuple[tuple[Step, StepWarning], ...]:
        """Every warning that holds on this case, with its step."""
        return self.ws.interview.warnings(self.state)

    def asks_consent(self, step: Step) -> bool:
        """Whether the step's consent form is asked on this case now."""
        return self.ws.interview.asks_consent(step, self.state)

    def acted_on(self, warning: StepWarning) -> bool:
        """Whether what the worker did about an urgent warning is recorded."""
        return self.ws.interview.acted_on(warning, self.state)

    def progress(self) -> tuple[StageProgress, ...]:
        return self.ws.interview.progress(self.state)

    def skip_words(self, step_id: str) -> str:
        """A skipped step's reason and the worker's note, in words."""
        return self.ws.interview.skip_words(self.state, step_id)

    def skip_pack_words(self, step_id: str) -> str:
        """What a referral says of a skipped step's unanswered questions ("Not discussed…")."""
        step = self.step(step_id)
        said = self.ws.queries.not_discussed(self.state)
        return next((said[f.id] for f in (step.fields if step else ()) if f.id in said), "")

    def interpreters(self) -> tuple[Interpreter, ...]:
        return self.ws.queries.interpreters(self.reference)

    def resume_step(self) -> Step | None:
        """Where to start: the first step neither done nor skipped, else the first."""
        iv = self.ws.interview
        return iv.first_open_step(self.state) or iv.next_step(None, self.state)

    def next_step(self) -> Step | None:
        return self.ws.interview.next_step(self.current, self.state) if self.current else None

    def previous_step(self) -> Step | None:
        return self.ws.interview.previous_step(self.current, self.state) if self.current \
            else None

    # -- answers -------------------------------------------------------------------------------
    def save(self, field_id: str, value: Value | None) -> SaveResult:
        """Store what a field shows now (None clears it) and remember what was refused."""
        current = self.state.answers.get(field_id)
        if value == current and type(value) is type(current):
            self._settled(field_id)
            return SaveResult("unchanged")
        try:
            if value is None:
                self.ws.cases.clear_answer(self.reference, field_id)
            else:
                self.ws.cases.answer(self.reference, field_id, value)
        except USER_ERRORS as exc:
            text = field_message(exc.message, field_id)
            self.held[field_id] = value
            if isinstance(exc, VALUE_ERRORS):  # the value itself: hold the step till fixed
                self.refused[field_id] = text
                self.unwritten.pop(field_id, None)
                return SaveResult("refused", text)
            self.unwritten[field_id] = text
            return SaveResult("failed", text)
        self._settled(field_id)
        self.reload()
        return SaveResult("saved")

    def _settled(self, field_id: str) -> None:
        """What the field shows is what is stored: nothing of it waits any more."""
        self.refused.pop(field_id, None)
        self.unwritten.pop(field_id, None)
        self.held.pop(field_id, None)

    # -- consent -------------------------------------------------------------------------------
    def consent_defaults(self, destination: str) -> ConsentDraft:
        """The form's starting values: the draft, else the last record, else the worker's
        name, the person's language and the interpreter on the step now."""
        draft = self.consent_drafts.get(destination)
        if draft is not None:
            return draft
        record = self.state.consents.get(destination)
        if record is not None:
            return ConsentDraft(record.explained, record.explained_by, record.language,
                                record.interpreter or "", None, record.interpreter_reason,
                                record.shares_account, points=record.explained_points)
        language_field = self.ws.checklist.consent_language_field
        language = self.state.answers.get(language_field or "")
        current = next((i for i in self.interpreters() if i.current), None)
        return ConsentDraft("", self.ws.settings.profile().display_name,
                            language if isinstance(language, str) else "",
                            current.name if current else "")

    def consent_points(self, destination: str) -> tuple[ExplainPoint, ...]:
        """The points the explanation for this destination must cover (data)."""
        return points_for(self.ws.checklist, destination)

    def consent_problem(self, destination: str, draft: ConsentDraft) -> str:
        """Why the draft's decision is not an informed one yet ("" when it is)."""
        if draft.decision is None or draft.decision == "not-sought":
            return ""
        try:
            checked_points(self.ws.checklist, destination, draft.decision, draft.points,
                           draft.explained)
        except Invalid as exc:
            return exc.message
        return ""

    def needs_interpreter(self) -> bool:
        """Whether the interpreter step applies to this case."""
        fields = self.ws.checklist.interpreter_fields
        step = self.ws.checklist.step_of_field(fields.get("name", ""))
        return step is not None and step in self.applicable()

    def edit_consent(self, destination: str, draft: ConsentDraft) -> None:
        self.consent_drafts[destination] = draft

    def unrecorded_consent(self, destination: str) -> bool:
        """A decision is chosen, and the form changed since it was last recorded."""
        draft = self.consent_drafts.get(destination)
        return draft is not None and draft.decision is not None

    def record_consent(self, destination: str, draft: ConsentDraft) -> None:
        """Record the draft's decision (raises the application's errors, with a message)."""
        if draft.decision is None:
            return
        self.ws.cases.record_consent(
            self.reference, destination, draft.decision, explained_by=draft.explained_by,
            language=draft.language, interpreter=draft.interpreter or None,
            explained=draft.explained, interpreter_reason=draft.interpreter_reason,
            shares_account=draft.shares_account,
            not_sought_reason=draft.not_sought_reason if draft.decision == "not-sought"
            else "", explained_points=draft.points)
        self._consent_done(destination)

    def withdraw_consent(self, destination: str, draft: ConsentDraft) -> None:
        self.ws.cases.withdraw_consent(
            self.reference, destination, taken_by=draft.explained_by, language=draft.language,
            interpreter=draft.interpreter or None, interpreter_reason=draft.interpreter_reason)
        self._consent_done(destination)

    def _consent_done(self, destination: str) -> None:
        self.consent_drafts.pop(destination, None)
        self.reload()

    # -- skipping ------------------------------------------------------------------------------
    def skip(self, reason: str, note: str = "") -> None:
        """Mark the current step "not possible now" (raises with a message)."""
        if self.current is None:
            return
        self.ws.cases.skip_step(self.reference, self.current, reason, note)
        for field in self.step().fields if self.step() else ():  # type: ignore[union-attr]
            self._settled(field.id)  # moving on: nothing on this step is held any more
        self.reload()

    def resume(self) -> None:
        if self.current is not None:
            self.ws.cases.skip_step(self.reference, self.current, None)
            self.reload()

    # -- moving ----------------------------------------------------------------------------
    def show(self, step_id: str) -> None:
        """The step now on screen (its values are what the store holds)."""
        if step_id != self.current:
            self._warned = False
        self.current = step_id

    def may_leave(self, shown: Iterable[str], consent: str | None = None) -> LeaveVerdict:
        """Whether the current step may be left. ``shown``: the fields on screen now (a hidden
        field holds nothing); ``consent``: the destination of the step's consent form."""
        visible = list(shown)
        unwritten = next((f for f in visible if f in self.unwritten), None)
        if unwritten is not None and not self._warned:
            self._warned = True  # said once: the disk may stay full; the worker decides
            return LeaveVerdict(False, field=unwritten, message=_(
                "what was typed here could not be saved: the disk may be full. Moving on "
                "again leaves it unsaved"))
        if consent is not None and self.unrecorded_consent(consent) and not self._warned:
            self._warned = True  # said once: moving on again keeps it as a draft
            return LeaveVerdict(False, consent=True, message=_(
                "the person's decision is chosen but not recorded yet. Choose Record decision, "
                "or move on again to keep it as a draft while this case is open"))
        refused = next((f for f in visible if f in self.refused), None)
        if refused is not None:
            return LeaveVerdict(False, field=refused, message=_(
                "a value on this step was not accepted; correct it, or clear it, before "
                "moving on"))
        return LEAVE

    def left(self) -> None:
        """The step was left: what the disk refused there is given up (it was said)."""
        step = self.step()
        for field in step.fields if step else ():
            self.unwritten.pop(field.id, None)


__all__ = ["LEAVE", "ConsentDraft", "InterviewSession", "LeaveVerdict", "SaveResult",
           "field_message", "replace"]
