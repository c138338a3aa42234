"""The answer path keeps the case's state and summary between saves (app/answer_cache.py): the
summary it writes is always the one a full recomputation from the store gives, whatever was
answered, and whatever changed the case in between (another command, another process, the
worker profile)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from firstcontact.app.case_queries import state_from
from firstcontact.app.errors import Invalid
from firstcontact.app.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.fixtures import SAMPLE_CASE
from tests.walk import sample_value


@pytest.fixture
def ws(data_dir):
    workspace = Workspace.create(data_dir, PASSPHRASE)
    yield workspace
    workspace.close()


def stored_summary(ws: Workspace, ref: str) -> tuple[str | None, dict[str, str]]:
    case = ws.queries.find(ref)
    (row,) = ws._ctx.store.summaries([case.id])
    return row.stage_reached, dict(row.completeness)


def recomputed_summary(ws: Workspace, ref: str) -> tuple[str | None, dict[str, str]]:
    """What the summary must be: worked out afresh from what the store holds."""
    data = ws._ctx.store.load_case(ws.queries.find(ref).id)
    full = ws._ctx.summary(data.case, state_from(data))
    return full.stage_reached, dict(full.completeness)


def imported(ws: Workspace) -> str:
    return ws.cases.import_case(json.loads(SAMPLE_CASE.read_text())).reference


def other_value(ws: Workspace, field, current):
    """A valid value different from ``current`` (a second option, a longer text)."""
    if field.type in ("choice", "multichoice") and len(field.options) > 1:
        values = [o.value for o in field.options]
        pick = next(v for v in values if v != (current[0] if isinstance(current, list)
                                               else current))
        return [pick] if field.type == "multichoice" else pick
    if field.type == "checkbox":
        return current is not True
    if field.type == "list":
        values = ws.checklist.list_values(field)
        return next(v for v in values if v != current)
    if field.type == "number":
        return (current or 0) + 1
    if field.type == "date":
        return "1985-06-30" if current != "1985-06-30" else "1970-01-01"
    value = sample_value(ws.interview, field)
    if value != current:
        return value
    rules = set(field.validate)
    return ("+44 20 7946 0999" if "phone" in rules else "other@example.org" if "email" in rules
            else "7" if "numeric" in rules else f"{value} (edited)")


def test_every_field_answered_twice_leaves_the_summary_a_full_recomputation_gives(ws):
    """Each field of the interview, on a full case: answered with a new value, then again
    (the second answer is the one the kept state serves)."""
    ref = imported(ws)
    derived = {d.id for d in ws.checklist.derived_fields}
    for step in ws.checklist.steps:
        for field in step.fields:
            if field.id in derived:
                continue
            current = ws.queries.state(ws.queries.find(ref).id).answers.get(field.id)
            first = other_value(ws, field, current)
            ws.cases.answer(ref, field.id, first)
            assert stored_summary(ws, ref) == recomputed_summary(ws, ref), field.id
            ws.cases.answer(ref, field.id, other_value(ws, field, first))
            assert stored_summary(ws, ref) == recomputed_summary(ws, ref), field.id


def test_typing_into_a_text_field_reuses_the_summary_and_answering_it_still_counts(
        ws, monkeypatch):
    ref = ws.cases.new().reference
    ws.cases.answer(ref, "pv-under-age", "no")
    worked_out = []
    full = ws._ctx.summary
    monkeypatch.setattr(ws._ctx, "summary", lambda *a: worked_out.append(1) or full(*a))
    for text in ("W", "Wo", "Worked in a car wash"):
        ws.cases.answer(ref, "fc-own-words", text)
        assert stored_summary(ws, ref) == recomputed_summary(ws, ref)
    assert len(worked_out) == 1 + 3  # the first answer only (+1 per recomputation above)
    ws.cases.clear_answer(ref, "fc-own-words")
    assert stored_summary(ws, ref) == recomputed_summary(ws, ref)


def test_a_change_from_another_process_is_seen_by_the_next_answer(ws, data_dir):
    ref = ws.cases.new().reference
    ws.cases.answer(ref, "pv-under-age", "no")
    ws.cases.answer(ref, "fc-own-words", "First words")
    other = Workspace.unlock(data_dir, PASSPHRASE)  # the command line, say, meanwhile
    try:
        other.cases.answer(ref, "pv-under-age", "yes")  # a child now: other destinations
        other.cases.record_consent(ref, "specialist-support", "given", explained_by="Sam",
                                   language="English", explained="What the service does")
    finally:
        other.close()
    ws.cases.answer(ref, "fc-own-words", "First words, and more")
    assert stored_summary(ws, ref) == recomputed_summary(ws, ref)
    assert ws.queries.state(ws.queries.find(ref).id).answers["pv-under-age"] == "yes"


def test_other_commands_of_this_process_are_seen_by_the_next_answer(ws):
    ref = imported(ws)
    ws.cases.answer(ref, "fc-own-words", "The account, in her words")
    ws.cases.skip_step(ref, ws.checklist.steps[3].id, "not-the-moment")
    ws.cases.answer(ref, "fc-own-words", "The account, in her own words")
    assert stored_summary(ws, ref) == recomputed_summary(ws, ref)
    ws.cases.withdraw_consent(ref, "nrm", taken_by="Sam Worker", language="English")
    ws.cases.answer(ref, "fc-own-words", "The account, in her own words.")
    assert stored_summary(ws, ref) == recomputed_summary(ws, ref)
    assert stored_summary(ws, ref)[1]["nrm"] == "refused"


def set_profile(ws: Workspace) -> None:
    ws.settings.set_profile(first_name="Sam", last_name="Worker", role="Outreach worker",
                            phone="+44 20 7946 0000", email="sam@example.org",
                            organisation="The Salvation Army", nation="england",
                            public_authority="none")


def test_a_new_worker_profile_is_read_by_the_next_answer(ws):
    ref = imported(ws)
    ws.cases.answer(ref, "fc-own-words", "Before the profile")
    before = stored_summary(ws, ref)
    set_profile(ws)
    ws.cases.answer(ref, "fc-own-words", "After the profile")
    assert stored_summary(ws, ref) == recomputed_summary(ws, ref)
    assert stored_summary(ws, ref) != before  # the profile completes the worker's details


def test_a_stored_value_the_rules_now_refuse_is_rechecked_when_replaced(ws):
    """A value stored before a length limit existed (an older version, an import by an older
    build): replacing it with a valid one may complete a pack."""
    set_profile(ws)
    ref = imported(ws)
    case = ws.queries.find(ref)
    state = ws.queries.state(case.id)
    summary = ws._ctx.summary(case, state)
    overlong = "x" * 15_001

    def with_value(field_id, value):
        return replace(state, answers={**state.answers, field_id: value})

    # a field read only as answered and valid, whose overlong value makes a pack incomplete
    limited = next(f for f in (ws.checklist.field(i) for i in sorted(ws._ctx.presence_only))
                   if f is not None and "maxlength:15000" in f.validate
                   and f.id in state.answers
                   and ws._ctx.summary(case, with_value(f.id, overlong)) != summary)
    ws._ctx.store.save_answer(case.id, limited.id, json.dumps(overlong),
                              ws._ctx.summary(case, with_value(limited.id, overlong)))
    ws.cases.answer(ref, "fc-own-words", "Another field first: the case is read and kept")
    assert stored_summary(ws, ref) == recomputed_summary(ws, ref)
    ws.cases.answer(ref, limited.id, "short")
    assert stored_summary(ws, ref) == recomputed_summary(ws, ref)
    with pytest.raises(Invalid):
        ws.cases.answer(ref, limited.id, overlong)
    assert stored_summary(ws, ref) == recomputed_summary(ws, ref)
