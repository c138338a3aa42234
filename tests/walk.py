"""Test helper: answer an interview by answers and consent alone, the way a worker would.

Every applicable step's visible fields get a valid sample value (or the value the test chose),
repeating until no new step or field opens.
"""

from __future__ import annotations

from collections.abc import Mapping

from firstcontact.domain.case import CaseState, ConsentRecord, SkipRecord
from firstcontact.domain.interview import Interview
from firstcontact.domain.model import Field, Value
from firstcontact.domain.values import validate


def sample_value(interview: Interview, field: Field) -> Value:
    rules = set(field.validate)
    if field.type in ("choice",):
        return field.options[0].value
    if field.type == "multichoice":
        return [field.options[0].value]
    if field.type == "checkbox":
        return True
    if field.type == "number":
        return 30
    if field.type == "date":
        return "1990-01-01"
    if field.type == "list":
        return interview.checklist.list_values(field)[0]
    if "email" in rules:
        return "worker@example.org"
    if "phone" in rules:
        return "+44 20 7946 0000"
    if "numeric" in rules:
        return "2"
    return f"Sample answer for {field.id}"


def consent(destination: str, state: str = "given") -> ConsentRecord:
    return ConsentRecord(destination=destination, state=state,  # type: ignore[arg-type]
                         explained_by="Sam Worker", language="English",
                         explained="What the referral is, who sees it, that it is voluntary",
                         recorded_at="2026-11-22T10:00:00Z")


def walk(interview: Interview, chosen: Mapping[str, Value],
         consents: Mapping[str, str] | None = None, skip: Mapping[str, str] | None = None
         ) -> CaseState:
    """``skip``: step id -> a skip reason id."""
    records = {d: consent(d, s) for d, s in (consents or {}).items()}
    skips = {step: SkipRecord(reason) for step, reason in (skip or {}).items()}
    answers: dict[str, Value] = {}
    while True:
        state = CaseState(answers=dict(answers), consents=records, skips=skips,
                          contact_date="2026-11-22")
        added = False
        for step in interview.applicable_steps(state):
            if step.id in (skip or {}):
                continue
            for field in interview.visible_fields(step, state):
                if field.id in answers:
                    continue
                value = chosen[field.id] if field.id in chosen else sample_value(interview, field)
                validate(field, value, interview.checklist.list_values)
                answers[field.id] = value
                added = True
        if not added:
            return state
