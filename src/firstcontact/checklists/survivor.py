"""Load and validate `survivor.toml`: the texts the person hears and reads, against the
interview they belong to.

A broken file raises :class:`ChecklistError` naming the file, the entry and the problem: an
unknown field or condition, a step whose explanation or consent points have no words, a
placeholder the text cannot be given, a field the letter must never show.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

from firstcontact.checklists.loader import (
    ENV_DIR,
    PACKAGE_DIR,
    PROFILE_PUBLIC_AUTHORITY,
    ChecklistError,
    check_condition,
    load_checklist,
    read_validated_toml,
)
from firstcontact.domain.case import CONSENT_STATES
from firstcontact.domain.model import DESTINATIONS, Checklist
from firstcontact.domain.survivor import (
    Contact,
    Explanation,
    ExplanationPart,
    Letter,
    LetterSection,
    SharedWords,
    SurvivorTexts,
)

FILE = "survivor.toml"
# The letter's fixed texts and the placeholders each may use.
LETTER_TEXTS: dict[str, tuple[str, ...]] = {
    "title": (), "marking": (), "from_label": (), "date_label": (), "reference_label": (),
    "opening": ("date",), "unreviewed": (), "not_included": (), "next_title": (), "next_told": (),
    "next_child": (), "next_nrm_sent": ("date",), "next_nrm_prepared": ("date",),
    "next_nrm_reference": ("reference",),
    "next_rg_waiting": (), "next_rg_positive": (), "next_rg_negative": (),
    "next_cg_positive": (), "next_cg_negative": (), "next_decision_date": ("date",),
    "next_handover": ("to",), "next_handover_on": ("to", "date"), "next_promised": (),
    "next_review": ("date",), "next_nothing": (), "told_title": (), "told_intro": (),
    "shared_title": (), "shared_intro": (), "shared_prepared": (),
    "shared_none": (), "shared_row": ("what", "to"),
    "shared_unknown": (),
    "decisions_title": (), "decision_row": ("decision", "who", "language"),
    "decision_interpreter": ("name",), "decisions_none": (), "rights_title": (),
    "contacts_title": (), "contact_worker": (), "contact_support_provider": (),
    "history_title": (), "history_none": (), "history_other": (), "page": ("n", "total"),
}
_STRUCTURED = ("rights", "history_count", "contact", "consent_words", "events", "destination",
               "told", "labels", "values", "filter", "fields")


def load_survivor_texts(checklist: Checklist | None = None,
                        directory: Path | None = None) -> SurvivorTexts:
    """The texts for the person, checked against ``checklist`` (default: the interview in
    use). ``directory`` as for :func:`load_checklist`."""
    if checklist is None and directory is None and not os.environ.get(ENV_DIR):
        return _load_default()
    if directory is None:
        env = os.environ.get(ENV_DIR)
        directory = Path(env) if env else PACKAGE_DIR
    return _load(checklist or load_checklist(directory), directory)


@cache
def _load_default() -> SurvivorTexts:
    return _load(load_checklist(), PACKAGE_DIR)


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _lit, name, _spec, _conv in Formatter().parse(text) if name is not None}
    except ValueError:
        return {"{"}  # an unmatched brace: never a valid placeholder


def _check_text(where: str, text: str, allowed: Iterable[str]) -> str:
    unknown = _placeholders(text) - set(allowed)
    if unknown:
        raise ChecklistError(FILE, where, f"unknown placeholder(s) {sorted(unknown)}; this text "
                             f"may use {sorted(allowed) or 'none'}")
    return text.strip()


def _load(checklist: Checklist, directory: Path) -> SurvivorTexts:
    doc = read_validated_toml(directory, FILE, "survivor.schema.json")
    fields: dict[str, object] = {f.id: f for s in checklist.steps for f in s.fields}
    fields.update({d.id: d for d in checklist.derived_fields})
    known = {**fields, PROFILE_PUBLIC_AUTHORITY: None}
    derived = {**checklist.nrm.derived, **checklist.derived}
    explanations: dict[str, Explanation] = {}
    for raw in doc["explanation"]:
        where = f'explanation "{raw["id"]}"'
        if raw["id"] in explanations:
            raise ChecklistError(FILE, where, "id used more than once")
        parts: list[ExplanationPart] = []
        for p in raw["part"]:
            part_where = f'{where}, part "{p["id"]}"'
            if any(q.id == p["id"] for q in parts):
                raise ChecklistError(FILE, part_where, "id used more than once")
            if "when" in p:
                check_condition(FILE, part_where, p["when"], known, derived, DESTINATIONS)
            parts.append(ExplanationPart(p["id"], _check_text(part_where, p["text"], ()),
                                         p.get("when")))
        explanations[raw["id"]] = Explanation(raw["id"], raw["title"], tuple(parts),
                                              raw.get("source", "").strip())
    for step in checklist.steps:
        _check_step(step.id, step.explain, [p.id for p in step.points], explanations)
    letter = _letter(doc["letter"], checklist, fields)
    return SurvivorTexts(explanations=explanations, letter=letter)


def _check_step(step_id: str, explain: str | None, points: list[str],
                explanations: Mapping[str, Explanation]) -> None:
    where = f'interview.toml step "{step_id}"'
    if explain is None:
        if points:
            raise ChecklistError(FILE, where, "has points to explain but no explanation")
        return
    found = explanations.get(explain)
    if found is None:
        raise ChecklistError(FILE, where, f"explains '{explain}', which is not an explanation "
                             "here")
    for point in points:
        if found.part(point) is None:
            raise ChecklistError(FILE, f'explanation "{explain}"', f"has no part '{point}' for "
                                 f"the point of the same id on step \"{step_id}\"")


def _letter(raw: Mapping[str, Any], checklist: Checklist,
            fields: Mapping[str, object]) -> Letter:
    texts: dict[str, str] = {}
    for key, value in raw.items():
        if key in _STRUCTURED:
            continue
        if key not in LETTER_TEXTS:
            raise ChecklistError(FILE, f"letter.{key}", "not a text the letter uses")
        texts[key] = _check_text(f"letter.{key}", value, LETTER_TEXTS[key])
    rights = tuple(_check_text("letter.rights", r, ("worker", "organisation"))
                   for r in raw["rights"])
    one, many = (_check_text("letter.history_count", t, ("n",)) for t in raw["history_count"])
    contacts = tuple(Contact(c["label"], c["text"]) for c in raw["contact"])
    consent_words = dict(raw["consent_words"])
    missing_states = set(CONSENT_STATES) - set(consent_words)
    if missing_states:
        raise ChecklistError(FILE, "letter.consent_words", f"no words for {sorted(missing_states)}")
    shared = {}
    for dest, words in raw["destination"].items():
        if dest not in DESTINATIONS:
            raise ChecklistError(FILE, f"letter.destination.{dest}", "not a destination")
        shared[dest] = SharedWords(
            _check_text(f"letter.destination.{dest}", words["what"], ()),
            _check_text(f"letter.destination.{dest}", words["to"], ("name", "organisation")))
    for dest in DESTINATIONS:
        if dest not in shared:
            raise ChecklistError(FILE, "letter.destination", f"no words for '{dest}'")
    never = tuple(raw["filter"]["never"])
    exploiters = tuple(raw["filter"]["exploiters"])
    labels: dict[str, str] = dict(raw["labels"])
    told = tuple(LetterSection(t["title"], tuple(t["fields"])) for t in raw["told"])
    listed = [f for section in told for f in section.fields]
    for fid in listed:
        where = f'letter.told, field "{fid}"'
        if fid not in fields:
            raise ChecklistError(FILE, where, "not a field of the interview")
        if fid not in labels:
            raise ChecklistError(FILE, where, "has no label under [letter.labels]")
        if any(fnmatchcase(fid, pattern) for pattern in never):
            raise ChecklistError(FILE, where, "the letter must never show it (letter.filter."
                                 "never)")
    for fid in (*labels, *exploiters):
        if fid not in listed:
            raise ChecklistError(FILE, f'letter, field "{fid}"', "is in no [[letter.told]] "
                                 "section")
    values: dict[str, str] = {}
    field_values: dict[str, dict[str, str]] = {}
    for key, words in dict(raw.get("values", {})).items():
        if isinstance(words, str):
            values[key] = words
            continue
        f = checklist.field(key)
        if f is None:
            raise ChecklistError(FILE, f"letter.values.{key}", "not a field of the interview")
        unknown = set(words) - set(f.option_values())
        if unknown:
            raise ChecklistError(FILE, f"letter.values.{key}", f"not options of the field: "
                                 f"{sorted(unknown)}")
        field_values[key] = dict(words)
    reads: dict[str, str] = dict(raw["fields"])
    for role, fid in reads.items():
        if fid not in fields:
            raise ChecklistError(FILE, f"letter.fields.{role}", f"unknown field '{fid}'")
    return Letter(texts=texts, rights=rights, history_count=(one, many), contacts=contacts,
                  consent_words=consent_words, events=dict(raw["events"]), shared=shared,
                  told=told, labels=labels, values=values, field_values=field_values,
                  never=never, exploiters=exploiters, reads=reads)
