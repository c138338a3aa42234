"""The interview's practice rules as data: scripts for a child or a nation, urgent needs that
come before the next question, reminders, and the loader refusing broken practice data."""

from __future__ import annotations

import pytest

from firstcontact.checklists import ChecklistError, load_checklist
from firstcontact.checklists.survivor import load_survivor_texts
from firstcontact.domain.case import CaseState
from firstcontact.domain.interview import Interview
from tests.domain.test_checklist_data import break_file, copy_data


@pytest.fixture(scope="module")
def iv() -> Interview:
    return Interview(load_checklist())


def state(**answers: object) -> CaseState:
    return CaseState(answers=answers, contact_date="2026-11-27")  # type: ignore[arg-type]


def test_the_first_step_is_immediate_needs(iv):
    assert iv.next_step(None, CaseState()).id == "immediate-needs"
    assert iv.first_open_step(CaseState()).id == "immediate-needs"


@pytest.mark.parametrize(("answers", "urgent"), [
    ({"fc-danger-now": "yes"}, True), ({"fc-medical-need": "emergency"}, True),
    ({"fc-medical-need": "today"}, True), ({"fc-safe-tonight": "no"}, True),
    ({"fc-danger-now": "no", "fc-safe-tonight": "yes", "fc-medical-need": "no",
      "fc-food-water": "yes"}, False),
    ({"fc-danger-now": "not-sure"}, False),  # advice: treat it as a risk, not a block
])
def test_an_urgent_answer_waits_for_what_was_done(iv, answers, urgent):
    step = iv.checklist.step("immediate-needs")
    pending = iv.pending_urgent(step, state(**answers))
    assert bool(pending) is urgent
    if urgent:
        assert all(w.record == "fc-urgent-action" for w in pending)
        done = state(**answers, **{"fc-urgent-action": "Called 999"})
        assert iv.pending_urgent(step, done) == ()
        assert iv.step_warnings(step, done)[0].urgent  # still shown, first


def test_advice_stays_on_its_step_and_warnings_reach_the_panel(iv):
    case = state(**{"fc-food-water": "yes", "fc-danger-now": "yes"})
    listed = [w for _s, w in iv.warnings(case)]
    assert listed and listed[0].urgent
    assert all(w.level != "advice" for w in listed)


def test_the_script_fits_the_case(iv):
    step = iv.checklist.step("local-authority")
    assert "Gateway Team" in iv.script(step, state(**{"fr-location": "northern-ireland"}))
    assert "inter-agency referral discussion" in iv.script(step, state(
        **{"fr-location": "scotland"}))
    assert iv.script(step, state(**{"fr-location": "wales"})) == step.prompt
    treatment = iv.checklist.step("treatment")
    assert iv.script(treatment, state(**{"pv-under-age": "not-sure"})).startswith("For a child")
    assert iv.script(treatment, state(**{"pv-under-age": "no"})) == treatment.prompt


def test_a_child_never_gets_an_adult_advocate(iv):
    for answer in ("yes", "not-sure"):
        ids = {s.id for s in iv.applicable_steps(state(**{"pv-under-age": answer}))}
        assert "advocate" not in ids and "guardian" in ids
    adult = {s.id for s in iv.applicable_steps(state(**{"pv-under-age": "no"}))}
    assert "advocate" in adult and "guardian" not in adult


def test_dependants_at_risk_are_asked_whenever_there_are_any(iv):
    risk = iv.checklist.step("risk")
    shown = lambda **a: {f.id for f in iv.visible_fields(risk, state(**a))}  # noqa: E731
    assert "fc-dependants-risk" not in shown(**{"does-pv-have-children": "no"})
    assert "fc-dependants-risk" in shown(**{"does-pv-have-children": "no",
                                            "fc-other-dependants": "yes"})
    assert "fc-dependants-risk" in shown(**{"does-pv-have-children": "yes"})


@pytest.mark.parametrize(("answers", "due"), [
    ({"fc-nrm-reference": "R1"}, True),  # the reasonable grounds decision is awaited
    ({"fc-nrm-reference": "R1", "fc-rg-date": "2026-11-20"}, True),  # then the conclusive
    ({"fc-nrm-reference": "R1", "fc-rg-decision": "positive"}, True),
    ({"fc-nrm-reference": "R1", "fc-rg-date": "2026-11-20", "fc-cg-date": "2027-02-01"}, False),
    ({"fc-nrm-reference": "R1", "fc-rg-decision": "negative"}, False),
    ({"fc-rg-date": "2026-11-20"}, False),  # no referral on record
])
def test_decision_due(iv, answers, due):
    assert iv.reminders(state(**answers)).decision_due is due


def test_the_review_date_is_kept_for_the_list(iv):
    assert iv.reminders(state(**{"fc-follow-up-date": "2026-12-01"})).review_date == "2026-12-01"
    assert iv.reminders(state()).review_date is None


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("interview.toml", 'record = "fc-urgent-action"\n  pause = true\n\n  [[step.warning]]\n  level'
     ' = "urgent"\n  when = { field = "fc-medical-need", equals = "today" }',
     'record = "fc-own-words"\n  pause = true\n\n  [[step.warning]]\n  level = "urgent"\n  when'
     ' = { field = "fc-medical-need", equals = "today" }', "not a field of this step"),
    ("interview.toml", 'K7 = "Anyone with', 'K77 = "Anyone with', "not a knowledge item"),
    ("interview.toml", 'review_date = "fc-follow-up-date"', 'review_date = "fc-follow-up-plan"',
     "is not a date field"),
    ("interview.toml", 'level = "urgent"\n  when = { field = "fc-safe-tonight"',
     'level = "urgent"\n  when = { field = "fc-safe-tonight-x"', "unknown field"),
])
def test_broken_practice_data_is_refused_with_file_entry_and_problem(tmp_path, file, old, new,
                                                                     expected):
    target = copy_data(tmp_path)
    break_file(target / file, old, new)
    with pytest.raises(ChecklistError, match=expected):
        load_checklist(target)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('  [[explanation.part]]\n  id = "not-permission"', '  [[explanation.part]]\n  id = "stay"',
     "has no part 'not-permission'"),
    ('fields = ["fc-needs", "fc-priorities"', 'fields = ["professional-insight", "fc-priorities"',
     "professional-insight"),
    ('next_review = "We agreed to talk again around {date}."',
     'next_review = "We agreed to talk again around {when}."', "unknown placeholder"),
    ('explain = "cooperation"', 'explain = "police"', "not an explanation"),
])
def test_broken_survivor_texts_are_refused(tmp_path, old, new, expected):
    target = copy_data(tmp_path)
    name = "interview.toml" if "explain =" in old else "survivor.toml"
    break_file(target / name, old, new)
    with pytest.raises(ChecklistError, match=expected) as info:
        load_survivor_texts(directory=target)
    assert str(info.value).startswith("survivor.toml")
