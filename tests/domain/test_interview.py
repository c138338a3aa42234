"""The interview engine walks the three routes by answers and consent alone, and the
interview collects every NRM field each route requires."""

from dataclasses import replace

import pytest

from firstcontact.checklists import load_checklist
from firstcontact.checklists.loader import NRM_FROM_PROFILE, NRM_NOT_ASKED
from firstcontact.domain.case import CaseState, CriterionMark, SkipRecord
from firstcontact.domain.interview import Interview
from firstcontact.domain.nrm_route import required_fields, route
from tests.walk import walk

ADULT = {"pv-under-age": "no", "does-pv-need-support": "yes", "who-contact": "potential-victim",
         "pv-contact-details": ["email"], "pv-interpreter-requirements": "yes"}
CHILD = {"pv-under-age": "yes"}
DECLINED = {"pv-under-age": "no", "authorities-cooperation": "no"}
CONSENT_DESTINATIONS = ("specialist-support", "legal", "advocate")


@pytest.fixture(scope="module")
def interview():
    return Interview(load_checklist())


def applicable_ids(interview, state):
    return {s.id for s in interview.applicable_steps(state)}


def nrm_pages(interview, state):
    return [p.path for p in route(interview.checklist.nrm, interview.facts(state))]


def missing_nrm_fields(interview, state):
    facts = interview.facts(state)
    return [f for f, _page in required_fields(interview.checklist.nrm, facts)
            if f not in NRM_FROM_PROFILE and f not in NRM_NOT_ASKED
            and f not in facts.answers]


def test_adult_consent_route(interview):
    state = walk(interview, ADULT, consents={"nrm": "given",
                                             **dict.fromkeys(CONSENT_DESTINATIONS, "given")})
    facts = interview.facts(state)
    assert facts.answers["pv-want-to-submit-nrm"] == "yes"  # derived from the consent record
    pages = nrm_pages(interview, state)
    assert "/does-pv-need-support" in pages
    assert "/pv-contact-details-referral" in pages
    assert "/refuse-nrm" not in pages
    assert "/local-authority-contacted-about-child" not in pages
    assert missing_nrm_fields(interview, state) == []
    assert not interview.holds("child", state)
    assert interview.first_open_step(state) is None  # every applicable step done


def test_child_route_needs_no_consent_and_asks_for_local_authority(interview):
    state = walk(interview, CHILD)
    assert interview.holds("child", state)
    assert interview.facts(state).answers["pv-want-to-submit-nrm"] == "yes"
    steps = {s.id: s for s in interview.applicable_steps(state)}
    assert not any(s.consent == "nrm" for s in steps.values())
    la_fields = {f.id for s in steps.values() for f in s.fields}
    assert "local-authority-contacted-about-child-local-authority-name" in la_fields
    pages = nrm_pages(interview, state)
    assert "/local-authority-contacted-about-child" in pages
    assert "/fr-details" in pages
    assert "/who-contact" not in pages
    assert "/refuse-nrm" not in pages
    assert missing_nrm_fields(interview, state) == []


@pytest.mark.parametrize("cooperates", ["no", "yes"])
def test_declined_consent_route_is_duty_to_notify(interview, cooperates):
    state = walk(interview, {**DECLINED, "authorities-cooperation": cooperates},
                 consents={"nrm": "declined"})
    answers = interview.facts(state).answers
    assert answers["pv-want-to-submit-nrm"] == "no"
    assert "refuse-nrm" in answers  # the reason for refusal is asked
    pages = nrm_pages(interview, state)
    assert pages[-3:] == ["/refuse-nrm", "/pv-gender-dtn", "/pv-nationality-dtn"] or \
        pages[-5:-2] == ["/refuse-nrm", "/pv-gender-dtn", "/pv-nationality-dtn"]
    assert ("/pv-name-dtn" in pages) is (cooperates == "yes")
    assert missing_nrm_fields(interview, state) == []
    assert "does-pv-need-support" not in answers


def test_consent_withdrawn_counts_as_no(interview):
    state = walk(interview, ADULT, consents={"nrm": "withdrawn"})
    assert interview.facts(state).answers["pv-want-to-submit-nrm"] == "no"


