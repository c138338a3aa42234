"""The texts for the person (checklists' `survivor.toml`) as the screens use them: the
explanation a step reads with the person, fitted to the case (child or adult, nation, whether
the worker's organisation has the Duty to Notify), in the person's language domain."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from babel.core import Locale, UnknownLocaleError

from firstcontact.app.profile import Profile
from firstcontact.checklists import load_checklist
from firstcontact.checklists.localize import (
    from_catalog,
    letter_option_words,
    localized_survivor_texts,
)
from firstcontact.checklists.survivor import load_survivor_texts
from firstcontact.domain.case import CaseState
from firstcontact.domain.interview import Interview
from firstcontact.domain.model import Checklist, Step
from firstcontact.domain.survivor import SurvivorTexts
from firstcontact.i18n import (
    ENGLISH,
    REVIEWED,
    SURVIVOR_DOMAIN,
    languages,
    review_status,
    survivor_catalog,
)
from firstcontact.referral.check import PackInputs, pack_facts


@dataclass(frozen=True)
class PersonLanguage:
    """A language the texts for the person can be shown and printed in."""

    code: str  # gettext's, e.g. "ar"
    name: str  # in the language itself, e.g. "العربية"
    english: str  # e.g. "Arabic"
    status: str  # "reviewed" (by an accredited translator), "needs review"; "" for English
    rtl: bool  # written right to left

    @property
    def reviewed(self) -> bool:
        return self.status in ("", REVIEWED)


@dataclass(frozen=True)
class ExplanationView:
    """What the screen shows the worker to read with the person."""

    title: str
    parts: tuple[tuple[str, str], ...]  # (part id, words), in ``language``
    language: PersonLanguage


def _language(code: str) -> PersonLanguage:
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return PersonLanguage(code, code, code, review_status(SURVIVOR_DOMAIN, code), False)
    return PersonLanguage(code, str(locale.get_display_name(locale) or code),
                          str(locale.get_display_name(Locale("en")) or code),
                          review_status(SURVIVOR_DOMAIN, code),
                          locale.character_order == "right-to-left")


@cache
def person_languages() -> tuple[PersonLanguage, ...]:
    """English, then every language the texts for the person are translated into."""
    return tuple(_language(code) for code in languages(SURVIVOR_DOMAIN))


def person_language(code: str) -> PersonLanguage:
    """The language of that code (English when there is no translation into it)."""
    return next((lang for lang in person_languages() if lang.code == code),
                person_languages()[0])


def language_of(recorded: object) -> str:
    """The code of the language a case records in words ("Tigrinya", "Arabic (Sudanese)",
    "العربية") when the texts for the person are translated into it, else English."""
    if not isinstance(recorded, str) or not recorded.strip():
        return ENGLISH
    words = recorded.casefold()
    for lang in person_languages()[1:]:
        if any(name.casefold() in words for name in (lang.english, lang.name, lang.code)
               if len(name) > 2):
            return lang.code
    return ENGLISH


_LOADED: dict[int, tuple[Checklist, SurvivorTexts]] = {}  # by the interview they belong to
_TRANSLATED: dict[tuple[int, str], tuple[object, SurvivorTexts]] = {}  # with their catalog


def texts_for_person(checklist: Checklist) -> SurvivorTexts:
    """The survivor texts of the interview in use (as written, in English), loaded and checked
    once per interview. ``checklist``: the interview data as written (not a translation)."""
    found = _LOADED.get(id(checklist))
    if found is None or found[0] is not checklist:
        shipped = checklist is load_checklist()
        found = (checklist, load_survivor_texts(None if shipped else checklist))
        _LOADED[id(checklist)] = found
    return found[1]


def person_texts(checklist: Checklist, code: str) -> SurvivorTexts:
    """The texts for the person in ``code`` (English where there is no translation); the
    letter carries words for every answer it may show."""
    key = (id(checklist), code)
    catalog = survivor_catalog(code)
    kept = _TRANSLATED.get(key)
    if kept is not None and kept[0] is catalog:  # a catalog reloaded since: translate again
        return kept[1]
    source = texts_for_person(checklist)
    t = from_catalog(catalog)
    texts = localized_survivor_texts(source, t)
    extra = {value: t(f"option {value}", label, "")
             for value, label in letter_option_words(source, checklist).items()}
    found = replace(texts, letter=replace(texts.letter,
                                          values={**extra, **texts.letter.values}))
    _TRANSLATED[key] = (catalog, found)
    return found


def explanation_for(interview: Interview, source: Checklist, profile: Profile, step: Step,
                    state: CaseState, reference: str = "",
                    code: str = ENGLISH) -> ExplanationView | None:
    """The step's explanation on this case, in ``code`` (None: the step has none).
    ``source``: the interview data as written."""
    if step.explain is None:
        return None
    language = person_language(code)
    found = person_texts(source, language.code).explanation(step.explain)
    if found is None:
        return None
    facts = pack_facts(interview, state,
                       PackInputs(reference=reference, profile=profile.pack_facts()))
    return ExplanationView(found.title, tuple((p.id, p.text) for p in found.parts_for(facts)),
                           language)
