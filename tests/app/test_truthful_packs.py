"""Packs that never claim what the record does not show, and carry only what their reader may
see: end to end through the application layer, reading the exported PDF's text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from firstcontact.app.errors import Invalid, Refused
from firstcontact.app.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.walk import walk

PASSWORD = "pdf-password-1"
ADULT = {"pv-under-age": "no", "pv-dob": "1990-01-01", "does-pv-need-support": "no",
         "who-contact": "potential-victim", "pv-contact-details": ["post"],
         "authorities-cooperation": "no", "pv-interpreter-requirements": "no",
         "fr-location": "england", "fc-accompanied": "no"}
CHILD = {"pv-under-age": "yes", "pv-dob": "2011-03-04", "fr-location": "england",
         "pv-interpreter-requirements": "no", "fc-accompanied": "no"}
EXPLAINED = "What the referral is, who sees it, what happens next, that no is fine"
NRM_POINTS = ("what", "who-decides", "support", "not-permission", "police", "choice")


def fill(ws: Workspace, answers: dict[str, object], consents: dict[str, str] | None = None,
         *, override: dict[str, object] | None = None, shares: bool = False) -> str:
    """A case answered along its route (imported in one go: the same validation as typing)."""
    state = walk(ws.interview, answers, consents or {})
    doc = {"format": "firstcontact-case", "version": 2,
           "answers": {**state.answers, **(override or {})},
           "consents": [{"destination": d, "state": r.state, "explained_by": "Sam Worker",
                         "language": "English", "explained": EXPLAINED,
                         "explained_points": list(NRM_POINTS) if d == "nrm" else [],
                         "shares_account": shares and r.state == "given"}
                        for d, r in state.consents.items()]}
    return ws.cases.import_case(doc).reference


def complete(ws: Workspace, ref: str) -> None:
    """Answer whatever the answers and consents recorded since have opened."""
    state = ws.queries.state(ws.queries.find(ref).id)
    walked = walk(ws.interview, dict(state.answers),
                  {d: r.state for d, r in state.consents.items()})
    for fid, value in walked.answers.items():
        if fid not in state.answers:
            ws.cases.answer(ref, fid, value)


def pdf_text(path: Path) -> str:
    reader = PdfReader(str(path))
    assert reader.decrypt(PASSWORD)
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def export(ws: Workspace, ref: str, dest: str, tmp_path: Path, service: str | None = None
           ) -> str:
    out = tmp_path / f"{dest}.pdf"
    outcome = ws.packs.export(ref, dest, out, PASSWORD, service)
    assert outcome.written is not None, (outcome.check.refusals, outcome.check.missing)
    return pdf_text(out)


# -- what a pack may carry ---------------------------------------------------------------------
def _canary_value(ws: Workspace, fid: str, n: int) -> object | None:
    """A distinct canary the field accepts (free text only; choices cannot hold one)."""
    f = ws.checklist.field(fid)
    if f is None or f.type not in ("text", "longtext"):
        return None
    if "email" in f.validate:
        return f"cnry{n:03d}@example.org"
    if "phone" in f.validate:
        return f"+44 7700 900{n:03d}"
    if "numeric" in f.validate:
        return None
    return f"CNRY{n:03d}x"


def plant(ws: Workspace, ref: str, field_ids: list[str]) -> dict[str, str]:
    """Canaries in every free-text field listed, in a note, a follow-up, a criteria note and a
    skip note; returns canary -> where it was planted."""
    planted: dict[str, str] = {}
    for n, fid in enumerate(field_ids):
        value = _canary_value(ws, fid, n)
        if value is None:
            continue
        ws.cases.answer(ref, fid, value)
        planted[str(value)] = fid
    ws.cases.add_note(ref, "CNRYnote worker note")
    ws.cases.add_note(ref, "CNRYfollow follow-up", kind="follow-up")
    ws.cases.mark_criterion(ref, "PC28", "met", "CNRYmark a relative's name")
    ws.cases.skip_step(ref, "background", "other", "CNRYskip her uncle was listening")
    planted.update({"CNRYnote": "note", "CNRYfollow": "follow-up", "CNRYmark": "PC note",
                    "CNRYskip": "skip note"})
    return planted


def all_fields(ws: Workspace) -> list[str]:
    return [f.id for s in ws.checklist.steps for f in s.fields]


def test_duty_to_notify_is_anonymous_whatever_else_the_record_holds(ws, tmp_path):
    ref = fill(ws, ADULT, {"nrm": "declined"})
    dtn = ws.destinations.get("dtn")
    identifying = list(dtn.withhold.fields) if dtn.withhold else []
    ours = [f for f in all_fields(ws) if f.startswith("fc-")]
    planted = plant(ws, ref, identifying + ours)
    assert len(planted) > 40
    text = export(ws, ref, "dtn", tmp_path)
    leaked = {c: where for c, where in planted.items() if c in text}
    assert not leaked
    assert "Decision" not in text  # no consent record: a Duty to Notify is made without one
    assert "Criteria coverage" not in text and "PC31" not in text


def test_duty_to_notify_names_the_person_only_as_the_form_allows(ws, tmp_path):
    ref = fill(ws, {**ADULT, "authorities-cooperation": "yes"}, {"nrm": "declined"})
    ws.cases.answer(ref, "pv-name-first-name", "Named Canary")
    ws.cases.answer(ref, "fc-own-words", "CNRYaccount in her words")
    text = export(ws, ref, "dtn", tmp_path)
    assert "Named Canary" in text
    assert "CNRYaccount" not in text


@pytest.mark.parametrize("dest", ["nrm", "child-safeguarding", "specialist-support", "legal",
                                  "advocate"])
def test_no_external_pack_carries_what_it_must_never_carry(ws, tmp_path, dest):
    child = dest == "child-safeguarding"
    consents = {} if child else {"nrm": "given", "specialist-support": "given",
                                 "legal": "given", "advocate": "given"}
    ref = fill(ws, CHILD if child else ADULT, consents, shares=True)
    destination = ws.destinations.get(dest)
    never = [f for f in all_fields(ws) if destination.forbids(f)]
    planted = plant(ws, ref, never)
    service = {"specialist-support": "example-support", "legal": "example-law",
               "advocate": "example-advocate"}.get(dest)
    text = export(ws, ref, dest, tmp_path, service)
    assert {c: w for c, w in planted.items() if c in text} == {}
    assert "Criteria coverage" not in text
    assert "+44 20 7946 0000" in text and "sam@example.org" in text  # the worker's contact


def test_the_case_record_holds_coverage_notes_and_skips(ws, tmp_path):
    ref = fill(ws, ADULT, {"nrm": "given"})
    plant(ws, ref, ["fc-reflection"])
    text = export(ws, ref, "case-record", tmp_path)
    for canary in ("CNRYnote", "CNRYmark", "CNRYskip", "CNRY000x"):
        assert canary in text
    assert "Criteria coverage (SFJ BE2)" in text and "INTERNAL" in text


# -- age -----------------------------------------------------------------------------------------
def test_a_date_of_birth_under_18_puts_the_case_on_the_child_route(ws):
    ref = fill(ws, {**ADULT, "pv-dob": "2010-06-01"}, override={"pv-under-age": "no"})
    with pytest.raises(Refused):  # no adult consent for what is now a child's referral
        ws.cases.record_consent(ref, "nrm", "given", explained_by="Sam", language="English",
                          explained=EXPLAINED, explained_points=NRM_POINTS)
    nrm, dtn = ws.packs.check(ref, "nrm"), ws.packs.check(ref, "dtn")
    assert not nrm.complete and any("do not agree" in m.label for m in nrm.missing)
    assert not dtn.complete and dtn.refusals  # a child never gets a Duty to Notify
    detail = ws.queries.detail(ref)
    assert any("do not agree" in w.text for w in detail.warnings)
    # resolved as "not sure": a child NRM referral, no consent asked
    ws.cases.answer(ref, "pv-under-age", "not-sure")
    assert ws.packs.check(ref, "nrm").complete, ws.packs.check(ref, "nrm").missing


def test_under_18_when_exploited_is_checked_against_the_dates(ws):
    ref = fill(ws, ADULT, {"nrm": "given"},
               override={"fc-exploitation-start-date": "2004-01-01",
                         "pv-under-age-at-time-of-exploitation": "no"})  # born 1990: 14 then
    result = ws.packs.check(ref, "nrm")
    assert any("under 18 when the exploitation started" in m.label for m in result.missing)
    ws.cases.answer(ref, "pv-under-age-at-time-of-exploitation", "yes")
    assert ws.packs.check(ref, "nrm").complete


def test_a_childs_nrm_pack_never_says_consent_yes(ws, tmp_path):
    ref = fill(ws, CHILD)
    text = export(ws, ref, "nrm", tmp_path)
    assert "Not required (child referral)" in text
    assert "Does the person consent to an NRM referral? Yes" not in text
    assert "Decision Given" not in text


# -- interpreters ----------------------------------------------------------------------------------
COMPANION = {**ADULT, "pv-interpreter-requirements": "yes", "fc-interpreter-name": "Cousin Ana",
             "fc-interpreter-accredited": "no", "fc-interpreter-independent": "no"}


def test_a_companion_interpreting_is_warned_and_said_in_the_pack(ws, tmp_path):
    ref = fill(ws, COMPANION)
    warnings = [w.text for w in ws.queries.detail(ref).warnings]
    assert any("not independent" in w and "K18" in w for w in warnings)
    with pytest.raises(Invalid, match="say why"):
        ws.cases.record_consent(ref, "nrm", "given", explained_by="Sam", language="Romanian",
                          explained=EXPLAINED, explained_points=NRM_POINTS,
                          interpreter="Cousin Ana")
    ws.cases.record_consent(ref, "nrm", "given", explained_by="Sam", language="Romanian",
                      explained=EXPLAINED, explained_points=NRM_POINTS, interpreter="cousin  ana",
                      interpreter_reason="No accredited interpreter by phone; she asked to go on")
    record = ws.queries.detail(ref).consents[0]
    assert record.interpreter == "Cousin Ana" and record.interpreter_independent is False
    complete(ws, ref)
    text = export(ws, ref, "nrm", tmp_path)
    assert "not independent of the person" in text
    assert "independent of the person: no" in text
    assert "she asked to go on" in text


def test_consent_names_only_a_recorded_interpreter(ws):
    ref = fill(ws, ADULT)
    with pytest.raises(Invalid, match="Interpreter step"):
        ws.cases.record_consent(ref, "nrm", "given", explained_by="Sam", language="English",
                          explained=EXPLAINED, explained_points=NRM_POINTS,
                          interpreter="Someone Unrecorded")


# -- skips -----------------------------------------------------------------------------------------
def test_not_possible_now_completes_the_pack_without_pressing_the_person(ws, tmp_path):
    ref = fill(ws, ADULT, {"nrm": "given"})
    for fid in ("how-they-were-treated", "living-conditions", "what-were-they-required-to-do"):
        ws.cases.clear_answer(ref, fid)
    assert not ws.packs.check(ref, "nrm").complete
    ws.cases.skip_step(ref, "treatment", "too-distressing", "CNRYprivate she cried")
    result = ws.packs.check(ref, "nrm")
    assert result.complete, result.missing
    assert any(label == "How they were treated, in their words"
               for label, _text in result.not_discussed)
    text = export(ws, ref, "nrm", tmp_path)
    assert "Not discussed: it was too distressing for the person to talk about" in text
    assert "CNRYprivate" not in text


def test_a_route_deciding_question_is_never_not_discussed(ws):
    ref = ws.cases.new().reference
    ws.cases.skip_step(ref, "age", "not-safe")  # the age decides the route: still asked for
    assert any(m.key == "pv-under-age" for m in ws.packs.check(ref, "nrm").missing)


# -- the caseworker's annex ----------------------------------------------------------------------
def test_the_annex_is_carried_only_where_the_explanation_covered_it(ws, tmp_path):
    account = "I came for a job in a kitchen and was never paid."
    ref = fill(ws, ADULT, {"nrm": "given"}, override={"fc-own-words": account})
    text = export(ws, ref, "nrm", tmp_path)
    assert account not in text and "For the receiving caseworker" not in text
    ws.cases.record_consent(ref, "nrm", "given", explained_by="Sam Worker", language="English",
                      explained=EXPLAINED, explained_points=NRM_POINTS, shares_account=True)
    (tmp_path / "again").mkdir()
    text = export(ws, ref, "nrm", tmp_path / "again")
    assert "For the receiving caseworker" in text and account in text


def test_the_child_safeguarding_referral_is_addressed_to_the_local_authority(ws, tmp_path):
    ref = fill(ws, CHILD, override={
        "local-authority-contacted-about-child-local-authority-name": "Leeds City Council",
        "local-authority-contacted-about-child-local-authority-phone": "+44 113 222 4403",
        "local-authority-contacted-about-child-local-authority-email": "mash@leeds.example"})
    text = export(ws, ref, "child-safeguarding", tmp_path)
    assert "To Leeds City Council +44 113 222 4403 mash@leeds.example" in text
    assert "fictional" not in text.lower()


def test_no_fictional_service_is_shipped(data_dir):
    ws = Workspace.create(data_dir, PASSPHRASE)
    try:
        assert ws.settings.services() == ()
    finally:
        ws.close()


# -- the Duty to Notify's scope ------------------------------------------------------------------
def test_a_worker_with_no_statutory_duty_is_told_what_applies(ws):
    ref = fill(ws, ADULT, {"nrm": "declined"})
    ws.settings.set_profile(public_authority="none")
    result = ws.packs.check(ref, "dtn")
    assert result.refusals and "no duty to notify" in result.refusals[0]
    ws.settings.set_profile(public_authority="")
    assert any(m.fix == "profile" for m in ws.packs.check(ref, "dtn").missing)


def test_outside_england_and_wales_the_notification_stays_anonymous(ws, tmp_path):
    ref = fill(ws, {**ADULT, "fr-location": "scotland", "authorities-cooperation": "yes"},
               {"nrm": "declined"})
    ws.cases.answer(ref, "pv-name-first-name", "Named Canary")
    ws.settings.set_profile(public_authority="none")  # voluntary there: no duty needed
    text = export(ws, ref, "dtn", tmp_path)
    assert "Named Canary" not in text and "voluntary" in text


def test_consent_not_sought_leads_to_a_duty_to_notify_not_an_nrm_referral(ws):
    ref = fill(ws, ADULT)
    with pytest.raises(Invalid, match="why consent could not be sought"):
        ws.cases.record_consent(ref, "nrm", "not-sought", explained_by="Sam", language="")
    ws.cases.record_consent(ref, "nrm", "not-sought", explained_by="Sam", language="",
                      not_sought_reason="left")
    assert ws.packs.check(ref, "nrm").refusals
    assert ws.packs.check(ref, "dtn").complete, ws.packs.check(ref, "dtn").missing


def test_consent_to_a_destination_that_needs_none_is_refused(ws):
    ref = fill(ws, ADULT)
    with pytest.raises(Refused, match="needs no consent"):
        ws.cases.record_consent(ref, "dtn", "given", explained_by="Sam", language="English",
                          explained=EXPLAINED)


def test_no_duty_to_notify_for_a_person_already_referred(ws, tmp_path):
    ref = fill(ws, ADULT, {"nrm": "given"})
    export(ws, ref, "nrm", tmp_path)
    ws.cases.withdraw_consent(ref, "nrm", taken_by="Jo Colleague", language="Romanian")
    result = ws.packs.check(ref, "dtn")
    assert any("already exported" in r for r in result.refusals)
    withdrawal = ws.queries.detail(ref).consent_history[-1]
    assert (withdrawal.state, withdrawal.explained_by, withdrawal.language) == (
        "withdrawn", "Jo Colleague", "Romanian")
    assert ws.queries.detail(ref).exports[0].destination == "nrm"


# -- characters and limits -------------------------------------------------------------------------
def test_the_forms_length_limits_hold_on_answer_and_in_the_check(ws):
    ref = fill(ws, ADULT, {"nrm": "given"})
    with pytest.raises(Invalid, match="longer than 250"):
        ws.cases.answer(ref, "alternative-number-relation-to-pv", "x" * 251)
    with pytest.raises(Invalid, match="longer than 15000"):
        ws.cases.answer(ref, "how-they-were-treated", "y" * 15001)


def test_no_character_is_dropped_silently(ws, tmp_path):
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    ref = fill(ws, ADULT, {"nrm": "given"}, override={"pv-name-nickname": f"Mo {family}"})
    result = ws.packs.check_for_export(ref, "nrm", None)
    assert any("[U+1F468]" in n for n in result.notices)
    text = export(ws, ref, "nrm", tmp_path)
    assert "[U+1F468+200D+1F469+200D+1F467]" in text


def test_dates_in_packs_are_for_people(ws, tmp_path):
    ref = fill(ws, ADULT, {"nrm": "given"})
    text = export(ws, ref, "nrm", tmp_path)
    assert "1 January 1990" in text  # the date of birth
    assert re.search(r"\d{4}-\d{2}-\d{2}", text) is None  # no ISO dates or timestamps
