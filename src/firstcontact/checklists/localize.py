"""The interview data in another language: every text an organisation wrote in `checklists/`
(and `referral/destinations.toml`) replaced by its translation, ids and rules untouched.

One walk serves both ends, so that they cannot disagree:

- at run time :func:`localized_checklist` (and the others) pass each text to a catalog's
  ``pgettext`` with its message context — the id of the stage, step, field, option, criterion,
  destination… it belongs to — and build a translated copy of the data;
- at extraction (`firstcontact.checklists.extract`, run by `make translations`) the same walk
  records each (context, text, what it is) for the template.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TypeVar

from firstcontact.domain.model import (
    Checklist,
    Criterion,
    DerivedField,
    Evidence,
    Field,
    Option,
    SkipReason,
    Step,
    StepWarning,
)
from firstcontact.domain.survivor import (
    Contact,
    Explanation,
    ExplanationPart,
    Letter,
    LetterSection,
    SharedWords,
    SurvivorTexts,
)
from firstcontact.referral.model import Annex, Destination, Destinations, Rule, Section

# (message context, source text, a note for translators) -> the text to use
Translate = Callable[[str, str, str], str]
K = TypeVar("K")


def from_catalog(found: gettext.NullTranslations) -> Translate:
    """Translate through a compiled catalog (an empty text stays empty)."""
    def translate(context: str, text: str, _note: str) -> str:
        return found.pgettext(context, text) if text else text
    return translate


def _each(t: Translate, context: str, texts: tuple[str, ...], note: str) -> tuple[str, ...]:
    return tuple(t(context, text, note) for text in texts)


def _values(t: Translate, context: Callable[[K], str], texts: Mapping[K, str],
            note: str) -> dict[K, str]:
    return {key: t(context(key), text, note) for key, text in texts.items()}


# -- the interview -------------------------------------------------------------------------------
def _option(t: Translate, o: Option) -> Option:
    return replace(o, label=t(f"option {o.value}", o.label, "an answer to choose"))


def _field(t: Translate, f: Field) -> Field:
    c = f"field {f.id}"
    return replace(f, label=t(c, f.label, "a question (field label)"),
                   help=t(c, f.help, "help under a question"),
                   pack_label=t(c, f.pack_label, "how a referral pack names this question"),
                   options=tuple(_option(t, o) for o in f.options))


def _warning(t: Translate, step: str, n: int, w: StepWarning) -> StepWarning:
    c = f"step {step} warning {n}"
    return replace(w, text=t(c, w.text, f"a {w.level} shown on the step"),
                   actions=_each(t, c, w.actions, "what to do, one action"))


def _step(t: Translate, s: Step) -> Step:
    c = f"step {s.id}"
    return replace(
        s, title=t(c, s.title, "the title of an interview step"),
        prompt=t(c, s.prompt, "the worker's script: what to do and say"),
        source=t(c, s.source, "where the wording comes from (seed documents, the standard)"),
        warnings=tuple(_warning(t, s.id, n, w) for n, w in enumerate(s.warnings, 1)),
        variants=tuple(replace(v, prompt=t(f"step {s.id} variant {n}", v.prompt,
                                           "the script for a particular case"))
                       for n, v in enumerate(s.variants, 1)),
        points=tuple(replace(p, label=t(f"step {s.id} point {p.id}", p.label,
                                        "a point a consent explanation must cover"))
                     for p in s.points),
        fields=tuple(_field(t, f) for f in s.fields))


def _criterion(t: Translate, kind: str, c: Criterion) -> Criterion:
    what = "performance criterion" if kind == "criterion" else "knowledge item"
    return replace(c, text=t(f"{kind} {c.id}", c.text, f"an SFJ BE2 {what}, in its words"))


def _evidence(t: Translate, e: Evidence) -> Evidence:
    c = f"evidence {e.pc}"
    return replace(
        e, needs=tuple(replace(n, missing=t(c, n.missing, "what the record does not show yet"))
                       for n in e.needs),
        not_applicable=tuple((cond, t(c, why, "why the criterion does not apply"))
                             for cond, why in e.not_applicable))


def _derived(t: Translate, d: DerivedField) -> DerivedField:
    return replace(d, displays=_each(t, f"derived {d.id}", d.displays,
                                     "how a pack shows a computed answer"))


def _skip(t: Translate, r: SkipReason) -> SkipReason:
    c = f"skip-reason {r.id}"
    return replace(r, label=t(c, r.label, "why a step was not possible now"),
                   pack_text=t(c, r.pack_text, "what a referral says of unanswered questions"))


def localized_checklist(checklist: Checklist, t: Translate) -> Checklist:
    return replace(
        checklist,
        criteria=tuple(_criterion(t, "criterion", c) for c in checklist.criteria),
        knowledge=tuple(_criterion(t, "knowledge", k) for k in checklist.knowledge),
        stages=tuple(replace(s, title=t(f"stage {s.id}", s.title, "the title of a stage"),
                             summary=t(f"stage {s.id}", s.summary, "what a stage is for"))
                     for s in checklist.stages),
        steps=tuple(_step(t, s) for s in checklist.steps),
        derived_fields=tuple(_derived(t, d) for d in checklist.derived_fields),
        evidence={pc: _evidence(t, e) for pc, e in checklist.evidence.items()},
        skip_reasons=tuple(_skip(t, r) for r in checklist.skip_reasons),
        practice=_values(t, lambda k: f"practice {k}", checklist.practice,
                         "a practical note under a knowledge item"))


# -- the destinations ----------------------------------------------------------------------------
def _destination(t: Translate, d: Destination) -> Destination:
    c = f"destination {d.id}"

    def annex(a: Annex) -> Annex:
        return replace(a, title=t(c, a.title, "the heading of a pack's annex"),
                       note=t(c, a.note, "a note under the annex heading"))

    def rule(r: Rule) -> Rule:
        return replace(r, text=t(c, r.text, f"a rule ({r.effect}) the completeness check says"))

    def section(s: Section) -> Section:
        return replace(s, title=t(c, s.title, "a section heading in a pack"))

    return replace(d, title=t(c, d.title, "a referral destination"),
                   summary=t(c, d.summary, "what a destination is"),
                   short_title=t(c, d.short_title, "a column heading in the case list"),
                   sections=tuple(section(s) for s in d.sections),
                   rules=tuple(rule(r) for r in d.rules),
                   annex=annex(d.annex) if d.annex else None)


def localized_destinations(destinations: Destinations, t: Translate) -> Destinations:
    return replace(destinations,
                   items=tuple(_destination(t, d) for d in destinations.items),
                   labels=_values(t, lambda k: f"field {k}", destinations.labels,
                                  "how a pack names a form field"))


# -- the texts for the person --------------------------------------------------------------------
def _explanation(t: Translate, e: Explanation) -> Explanation:
    c = f"explanation {e.id}"

    def part(p: ExplanationPart) -> ExplanationPart:
        return replace(p, text=t(f"{c} part {p.id}", p.text,
                                 "read with the person: plain words, second person"))

    return replace(e, title=t(c, e.title, "the heading of words read with the person"),
                   source=t(c, e.source, "where the wording comes from"),
                   parts=tuple(part(p) for p in e.parts))


def _letter(t: Translate, letter: Letter) -> Letter:
    def contact(n: int, c: Contact) -> Contact:
        return replace(c, label=t(f"letter contact {n}", c.label, "who to contact"),
                       text=t(f"letter contact {n}", c.text, "how to contact them"))

    def shared(d: str, w: SharedWords) -> SharedWords:
        c = f"letter shared {d}"
        return replace(w, what=t(c, w.what, "what was sent"), to=t(c, w.to, "to whom"))

    def told(n: int, s: LetterSection) -> LetterSection:
        return replace(s, title=t(f"letter section {n}", s.title,
                                  "a heading of 'What you told us'"))

    return replace(
        letter,
        texts=_values(t, lambda k: f"letter {k}", letter.texts, "the letter to the person"),
        rights=_each(t, "letter rights", letter.rights, "one of the person's rights"),
        contacts=tuple(contact(n, c) for n, c in enumerate(letter.contacts, 1)),
        consent_words=_values(t, lambda k: f"letter consent {k}", letter.consent_words,
                              "the person's decision"),
        events=_values(t, lambda k: f"letter event {k}", letter.events,
                       "something that happened to the record"),
        shared={d: shared(d, w) for d, w in letter.shared.items()},
        told=tuple(told(n, s) for n, s in enumerate(letter.told, 1)),
        labels=_values(t, lambda k: f"field {k}", letter.labels,
                       "a question as the letter names it, in the second person"),
        values=_values(t, lambda k: f"option {k}", letter.values, "an answer, in the letter"),
        field_values={fid: _field_values(t, fid, words)
                      for fid, words in letter.field_values.items()})


def _field_values(t: Translate, field_id: str, words: Mapping[str, str]) -> dict[str, str]:
    return _values(t, lambda value: f"field {field_id} option {value}", words,
                   "an answer to this question, in the letter")


def localized_survivor_texts(texts: SurvivorTexts, t: Translate) -> SurvivorTexts:
    return replace(texts,
                   explanations={k: _explanation(t, e) for k, e in texts.explanations.items()},
                   letter=_letter(t, texts.letter))


def letter_option_words(texts: SurvivorTexts, checklist: Checklist) -> dict[str, str]:
    """Option labels a letter may show that it has no words of its own for (context
    "option VALUE" in the person's domain), so that no answer is left in English."""
    out: dict[str, str] = {}
    for section in texts.letter.told:
        for fid in section.fields:
            found = checklist.field(fid)
            for option in found.options if found else ():
                if texts.letter.value_words(fid, option.value) is None:
                    out.setdefault(option.value, option.label)
    return out

