"""The survivor copy: a letter to the person, in the second person and plain words.

What they told us (their answers, in their words), what happens next, what we shared with whom
and when, their decisions, their rights and who to contact. Every word is the survivor texts'
(checklists' `survivor.toml`, their own translation domain); only the fields the letter lists
appear, each under its second-person label. Never the worker's own assessments (credibility,
risk), their safety arrangements or reflection, notes, or — unless the worker says it is safe
for the person to carry them — the names and whereabouts of the people involved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from firstcontact import dates
from firstcontact.app.views import AuditView
from firstcontact.domain.case import CaseState, ConsentRecord
from firstcontact.domain.conditions import is_present
from firstcontact.domain.handover import HANDOVERS as HANDOVERS
from firstcontact.domain.handover import Handover
from firstcontact.domain.interview import Interview
from firstcontact.domain.survivor import Letter, SurvivorTexts
from firstcontact.i18n import survivor_catalog
from firstcontact.referral.content import Author, display_value
from firstcontact.referral.document import PackDocument, PackRow, PackSection


@dataclass(frozen=True)
class CopySafety:
    """The safety check before a copy is made: how it reaches the person, and whether it is
    safe for them to carry the names and whereabouts of the people involved."""

    handover: Handover
    exploiters: bool = False


@dataclass(frozen=True)
class SharedRecord:
    """A pack made from the case: destination, when (ISO), and who received it ("" unknown)."""

    destination: str
    at: str
    receiver: str = ""


@dataclass(frozen=True)
class LetterInputs:
    reference: str
    today: str  # for people
    author: Author
    worker: str = ""  # the worker's name as the person knows it (no role)
    shared: tuple[SharedRecord, ...] = ()
    consent_history: tuple[ConsentRecord, ...] = ()
    audit: tuple[AuditView, ...] = ()
    exploiters: bool = False
    language: str = "en"  # the letter's: ``texts`` are in it
    rtl: bool = False  # the language is written right to left
    unreviewed: tuple[str, ...] = ()  # the notice that no accredited translator checked it


def _t(letter: Letter, key: str) -> str:
    """One of the letter's fixed texts (the letter is in the person's language)."""
    return letter.text(key)


def build_survivor_copy(interview: Interview, texts: SurvivorTexts, state: CaseState,
                        inputs: LetterInputs) -> PackDocument:
    letter = texts.letter
    organisation = inputs.author.organisation
    sections = [
        PackSection(_t(letter, "next_title"), (),
                    paragraphs=tuple(_next(interview, letter, state))),
        PackSection(_t(letter, "told_title"), (), _t(letter, "told_intro")),
        *_told(interview, letter, state, inputs.exploiters),
        _shared(letter, inputs),
        _decisions(letter, inputs.consent_history),
        PackSection(_t(letter, "rights_title"), (), paragraphs=tuple(
            r.format(worker=inputs.worker or organisation, organisation=organisation)
            for r in letter.rights)),
        _contacts(letter, state, inputs.author),
    ]
    history = tuple(_history(letter, inputs.audit, inputs.language))
    sections.append(PackSection(_t(letter, "history_title"), history,
                                None if history else _t(letter, "history_none")))
    cover = (PackRow(_t(letter, "from_label"), ", ".join(
                 x for x in (inputs.author.name, organisation) if x) or "—"),
             PackRow(_t(letter, "date_label"), inputs.today),
             PackRow(_t(letter, "reference_label"), inputs.reference))
    met = dates.day(state.contact_date) if state.contact_date else inputs.today
    notices = (*inputs.unreviewed, _t(letter, "opening").format(date=met),
               _t(letter, "not_included"))
    return PackDocument(title=_t(letter, "title"), cover=cover, notices=notices,
                        sections=tuple(sections), consent=None, coverage=(),
                        marking=_t(letter, "marking"), page_words=_t(letter, "page"),
                        rtl=inputs.rtl)


def _answer(state: CaseState, field_id: str) -> str:
    value = state.answers.get(field_id)
    return str(value) if is_present(value) else ""


def _next(interview: Interview, letter: Letter, state: CaseState) -> list[str]:
    """What happens next: what they were told, the referrals and their decisions, the
    handover and the next review, in that order."""
    read = letter.reads
    out: list[str] = []
    told = _answer(state, read["told_next"])
    if told:
        out += [_t(letter, "next_told"), _quoted(told)]
    if interview.holds("child", state):
        out.append(_t(letter, "next_child"))
    reference = _answer(state, read["nrm_reference"])
    sent = state.exports.get("nrm")
    if sent:  # "sent" once the referral's reference is recorded; till then, only prepared
        out.append(_t(letter, "next_nrm_sent" if reference else "next_nrm_prepared").format(
            date=dates.day(sent)))
    if reference:
        out.append(_t(letter, "next_nrm_reference").format(reference=reference))
    if sent or reference:
        out += _decisions_words(letter, state)
    handed_to = _answer(state, read["handover_to"])
    if handed_to:
        on = _answer(state, read["handover_date"])
        out.append(_t(letter, "next_handover_on").format(to=handed_to, date=dates.day(on)) if on
                   else _t(letter, "next_handover").format(to=handed_to))
        promised = _answer(state, read["handover_promised"])
        if promised:
            out += [_t(letter, "next_promised"), _quoted(promised)]
    review = _answer(state, read["review_date"])
    if review:
        out.append(_t(letter, "next_review").format(date=dates.day(review)))
    return out or [_t(letter, "next_nothing")]


def _quoted(words: str) -> str:
    """The worker's record of what was said, in quotation marks (once: "…" typed is kept)."""
    bare = words.strip()
    if len(bare) > 1 and bare[0] in "\"“'‘" and bare[-1] in "\"”'’":
        bare = bare[1:-1].strip()
    return f"“{bare}”"


