"""The survivor copy is a letter to the person: in the second person, what they told us, what
happens next, what was shared with whom and when, their rights and who to contact; and none of
what the letter must never carry — a canary in every excluded item, found nowhere."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from pathlib import Path

from pypdf import PdfReader

from firstcontact.app.person_texts import texts_for_person
from firstcontact.app.survivor_copy import CopySafety
from firstcontact.app.workspace import Workspace
from tests.fixtures import SAMPLE_CASE

PASSWORD = "pdf-password-1"


def sample(ws: Workspace, **answers: object) -> str:
    doc = json.loads(SAMPLE_CASE.read_text("utf-8"))
    doc["answers"].update(answers)
    return ws.cases.import_case(doc).reference


def letter_text(ws: Workspace, ref: str, tmp_path: Path, *, exploiters: bool = False,
                language: str = "en") -> str:
    """The letter's text (in English unless said: the sample person speaks Romanian)."""
    out = tmp_path / f"copy-{exploiters}.pdf"
    ws.packs.survivor_copy(ref, out, PASSWORD, CopySafety("now", exploiters),
                           language=language)
    reader = PdfReader(str(out))
    assert reader.decrypt(PASSWORD)
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def excluded_text_fields(ws: Workspace) -> list[str]:
    """Every text field the letter must never show."""
    letter = texts_for_person(ws.checklist).letter
    return [f.id for s in ws.checklist.steps for f in s.fields
            if f.type in ("text", "longtext") and any(fnmatchcase(f.id, p) for p in letter.never)]


def test_none_of_the_excluded_items_reaches_the_letter(ws, tmp_path):
    fields = excluded_text_fields(ws)
    # the worker's own assessments, safety arrangements and reflection are among them
    assert {"professional-insight", "evidence-of-dishonesty-details", "fc-risk-details",
            "modern-slavery-indicators-details", "fc-worker-safety-notes", "fc-reflection",
            "fc-companions-identity", "fc-safer-time"} <= set(fields)
    canaries = {fid: f"CNRY{n:03d}x" for n, fid in enumerate(fields)}
    ref = sample(ws, **canaries, **{"evidence-of-dishonesty": "yes", "fc-accompanied": "yes",
                                    "fc-spoke-alone": "no"})
    ws.cases.add_note(ref, "CNRYnote a worker's note")
    ws.cases.add_note(ref, "CNRYfollow a follow-up", kind="follow-up")
    ws.cases.mark_criterion(ref, "PC28", "met", "CNRYmark a note on a criterion")
    ws.cases.skip_step(ref, "background", "other", "CNRYskip the worker's own words")
    ws.cases.answer(ref, "who-exploited-pv", "CNRYwho the people involved")
    ws.cases.answer(ref, "exploiters-location", "yes")
    ws.cases.answer(ref, "exploiters-current-location-details", "CNRYwhere they are now")
    text = letter_text(ws, ref, tmp_path)
    found = [c for c in (*canaries.values(), "CNRYnote", "CNRYfollow", "CNRYmark", "CNRYskip",
                         "CNRYwho", "CNRYwhere") if c in text]
    assert found == []
    # nor the worker's choices about the person: credibility, risk rating, their own safety
    for fid in ("evidence-of-dishonesty", "fc-risk-level", "fc-worker-check-in",
                "fc-support-arranged", "modern-slavery-indicators"):
        field = ws.checklist.field(fid)
        assert field.label not in text and field.document_label not in text, fid
    # the people involved appear only when the worker says the person can safely carry them
    with_them = letter_text(ws, ref, tmp_path, exploiters=True)
    assert "CNRYwho" in with_them and "CNRYwhere" in with_them
    assert not [c for c in canaries.values() if c in with_them]


def test_the_letter_speaks_to_the_person(ws, tmp_path):
    ref = sample(ws)
    text = letter_text(ws, ref, tmp_path)
    assert text.index("A letter for you") < text.index("We met on")
    for heading in ("What happens next", "What you told us", "What we shared, with whom, and "
                    "when", "Your decisions", "Your rights", "Who to contact"):
        assert heading in text
    assert "Your first name: Elena" in text
    assert "In your own words:" in text and "I owed him for the travel" in text
    # the worker's record, in the third person, is not what the person reads
    for worker_words in ("Which nation are you working in?", "Your assessment of the risk",
                         "Is there clear evidence the account is not credible?",
                         "The person's account, in their own words"):
        assert worker_words not in text
    # what happens next: what they were told, the referral, the handover, the next review
    assert "A support worker should call you on your new number" in text
    assert "The referral's reference number is NRM-26-104233." in text
    assert "We introduced you to the regional support team" in text
    assert "We agreed to talk again around 30 November 2026." in text
    # their rights and who to contact
    assert "You can ask for a copy of everything we hold about you" in text
    assert "Tell Sam Worker, or anyone at The Salvation Army" in text
    assert "08000 121 700" in text and "Call 999." in text and "+44 20 7946 0000" in text
    assert "You agreed. It was explained to you by Sam Worker, Outreach worker, in Romanian." \
        in text


