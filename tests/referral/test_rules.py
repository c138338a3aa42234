"""The rules of brief §3, one by one, on the completeness check (pure domain, no store)."""

import pytest

from firstcontact.checklists import load_checklist
from firstcontact.domain.case import CaseState
from firstcontact.domain.interview import Interview
from firstcontact.referral.check import PackInputs, check_pack
from firstcontact.referral.content import Author, build_document
from firstcontact.referral.loader import load_destinations
from firstcontact.referral.services import load_services
from tests.fixtures import SERVICES
from tests.walk import consent, walk

PROFILE = {"user-organisation": "The Salvation Army", "fr-details-first-name": "Sam",
           "fr-details-last-name": "Worker", "fr-details-role": "Outreach worker",
           "fr-details-phone": "+44 20 7946 0000", "fr-alternative-contact": "sam@example.org",
           "fc-worker-public-authority": "local-authority"}
AUTHOR = Author("Sam Worker, Outreach worker", "The Salvation Army", "+44 20 7946 0000",
                "sam@example.org")
ADULT = {"pv-under-age": "no", "does-pv-need-support": "no", "who-contact": "potential-victim",
         "pv-contact-details": ["post"], "authorities-cooperation": "no",
         "pv-interpreter-requirements": "no", "fr-location": "england"}
CHILD = {"pv-under-age": "not-sure", "fr-location": "england", "pv-dob": "2011-03-04"}


@pytest.fixture(scope="module")
def iv():
    return Interview(load_checklist())


@pytest.fixture(scope="module")
def dests(iv):
    return load_destinations(iv.checklist)


def inputs(**kw):
    return PackInputs(reference="FC-TEST01", profile=PROFILE, **kw)


def check(iv, dests, dest, state, **kw):
    return check_pack(iv, dests, dests.get(dest), state, inputs(**kw))


def test_profile_organisation_is_in_the_nrm_list(iv):
    assert PROFILE["user-organisation"] in iv.checklist.lists["organisations"]


def test_adult_nrm_complete_with_consent(iv, dests):
    state = walk(iv, ADULT, consents={"nrm": "given"})
    result = check(iv, dests, "nrm", state)
    assert result.complete, result.missing


def test_no_adult_nrm_pack_without_recorded_consent(iv, dests):
    state = walk(iv, ADULT)
    result = check(iv, dests, "nrm", state)
    assert not result.complete and not result.refusals
    item = next(m for m in result.missing if m.key == "consent:nrm")
    assert item.step == next(s.id for s in iv.checklist.steps if s.consent == "nrm")
    # "Does the person consent to an NRM referral?" follows from that record: not listed twice
    assert "pv-want-to-submit-nrm" not in {m.key for m in result.missing}


def test_consent_record_must_say_what_was_explained(iv, dests):
    state = walk(iv, ADULT, consents={"nrm": "given"})
    bare = CaseState(state.answers, {"nrm": consent("nrm").__class__(
        "nrm", "given", "Sam Worker", "English", None, "", "2026-11-22T10:00:00Z")},
        state.skips)
    result = check(iv, dests, "nrm", bare)
    assert any(m.key == "consent:nrm" and "what was explained" in m.problem
               for m in result.missing)


@pytest.mark.parametrize("state_name", ["declined", "withdrawn"])
def test_declined_or_withdrawn_consent_blocks_the_nrm_pack(iv, dests, state_name):
    state = walk(iv, ADULT, consents={"nrm": state_name})
    result = check(iv, dests, "nrm", state)
    assert result.refusals and not result.complete


def test_withdrawn_consent_blocks_specialist_exports(iv, dests):
    service = next(s for s in load_services(SERVICES) if s.kind == "legal")
    state = walk(iv, ADULT, consents={"nrm": "given", "legal": "withdrawn"})
    assert check(iv, dests, "legal", state, service=service).refusals


def test_child_gets_nrm_without_consent_but_needs_local_authority(iv, dests):
    state = walk(iv, CHILD)
    assert check(iv, dests, "nrm", state).complete
    answers = dict(state.answers)
    del answers["local-authority-contacted-about-child-local-authority-name"]
    result = check(iv, dests, "nrm", CaseState(answers))
    assert [m.key for m in result.missing] == [
        "local-authority-contacted-about-child-local-authority-name"]


