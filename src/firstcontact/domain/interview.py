"""The interview engine: which steps apply, where next, progress, criteria coverage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from firstcontact.domain.case import CaseState
from firstcontact.domain.conditions import Facts, evaluate, is_present
from firstcontact.domain.model import Checklist, Criterion, Field, Stage, Step, Value

StepStatus = Literal["done", "partial", "empty", "skipped"]
Coverage = Literal["evidenced", "open", "not-applicable", "not-possible-now"]


@dataclass(frozen=True)
class StageProgress:
    stage: Stage
    done: int  # steps answered or marked "not possible now"
    total: int  # steps that apply
    skipped: int


@dataclass(frozen=True)
class CriterionCoverage:
    criterion: Criterion
    status: Coverage
    reasons: tuple[str, ...]  # the worker's reasons (not possible now / not applicable) or note
    steps: tuple[str, ...]  # applicable steps that evidence it


class Interview:
    """Pure functions of (checklist, case state); holds no case data itself."""

    def __init__(self, checklist: Checklist) -> None:
        self.checklist = checklist
        self._derived = {**checklist.nrm.derived, **checklist.derived}

    # -- facts -------------------------------------------------------------------------------
    def facts(self, state: CaseState) -> Facts:
        """Answers plus derived fields (e.g. ``pv-want-to-submit-nrm`` from consent)."""
        consents = {d: r.state for d, r in state.consents.items()}
        base = Facts(answers=state.answers, consents=consents, derived=self._derived)
        answers: dict[str, object] = dict(state.answers)
        for derived in self.checklist.derived_fields:
            value = next((v for cond, v in derived.cases if evaluate(cond, base)), None)
            if value is None:
                answers.pop(derived.id, None)
            else:
                answers[derived.id] = value
        return Facts(answers=answers, consents=consents, derived=self._derived)

    def holds(self, fact: str, state: CaseState) -> bool:
        """Whether a derived fact (e.g. ``child``) holds."""
        return evaluate({"derived": fact}, self.facts(state))

    # -- steps ---------------------------------------------------------------------------------
    def applies(self, step: Step, facts: Facts) -> bool:
        return step.when is None or evaluate(step.when, facts)

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
        consent_done = step.consent is None or step.consent in state.consents
        if all(is_present(state.answers.get(f.id)) for f in needed) and consent_done:
            return "done"
        if answered or (step.consent is not None and consent_done):
            return "partial"
        return "empty"

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

    # -- criteria ------------------------------------------------------------------------------
    def coverage(self, state: CaseState) -> tuple[CriterionCoverage, ...]:
        applicable = self.applicable_steps(state)
        statuses = {s.id: self.step_status(s, state) for s in applicable}
        out = []
        for criterion in self.checklist.criteria:
            steps = tuple(s.id for s in applicable if criterion.id in s.pcs)
            mark = state.marks.get(criterion.id)
            if mark is not None and mark.status == "not-applicable":
                out.append(CriterionCoverage(criterion, "not-applicable", (mark.note,), steps))
                continue
            notes = (mark.note,) if mark is not None else ()
            if mark is not None or any(statuses[s] == "done" for s in steps):
                out.append(CriterionCoverage(criterion, "evidenced", notes, steps))
            elif not steps:
                out.append(CriterionCoverage(criterion, "not-applicable", (), steps))
            elif all(statuses[s] == "skipped" for s in steps):
                reasons = tuple(state.skips[s] for s in steps)
                out.append(CriterionCoverage(criterion, "not-possible-now", reasons, steps))
            else:
                out.append(CriterionCoverage(criterion, "open", (), steps))
        return tuple(out)

    # -- answers -------------------------------------------------------------------------------
    def is_derived(self, field_id: str) -> bool:
        return any(d.id == field_id for d in self.checklist.derived_fields)

    def answers_for_step(self, step: Step, state: CaseState) -> Mapping[str, Value]:
        return {f.id: state.answers[f.id] for f in step.fields if f.id in state.answers}