def test_what_was_shared_names_each_export_its_receiver_and_date(ws, tmp_path):
    ref = sample(ws)
    before = letter_text(ws, ref, tmp_path)
    assert "We have not shared anything about you" in before
    assert ws.packs.export(ref, "nrm", tmp_path / "nrm.pdf", PASSWORD, None).written
    ws.cases.record_consent(ref, "specialist-support", "given", explained_by="Sam Worker",
                      language="Romanian", explained="What the service does and what we share")
    assert ws.packs.export(ref, "specialist-support", tmp_path / "ss.pdf", PASSWORD,
                       "example-support").written
    ws.cases.answer(ref, "fc-rg-decision", "positive")
    ws.cases.answer(ref, "fc-support-provider", "Example Support Service, 0300 000 0000")
    text = letter_text(ws, ref, tmp_path)
    assert ("A referral to the National Referral Mechanism (NRM), to the Home Office (the "
            "Single Competent Authority)") in text
    service = next(s for s in ws.settings.services() if s.id == "example-support")
    assert f"A referral for specialist support, to {service.name}" in text
    assert "there are reasonable grounds to believe that you are a victim" in text
    assert "Your support provider: Example Support Service, 0300 000 0000" in text


def test_a_child_is_told_about_childrens_services(ws, tmp_path):
    ref = sample(ws, **{"pv-under-age": "yes"})
    document = ws.packs.survivor_document(ref, language="en")
    words = " ".join(p for s in document.sections for p in s.paragraphs)
    assert "Because you are under 18, or we are not sure of your age, we have told children's " \
        "services" in words


def test_the_letter_never_says_how_the_person_plans_to_get_away_or_to_be_reached(ws, tmp_path):
    """A paper an exploiter may find: the safety plan and the safe way to contact them stay
    out, whatever the person can carry."""
    ref = sample(ws, **{"fc-safety-plan": "CNRYplan helpline saved under a plain name",
                        "fc-safe-contact": "CNRYcontact no messages about the referral"})
    for exploiters in (False, True):
        text = letter_text(ws, ref, tmp_path, exploiters=exploiters)
        assert "CNRYplan" not in text and "CNRYcontact" not in text


def test_a_referral_is_sent_only_once_its_reference_is_recorded(ws, tmp_path):
    """Exporting a pack is preparing it: the letter says "sent" only when the referral's
    reference number shows it reached the Home Office."""
    ref = sample(ws, **{"fc-nrm-reference": ""})
    assert ws.packs.export(ref, "nrm", tmp_path / "nrm.pdf", PASSWORD, None).written
    text = letter_text(ws, ref, tmp_path)
    assert "we prepared a referral about you to the National Referral Mechanism" in text
    assert "we sent a referral" not in text
    assert "Each date is the day we prepared it to send." in text
    ws.cases.answer(ref, "fc-nrm-reference", "NRM-26-104233")
    text = letter_text(ws, ref, tmp_path)
    assert "we sent a referral about you to the National Referral Mechanism" in text


def test_words_already_in_quotation_marks_are_quoted_once(ws, tmp_path):
    ref = sample(ws, **{"fc-told-next": '"I will send the referral today."'})
    text = letter_text(ws, ref, tmp_path)
    assert "“I will send the referral today.”" in text
    assert '“"' not in text and '"”' not in text


def test_a_translation_not_yet_reviewed_says_so_in_the_letter(ws, tmp_path):
    from firstcontact.app.person_texts import person_language

    ref = sample(ws)
    assert not person_language("sq").reviewed  # the shipped Albanian is a draft
    document = ws.packs.survivor_document(ref, language="sq")
    english = texts_for_person(ws.checklist).letter.text("unreviewed")
    assert english in document.notices  # for anyone who reads English, beside the Albanian
    assert document.notices.index(english) < len(document.notices) - 2  # before the opening
    plain = ws.packs.survivor_document(ref, language="en")
    assert english not in plain.notices