def test_child_never_gets_a_duty_to_notify(iv, dests):
    state = walk(iv, CHILD)
    result = check(iv, dests, "dtn", state)
    assert result.refusals
    assert "child" in result.refusals[0].lower()


def test_duty_to_notify_for_adult_who_declines_is_anonymous(iv, dests):
    walked = walk(iv, ADULT, consents={"nrm": "declined"})
    assert "pv-name-first-name" not in walked.answers  # not even asked
    # a name typed before the person declined must still never reach the pack
    name = "Canary-Nameless"
    state = CaseState({**walked.answers, "pv-name-first-name": name,
                       "pv-contact-details": ["post"], "pv-contact-details-postcode": "SW1A 2AA"},
                      walked.consents)
    result = check(iv, dests, "dtn", state)
    assert result.complete, result.missing
    doc = build_document(iv, dests, dests.get("dtn"), state, inputs(), notices=result.printed,
                         author=AUTHOR)
    text = " ".join(r.value for s in doc.sections for r in s.rows)
    assert name not in text and "SW1A 2AA" not in text
    assert state.answers["refuse-nrm"] in text
    assert any("withheld" in n for n in result.notices)


def test_duty_to_notify_includes_name_when_person_agrees_to_cooperate(iv, dests):
    state = walk(iv, {**ADULT, "authorities-cooperation": "yes"}, consents={"nrm": "declined"})
    result = check(iv, dests, "dtn", state)
    assert result.complete, result.missing
    doc = build_document(iv, dests, dests.get("dtn"), state, inputs(), notices=result.printed,
                         author=AUTHOR)
    text = " ".join(r.value for s in doc.sections for r in s.rows)
    assert state.answers["pv-name-first-name"] in text


def test_duty_to_notify_refused_when_the_person_consented(iv, dests):
    state = walk(iv, ADULT, consents={"nrm": "given"})
    assert check(iv, dests, "dtn", state).refusals


@pytest.mark.parametrize(("nation", "voluntary"), [("england", False), ("wales", False),
                                                    ("scotland", True),
                                                    ("northern-ireland", True)])
def test_duty_to_notify_statutory_only_in_england_and_wales(iv, dests, nation, voluntary):
    state = walk(iv, {**ADULT, "fr-location": nation}, consents={"nrm": "declined"})
    result = check(iv, dests, "dtn", state)
    assert not result.refusals
    assert any("voluntary" in n for n in result.notices) is voluntary


def test_missing_items_name_the_step_that_fixes_them(iv, dests):
    state = walk(iv, ADULT, consents={"nrm": "given"})
    answers = {k: v for k, v in state.answers.items() if k != "pv-nationality"}
    result = check(iv, dests, "nrm", CaseState(answers, state.consents))
    (item,) = result.missing
    assert item.key == "pv-nationality"
    assert item.step == iv.checklist.step_of_field("pv-nationality").id


def test_profile_items_are_missing_without_a_profile(iv, dests):
    state = walk(iv, ADULT, consents={"nrm": "given"})
    result = check_pack(iv, dests, dests.get("nrm"), state, PackInputs(reference="FC-1"))
    assert {m.key for m in result.missing} >= {"user-organisation", "fr-details-phone"}
    assert all(m.fix == "profile" for m in result.missing)


def test_at_least_one_type_of_exploitation(iv, dests):
    state = walk(iv, ADULT, consents={"nrm": "given"})
    answers = {k: (False if k.startswith("types-of-exploitation-") else v)
               for k, v in state.answers.items()}
    result = check(iv, dests, "nrm", CaseState(answers, state.consents))
    assert [m.key for m in result.missing] == ["types-of-exploitation"]


def test_specialist_destinations_need_consent_and_a_service_of_their_kind(iv, dests):
    services = load_services(SERVICES)
    state = walk(iv, ADULT, consents={"nrm": "given", "legal": "given",
                                      "specialist-support": "given", "advocate": "given"})
    for dest in ("specialist-support", "legal", "advocate"):
        assert any(m.key == "service" for m in check(iv, dests, dest, state).missing)
        right = next(s for s in services if s.kind == dests.get(dest).service_kind)
        wrong = next(s for s in services if s.kind != dests.get(dest).service_kind)
        assert check(iv, dests, dest, state, service=right).complete, dest
        assert not check(iv, dests, dest, state, service=wrong).complete
    no_consent = walk(iv, ADULT, consents={"nrm": "given"})
    legal = next(s for s in services if s.kind == "legal")
    assert any(m.key == "consent:legal"
               for m in check(iv, dests, "legal", no_consent, service=legal).missing)