def test_next_and_previous_follow_the_branch(interview):
    adult = walk(interview, ADULT, consents={"nrm": "given"})
    child = walk(interview, CHILD)
    child_only = applicable_ids(interview, child) - applicable_ids(interview, adult)
    assert child_only, "the child route must add steps (local authority contact)"
    step = interview.next_step(None, adult)
    seen = []
    while step is not None:
        seen.append(step.id)
        step = interview.next_step(step.id, adult)
    assert not set(seen) & child_only
    assert seen == [s.id for s in interview.applicable_steps(adult)]
    assert interview.previous_step(seen[1], adult).id == seen[0]
    assert interview.previous_step(seen[0], adult) is None


def test_progress_and_coverage_start_open_and_finish_evidenced(interview):
    empty = CaseState()
    assert all(p.done == 0 for p in interview.progress(empty))
    assert interview.stage_reached(empty) is None
    assert {c.status for c in interview.coverage(empty)} <= {"open", "not-applicable"}
    full = walk(interview, ADULT, consents={"nrm": "given",
                                            **dict.fromkeys(CONSENT_DESTINATIONS, "given")})
    assert all(p.done == p.total for p in interview.progress(full))
    coverage = {c.criterion.id: c.status for c in interview.coverage(full)}
    assert len(coverage) == 35
    # PC13 (complete referrals) waits for a pack to be exported
    assert {pc for pc, status in coverage.items() if status == "open"} == {"PC13"}
    exported = replace(full, exports={"nrm": "2026-11-22T11:00:00Z"})
    coverage = {c.criterion.id: c.status for c in interview.coverage(exported)}
    # PC34 (reporting when a formal referral cannot be made) does not apply once consented
    assert {pc for pc, status in coverage.items() if status != "evidenced"} == {"PC34"}
    assert coverage["PC34"] == "not-applicable"
    declined = walk(interview, DECLINED, consents={"nrm": "declined"})
    assert {c.criterion.id: c.status for c in interview.coverage(declined)}["PC34"] \
        == "evidenced"


def test_not_possible_now_with_reason_is_recorded_per_criterion(interview):
    # the first step with a PC no other step evidences
    first = next(s for s in interview.checklist.steps
                 if any(len(interview.checklist.steps_for(pc)) == 1 for pc in s.pcs))
    note = "Person became distressed; we stopped"
    state = CaseState(skips={first.id: SkipRecord("too-distressing", note)})
    cov = {c.criterion.id: c for c in interview.coverage(state)}
    only_here = [pc for pc in first.pcs
                 if [s.id for s in interview.applicable_steps(state) if pc in s.pcs] == [first.id]]
    assert only_here
    for pc in only_here:
        assert cov[pc].status == "not-possible-now"
        assert cov[pc].reasons == (f"It was too distressing for the person today: {note}",)
    assert interview.step_status(first, state) == "skipped"
    stage = next(p for p in interview.progress(state) if p.stage.id == first.stage)
    assert stage.skipped == 1


def test_worker_marks_a_criterion_not_applicable_with_reason(interview):
    state = CaseState(marks={"PC2": CriterionMark("not-applicable", "Came alone")})
    cov = {c.criterion.id: c for c in interview.coverage(state)}
    assert cov["PC2"].status == "not-applicable"
    assert cov["PC2"].reasons == ("Came alone",)


def test_interpreter_branch_opens_only_when_needed(interview):
    with_interp = walk(interview, ADULT, consents={"nrm": "given"})
    without = walk(interview, {**ADULT, "pv-interpreter-requirements": "no"},
                   consents={"nrm": "given"})
    extra = applicable_ids(interview, with_interp) - applicable_ids(interview, without)
    assert extra, "an interpreter step appears when an interpreter is needed"
    assert any("PC8" in interview.checklist.step(s).pcs for s in extra)


@pytest.mark.parametrize(("choice", "asked"), [("not-now", False), ("has-one", False),
                                               ("wants-one", True)])
def test_a_referral_to_a_lawyer_is_asked_about_only_when_the_person_wants_one(interview, choice,
                                                                           asked):
    """"Not now" is an answer, not a refusal: the step is done without a consent decision."""
    step = interview.checklist.step("legal-representation")
    answers = {"fc-legal-representation": choice, "fc-legal-understood": True}
    state = CaseState(answers=answers)
    assert interview.asks_consent(step, state) is asked
    assert interview.step_status(step, state) == ("partial" if asked else "done")
