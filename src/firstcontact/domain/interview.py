"""The interview engine: which steps apply, where next, progress, criteria coverage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from firstcontact.domain.case import CaseState
from firstcontact.domain.conditions import Facts, evaluate, fields_read, is_present
from firstcontact.domain.model import (
    Checklist,
    Criterion,
    Field,
    Stage,
    Step,
    StepWarning,
)
from firstcontact.i18n import _

StepStatus = Literal["done", "partial", "empty", "skipped"]
Coverage = Literal["evidenced", "open", "not-applicable", "not-possible-now"]


@dataclass(frozen=True)
class StageProgress:
    stage: Stage
    done: int  # steps answered or marked "not possible now"
    total: int  # steps that apply
    skipped: int


@dataclass(frozen=True)
class CaseReminders:
    """What the case list reminds the worker of (the interview's `reminders`)."""

    decision_due: bool = False  # an NRM decision is awaited
    review_date: str | None = None  # the next review date (ISO), overdue once past


@dataclass(frozen=True)
class CriterionCoverage:
    criterion: Criterion
    status: Coverage
    reasons: tuple[str, ...]  # the worker's reasons (not possible now / not applicable) or note
    steps: tuple[str, ...]  # applicable steps that evidence it
    missing: tuple[str, ...] = ()  # open: what the record does not show yet, in words


class Interview:
    """Pure functions of (checklist, case state); holds no case data itself."""

    def __init__(self, checklist: Checklist) -> None:
        self.checklist = checklist
        self._derived = {**checklist.nrm.derived, **checklist.derived}

    # -- facts -------------------------------------------------------------------------------
    def facts(self, state: CaseState) -> Facts:
        """Answers plus derived fields (e.g. ``pv-want-to-submit-nrm`` from consent)."""
        consents = {d: r.state for d, r in state.consents.items()}
        sharing = frozenset(d for d, r in state.consents.items()
                            if r.state == "given" and r.shares_account)
        base = Facts(answers=state.answers, consents=consents, derived=self._derived,
                     sharing=sharing, exports=frozenset(state.exports), on=state.contact_date)
        answers: dict[str, object] = dict(state.answers)
        for derived in self.checklist.derived_fields:
            value = next((v for cond, v in derived.cases if evaluate(cond, base)), None)
            if value is None:
                answers.pop(derived.id, None)
            else:
                answers[derived.id] = value
        return Facts(answers=answers, consents=consents, derived=self._derived,
                     sharing=sharing, exports=base.exports, on=base.on)

    def derived_display(self, field_id: str, state: CaseState) -> str:
        """How a pack shows a derived field on this case ("" when its value's label will do):
        a child's "Does the person consent?" reads "Not required (child referral)"."""
        derived = next((d for d in self.checklist.derived_fields if d.id == field_id), None)
        if derived is None:
            return ""
        facts = self.facts(state)
        index = next((i for i, (cond, _v) in enumerate(derived.cases) if evaluate(cond, facts)),
                     None)
        return derived.display_for(index) if index is not None else ""

    def holds(self, fact: str, state: CaseState) -> bool:
        """Whether a derived fact (e.g. ``child``) holds."""
        return evaluate({"derived": fact}, self.facts(state))

    # -- steps ---------------------------------------------------------------------------------
    def applies(self, step: Step, facts: Facts) -> bool:
        return step.when is None or evaluate(step.when, facts)

    def field_applies(self, field_id: str, facts: Facts) -> bool:
        """Whether the field is asked on this case: its step applies and so does the field."""
        step = self.checklist.step_of_field(field_id)
        f = self.checklist.field(field_id)
        if step is None or f is None:
            return False
        return self.applies(step, facts) and (f.when is None or evaluate(f.when, facts))

    def applicable_steps(self, state: CaseState) -> tuple[Step, ...]:
        facts = self.facts(state)
        return tuple(s for s in self.checklist.steps if self.applies(s, facts))

    def visible_fields(self, step: Step, state: CaseState) -> tuple[Field, ...]:
        facts = self.facts(state)
        return tuple(f for f in step.fields if f.when is None or evaluate(f.when, facts))

    def step_status(self, step: Step, state: CaseState) -> StepStatus:
        if step.id in state.skips:
            return "skipped"
        needed = [f for f in self.visible_fields(step, state)
                  if not f.optional and f.type != "checkbox"]
        answered = [f for f in self.visible_fields(step, state)
                    if is_present(state.answers.get(f.id))]
        asked = self.asks_consent(step, state)
        consent_done = not asked or step.consent in state.consents
        if all(is_present(state.answers.get(f.id)) for f in needed) and consent_done:
            return "done"
        if answered or (asked and consent_done):
            return "partial"
        return "empty"

    def asks_consent(self, step: Step, state: CaseState) -> bool:
        """Whether the step's consent form is asked on this case (a decision is recorded
        anyway if it was made: it stays in the history)."""
        if step.consent is None:
            return False
        return (step.consent_when is None or step.consent in state.consents
                or evaluate(step.consent_when, self.facts(state)))

    def next_step(self, current: str | None, state: CaseState) -> Step | None:
        """The next step that applies after ``current`` (the first when None)."""
        steps = self.applicable_steps(state)
        if current is None:
            return steps[0] if steps else None
        order = [s.id for s in self.checklist.steps]
        index = order.index(current) if current in order else -1
        return next((s for s in steps if order.index(s.id) > index), None)

    def previous_step(self, current: str, state: CaseState) -> Step | None:
        steps = self.applicable_steps(state)
        order = [s.id for s in self.checklist.steps]
        index = order.index(current) if current in order else len(order)
        earlier = [s for s in steps if order.index(s.id) < index]
        return earlier[-1] if earlier else None

    def first_open_step(self, state: CaseState) -> Step | None:
        """Where to resume: the first applicable step neither done nor skipped."""
        return next((s for s in self.applicable_steps(state)
                     if self.step_status(s, state) in ("empty", "partial")), None)

    # -- progress ------------------------------------------------------------------------------
    def progress(self, state: CaseState) -> tuple[StageProgress, ...]:
        statuses = {s.id: self.step_status(s, state) for s in self.applicable_steps(state)}
        out = []
        for stage in self.checklist.stages:
            ids = [s.id for s in self.checklist.steps if s.stage == stage.id and s.id in statuses]
            done = sum(statuses[i] in ("done", "skipped") for i in ids)
            skipped = sum(statuses[i] == "skipped" for i in ids)
            out.append(StageProgress(stage, done, len(ids), skipped))
        return tuple(out)

    def stage_reached(self, state: CaseState) -> Stage | None:
        """The furthest stage with any step started, answered or skipped."""
        reached: Stage | None = None
        stages = {s.id: s for s in self.checklist.stages}
        for step in self.applicable_steps(state):
            if self.step_status(step, state) != "empty":
                reached = stages[step.stage]
        return reached

    def reminders(self, state: CaseState) -> CaseReminders:
        rules = self.checklist.reminders
        if rules is None:
            return CaseReminders()
        date = state.answers.get(rules.review_date)
        return CaseReminders(evaluate(rules.decision_due, self.facts(state)),
                             date[:10] if isinstance(date, str) and date else None)

    # -- scripts and warnings ------------------------------------------------------------------
    def script(self, step: Step, state: CaseState) -> str:
        """What the worker reads for this case: the first variant whose condition holds (a
        child, a nation), else the step's own prompt."""
        if not step.variants:
            return step.prompt
        facts = self.facts(state)
        return next((v.prompt for v in step.variants if evaluate(v.when, facts)), step.prompt)

    def step_warnings(self, step: Step, state: CaseState) -> tuple[StepWarning, ...]:
        """The warnings that hold on the step, urgent ones first."""
        facts = self.facts(state)
        held = [w for w in step.warnings if evaluate(w.when, facts)]
        return tuple(sorted(held, key=lambda w: not w.urgent))

    def pending_urgent(self, step: Step, state: CaseState) -> tuple[StepWarning, ...]:
        """Urgent warnings on the step that hold while what was done about them is not
        recorded: the worker acts before the next question."""
        return tuple(w for w in self.step_warnings(step, state)
                     if w.urgent and not self.acted_on(w, state))

    @staticmethod
    def acted_on(warning: StepWarning, state: CaseState) -> bool:
        """Whether what was done about the warning is recorded (its ``record`` field)."""
        return warning.record is not None and is_present(state.answers.get(warning.record))

    def warnings(self, state: CaseState) -> tuple[tuple[Step, StepWarning], ...]:
        """The warnings that hold on this case's steps (e.g. a companion interpreting), urgent
        ones not yet acted on first; advice stays on its step."""
        facts = self.facts(state)
        held = [(step, w) for step in self.checklist.steps if self.applies(step, facts)
                for w in step.warnings if w.level != "advice" and evaluate(w.when, facts)]
        return tuple(sorted(held, key=lambda sw: (not sw[1].urgent,
                                                  self.acted_on(sw[1], state))))

    # -- criteria ------------------------------------------------------------------------------
    def coverage(self, state: CaseState) -> tuple[CriterionCoverage, ...]:
        """Each PC: evidenced when the record meets its evidence rule (checklists'
        `evidence.toml`), not applicable by the rule or the worker's reason, not possible now
        when every step that could evidence it was skipped, else open with what is missing.

        A worker's "met" note evidences a PC only while the record holds nothing its rule
        reads: it can add what the interview did not ask, never overrule what it recorded."""
        applicable = self.applicable_steps(state)
        statuses = {s.id: self.step_status(s, state) for s in applicable}
        facts = self.facts(state)
        out = []
        for criterion in self.checklist.criteria:
            steps = tuple(s.id for s in applicable if criterion.id in s.pcs)
            mark = state.marks.get(criterion.id)
            rule = self.checklist.evidence.get(criterion.id)
            if mark is not None and mark.status == "not-applicable":
                out.append(CriterionCoverage(criterion, "not-applicable", (mark.note,), steps))
                continue
            ruled_out = next((reason for cond, reason in (rule.not_applicable if rule else ())
                              if evaluate(cond, facts)), None)
            if ruled_out is not None:
                out.append(CriterionCoverage(criterion, "not-applicable", (ruled_out,), steps))
                continue
            failing = tuple(n.missing for n in (rule.needs if rule else ())
                            if not evaluate(n.when, facts))
            notes = (mark.note,) if mark is not None else ()
            if rule is None:  # no rule in the data: every step that evidences it is done
                failing = () if any(statuses[s] == "done" for s in steps) else (
                    (_("The steps that evidence it are not done."),) if steps else ())
            if not failing or (mark is not None and not self._answered(rule, facts)):
                out.append(CriterionCoverage(criterion, "evidenced", notes, steps))
            elif not steps:
                out.append(CriterionCoverage(criterion, "not-applicable", (
                    _("The steps that evidence it do not apply to this case."),), steps))
            elif all(statuses[s] == "skipped" for s in steps):
                reasons = tuple(self.skip_words(state, s) for s in steps)
                out.append(CriterionCoverage(criterion, "not-possible-now", reasons, steps,
                                             failing))
            else:
                out.append(CriterionCoverage(criterion, "open", notes, steps, failing))
        return tuple(out)

    def _answered(self, rule: object, facts: Facts) -> bool:
        """Whether the record holds any answer the evidence rule reads."""
        needs = getattr(rule, "needs", ())
        read: set[str] = set()
        for need in needs:
            read |= fields_read(need.when, facts.derived)
        return any(is_present(facts.answers.get(f)) for f in read)

    def skip_words(self, state: CaseState, step_id: str) -> str:
        """A skip as the case record shows it: the reason, and the worker's note."""
        skip = state.skips[step_id]
        reason = self.checklist.skip_reason(skip.reason)
        label = _(reason.label) if reason is not None else skip.reason
        return f"{label}: {skip.note}" if skip.note else label

    # -- answers -------------------------------------------------------------------------------
    def is_derived(self, field_id: str) -> bool:
        return any(d.id == field_id for d in self.checklist.derived_fields)