def test_child_safeguarding_only_for_a_child(iv, dests):
    adult = walk(iv, ADULT, consents={"nrm": "given"})
    assert check(iv, dests, "child-safeguarding", adult).refusals
    child = walk(iv, CHILD)
    assert check(iv, dests, "child-safeguarding", child).complete


def test_every_route_page_has_a_section(iv, dests):
    from firstcontact.domain.nrm_route import route

    for answers, consents, dest in ((ADULT, {"nrm": "given"}, "nrm"), (CHILD, {}, "nrm"),
                                    (ADULT, {"nrm": "declined"}, "dtn")):
        state = walk(iv, answers, consents=consents)
        pages = {p for s in dests.get(dest).sections for p in s.pages}
        for page in route(iv.checklist.nrm, iv.facts(state)):
            if page.reachable:
                assert page.path in pages, (dest, page.path)


def test_a_child_pack_names_the_child_the_nation_and_the_danger_or_says_why_not(iv, dests):
    """A local authority acts on it: the nation and whether the child is in danger now must be
    recorded; the name and where they are may be "not possible now", and the pack says so."""
    full = walk(iv, CHILD)
    gaps = {"fr-location", "fc-danger-now", "pv-name-first-name", "current-pv-location-uk-city"}
    bare = CaseState(answers={k: v for k, v in full.answers.items() if k not in gaps},
                     consents=full.consents, contact_date=full.contact_date)
    missing = {m.key for m in check(iv, dests, "child-safeguarding", bare).missing}
    assert gaps <= missing
    skipped = walk(iv, CHILD, skip={"name": "chose-not-to-say",
                                    "current-location": "too-distressing"})
    result = check(iv, dests, "child-safeguarding", skipped)
    assert result.complete, result.missing
    document = build_document(iv, dests, dests.get("child-safeguarding"), skipped,
                              inputs(), notices=(), author=AUTHOR)
    rows = {r.label: r.value for s in document.sections for r in s.rows}
    assert rows["First name"].startswith("Not discussed: ")
    assert any(v.startswith("Not discussed: ") for k, v in rows.items() if "Town" in k)


def test_the_social_workers_annex_says_what_was_not_recorded(iv, dests):
    """The annex promises who was with the child and through which interpreter: an item the
    record lacks says "not recorded" rather than vanishing."""
    full = walk(iv, {**CHILD, "fc-accompanied": "no"})
    gone = CaseState(answers={k: v for k, v in full.answers.items() if k != "fc-accompanied"},
                     contact_date=full.contact_date)
    for state, shown in ((full, "No"), (gone, "not recorded")):
        document = build_document(iv, dests, dests.get("child-safeguarding"), state, inputs(),
                                  notices=(), author=AUTHOR)
        annex = {r.label: r.value for r in document.annex.rows}
        assert next(v for k, v in annex.items() if "accompan" in k.lower()) == shown


@pytest.mark.parametrize("destination", ["nrm", "dtn", "case-record"])
def test_a_worker_contact_no_one_could_use_holds_every_pack(iv, dests, destination):
    """Every pack prints the worker's email and phone: one saved before the profile checked
    them ("sam.carter@") is an item to fix in Settings, not a line the receiver writes to."""
    state = walk(iv, ADULT, consents={"nrm": "given"})
    broken = {**PROFILE, "fr-alternative-contact": "sam.carter@", "fr-details-phone": "12"}
    found = check_pack(iv, dests, dests.get(destination), state,
                       PackInputs(reference="FC-TEST01", profile=broken))
    items = {m.key: m for m in found.missing}
    assert items["fr-alternative-contact"].fix == "profile"
    assert items["fr-details-phone"].fix == "profile"
    fine = check_pack(iv, dests, dests.get(destination), state, inputs())
    assert not {"fr-alternative-contact", "fr-details-phone"} & {m.key for m in fine.missing}