def _decisions_words(letter: Letter, state: CaseState) -> list[str]:
    read = letter.reads
    rg, cg = _answer(state, read["rg_decision"]), _answer(state, read["cg_decision"])
    out: list[str] = []
    for decision, date_field, prefix in ((rg, read["rg_date"], "next_rg_"),
                                         (cg, read["cg_date"], "next_cg_")):
        if decision in ("positive", "negative"):
            out.append(_t(letter, prefix + decision))
            day = _answer(state, date_field)
            if day:
                out.append(_t(letter, "next_decision_date").format(date=dates.day(day)))
    if not rg:
        out.append(_t(letter, "next_rg_waiting"))
    return out


def _told(interview: Interview, letter: Letter, state: CaseState,
          exploiters: bool) -> list[PackSection]:
    out = []
    for section in letter.told:
        rows = []
        for fid in section.fields:
            if letter.forbids(fid) or (fid in letter.exploiters and not exploiters):
                continue
            value = state.answers.get(fid)
            if not is_present(value):
                continue
            rows.append(PackRow(letter.labels[fid], _value(interview, letter, fid, value)))
        if rows:
            out.append(PackSection(section.title, tuple(rows), level=3, compact=True))
    return out


def _value(interview: Interview, letter: Letter, field_id: str, value: object) -> str:
    """An answer as the letter shows it: the letter's own words for an option where it has
    them, else as the record shows it."""
    if isinstance(value, list):
        return ", ".join(_value(interview, letter, field_id, v) for v in value)
    if isinstance(value, str):
        words = letter.value_words(field_id, value)
        if words is not None:
            return words
        f = interview.checklist.field(field_id)
        if f is not None and f.type == "multichoice":
            return f.option_label(value)
    return display_value(interview, field_id, value)


def _shared(letter: Letter, inputs: LetterInputs) -> PackSection:
    rows = []
    for record in inputs.shared:
        words = letter.shared[record.destination]
        to = words.to.format(name=record.receiver or _t(letter, "shared_unknown"),
                                 organisation=inputs.author.organisation or "—")
        rows.append(PackRow(dates.day(record.at),
                            _t(letter, "shared_row").format(what=words.what, to=to)))
    return PackSection(_t(letter, "shared_title"), tuple(rows),
                       _t(letter, "shared_intro") + " " + _t(letter, "shared_prepared") if rows
                       else _t(letter, "shared_none"))


def _decisions(letter: Letter, history: Sequence[ConsentRecord]) -> PackSection:
    rows = []
    for c in history:
        words = _t(letter, "decision_row").format(decision=letter.consent_words[c.state],
                                         who=c.explained_by, language=c.language or "—")
        if c.interpreter:
            words += " " + _t(letter, "decision_interpreter").format(name=c.interpreter)
        what = letter.shared[c.destination].what
        rows.append(PackRow(f"{dates.day(c.recorded_at)}: {what}", words))
    return PackSection(_t(letter, "decisions_title"), tuple(rows),
                       None if rows else _t(letter, "decisions_none"))


def _contacts(letter: Letter, state: CaseState, author: Author) -> PackSection:
    worker = "\n".join(x for x in (", ".join(y for y in (author.name, author.organisation) if y),
                                   author.phone, author.email) if x)
    rows = [PackRow(_t(letter, "contact_worker"), worker or "—")]
    provider = _answer(state, letter.reads["support_provider"])
    if provider:
        rows.append(PackRow(_t(letter, "contact_support_provider"), provider))
    rows += [PackRow(c.label, c.text) for c in letter.contacts]
    return PackSection(_t(letter, "contacts_title"), tuple(rows), compact=True)


def _history(letter: Letter, audit: Sequence[AuditView], language: str) -> list[PackRow]:
    """One line per run of the same event ("A worker wrote or changed an answer", 40 times in
    a row, is one line with its count and span), oldest first."""
    rows: list[PackRow] = []
    one, many = letter.history_count
    for event, run in groupby(audit, key=lambda e: e.event):
        events = list(run)
        first, last = (dates.when(e.at) for e in (events[0], events[-1]))
        sentence = letter.events.get(event, letter.text("history_other"))
        if len(events) > 1:
            count = survivor_catalog(language).npgettext("letter history", one, many, len(events))
            sentence += " " + count.format(n=len(events))
        rows.append(PackRow(first if first == last else f"{first} – {last}", sentence))
    return rows


def safe_addresses(letter: Letter, state: CaseState) -> tuple[str, ...]:
    """The addresses the person gave and confirmed safe for letters (email, post): where a
    copy may be sent."""
    read = letter.reads
    out = []
    if state.answers.get(read["safe_email_confirmed"]) is True:
        email = _answer(state, read["safe_email"])
        if email:
            out.append(email)
    if state.answers.get(read["safe_post_confirmed"]) is True:
        post = ", ".join(x for x in (_answer(state, read[k]) for k in (
            "safe_street", "safe_town", "safe_postcode")) if x)
        if post:
            out.append(post)
    return tuple(out)
