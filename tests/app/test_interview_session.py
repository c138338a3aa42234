"""The interview session without Qt: what the screens only show. A refused value holds the
step; a write the disk refused is said once; an unrecorded consent decision is said once and
kept as a draft; the consent form's defaults come from the session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from firstcontact.app.interview_session import ConsentDraft, InterviewSession
from firstcontact.app.workspace import Workspace
from firstcontact.store.errors import WriteFailed
from tests.conftest import PASSPHRASE


@pytest.fixture
def session(data_dir) -> Iterator[InterviewSession]:
    ws = Workspace.create(data_dir, PASSPHRASE)
    ws.settings.set_profile(first_name="Sam", last_name="Worker", role="Outreach worker")
    ref = ws.cases.new().reference
    yield InterviewSession(ws, ref)
    ws.close()


def test_a_refused_value_holds_the_step_until_corrected(session):
    session.show("age")
    result = session.save("pv-dob", "31/12/1990")
    assert result.status == "refused" and "YYYY-MM-DD" in result.message
    held = session.may_leave(["pv-under-age", "pv-dob"])
    assert not held.ok and held.field == "pv-dob"
    assert not session.may_leave(["pv-under-age", "pv-dob"]).ok  # every time, not once
    assert session.save("pv-dob", "1990-12-31").status == "saved"
    assert session.may_leave(["pv-under-age", "pv-dob"]).ok
    assert session.state.answers["pv-dob"] == "1990-12-31"


def test_a_refused_value_in_a_hidden_field_holds_nothing(session):
    session.show("age")
    session.save("pv-dob", "nonsense")
    assert session.may_leave(["pv-under-age"]).ok  # the field is not on screen any more


def test_a_refused_write_is_said_once_then_the_worker_may_move_on(session, monkeypatch):
    session.show("about-contact")

    def full(*_args, **_kwargs):
        raise WriteFailed("could not save (disk I/O error)")

    monkeypatch.setattr(session.ws.cases, "answer", full)
    assert session.save("fc-contact-place", "drop-in").status == "failed"
    first = session.may_leave(["fc-contact-place"])
    assert not first.ok and "could not be saved" in first.message
    assert session.may_leave(["fc-contact-place"]).ok


def test_an_unrecorded_consent_is_said_once_and_kept_as_a_draft(session):
    session.save("pv-under-age", "no")
    session.show("nrm-consent")
    unticked = ConsentDraft("What the NRM is", "Sam Worker", "English", "", "given")
    assert "every point" in session.consent_problem("nrm", unticked)  # a yes needs them all
    points = tuple(p.id for p in session.consent_points("nrm"))
    draft = ConsentDraft("What the NRM is", "Sam Worker", "English", "", "given", points=points)
    assert session.consent_problem("nrm", draft) == ""
    session.edit_consent("nrm", draft)
    first = session.may_leave([], "nrm")
    assert not first.ok and first.consent
    assert session.may_leave([], "nrm").ok
    assert session.consent_defaults("nrm") == draft  # still there when the form comes back
    session.record_consent("nrm", draft)
    assert session.state.consents["nrm"].state == "given"
    assert "nrm" not in session.consent_drafts


def test_consent_defaults_come_from_the_profile_the_language_and_the_interpreter(session):
    for fid, value in (("pv-under-age", "no"), ("fc-language", "Tigrinya"),
                       ("pv-interpreter-requirements", "yes"),
                       ("fc-interpreter-name", "Aster Interpreter")):
        assert session.save(fid, value).status == "saved"
    defaults = session.consent_defaults("nrm")
    assert (defaults.explained_by, defaults.language, defaults.interpreter) == (
        "Sam Worker, Outreach worker", "Tigrinya", "Aster Interpreter")
    assert session.needs_interpreter()


def test_skipping_moves_the_session_on_and_resuming_takes_it_back(session):
    first = session.resume_step()
    session.show(first.id)
    session.skip("no-time", "Had to leave")
    assert session.state.skips[first.id].reason == "no-time"
    assert session.resume_step().id != first.id
    session.resume()
    assert first.id not in session.state.skips


@pytest.mark.parametrize(("authority", "told"), [("local-authority", True), ("none", False)])
def test_the_nrm_words_say_what_a_no_still_sends_where_the_worker_has_the_duty(
        session, authority, told):
    """The person decides about the NRM knowing that, where the worker's organisation has the
    Duty to Notify, a "no" still means an (anonymous) notice to the Home Office."""
    session.ws.settings.set_profile(public_authority=authority, nation="england")
    for fid, value in (("pv-under-age", "no"), ("fr-location", "england")):
        assert session.save(fid, value).status == "saved"
    step = next(s for s in session.ws.checklist.steps if s.consent == "nrm")
    view = session.explanation(step, "en")
    words = " ".join(text for _id, text in view.parts)
    assert ("If you say no, because of my job I still have to tell the Home Office" in words) \
        is told
