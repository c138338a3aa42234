"""Translation: every user-visible string goes through ``_``, ``ngettext`` or ``pgettext``.

Two gettext domains, each with its own language:

- ``firstcontact``, the worker's: the code's strings and the interview data (stage and step
  titles, scripts, field labels, options, guidance, pack headings; their message context is the
  step or field id). Its language is the worker's: Settings, else the environment
  (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.
- ``firstcontact-survivor``, the person's: what they hear and read (checklists'
  `survivor.toml`: the explanations read with them, the letter that is their copy). Its
  language is chosen per use (:func:`survivor_catalog`), and each catalog says whether an
  accredited translator reviewed it (:func:`review_status`).

Catalogs are compiled from ``translations/<lang>/LC_MESSAGES/<domain>.po`` into
``firstcontact/locale/`` by the build (``make catalogs``; the package build does the same);
with no catalog for a language the English source strings are used.

A thread may work in another language than the screen for a while (:func:`using`: a referral
pack is written in English whatever the worker reads): the override is a context variable, so
it never leaks into another thread.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "firstcontact"
SURVIVOR_DOMAIN = "firstcontact-survivor"
LOCALE_DIR = Path(__file__).parent / "locale"
ENGLISH = "en"  # the source strings' language
DEFAULT_LOCALE = "en_GB"  # dates and numbers for a UK app when the language is English
REVIEWED = "reviewed"
NEEDS_REVIEW = "needs review"


def _code(value: str) -> str:
    """A gettext language code from an environment value: "cy_GB.UTF-8" -> "cy_GB"."""
    code = value.split(".")[0].split("@")[0]
    return "" if code in ("C", "POSIX") else code


def environment_language() -> str:
    """The language the environment asks for (gettext's order), else English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            for part in value.split(":"):
                if _code(part):
                    return _code(part)
            break
    return ENGLISH


@cache
def catalog(domain: str, language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``domain`` in ``language`` (English: the source strings)."""
    if language.split("_")[0] == ENGLISH:
        return gettext.NullTranslations()
    return gettext.translation(domain, localedir=LOCALE_DIR, languages=[language],
                               fallback=True)


def has_catalog(domain: str, language: str) -> bool:
    return isinstance(catalog(domain, language), gettext.GNUTranslations)


def languages(domain: str = DOMAIN) -> tuple[str, ...]:
    """English and every language with a compiled catalog of ``domain``, by code."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{domain}.mo")}
    return (ENGLISH, *sorted(found - {ENGLISH}))


def language_name(code: str, in_language: str | None = None) -> str:
    """A language's name in itself ("Cymraeg", "العربية"), or as ``in_language`` names it
    ("Arabeg" in Welsh); from babel; the code if unknown."""
    from babel.core import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code)
        reader = locale if in_language is None else Locale.parse(in_language)
    except (UnknownLocaleError, ValueError):
        return code
    name = str(locale.get_display_name(reader) or code)
    return name[:1].upper() + name[1:]


def review_status(domain: str, language: str) -> str:
    """"reviewed" (by an accredited translator), "needs review", or "" for English. Compiled
    beside the catalog from its header comment (translations/catalogs.py)."""
    if language.split("_")[0] == ENGLISH or not has_catalog(domain, language):
        return ""
    status = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.status"
    try:
        said = status.read_text(encoding="utf-8").strip().lower()
    except OSError:
        return NEEDS_REVIEW
    return REVIEWED if said == REVIEWED else NEEDS_REVIEW


# -- the worker's language -----------------------------------------------------------------------
_chosen: list[str] = [environment_language()]
_override: ContextVar[str | None] = ContextVar("firstcontact_language", default=None)


def set_language(code: str | None) -> None:
    """The worker's language from now on, in every thread (None: the environment's)."""
    _chosen[0] = code or environment_language()


def language() -> str:
    """The worker's language in this thread now."""
    return _override.get() or _chosen[0]


@contextmanager
def using(code: str) -> Iterator[None]:
    """Work in ``code`` for a while in this thread only (a pack is written in English)."""
    token = _override.set(code)
    try:
        yield
    finally:
        _override.reset(token)


def current_locale() -> str:
    """The locale dates and numbers follow (babel's form, e.g. ``cy``): the worker's language;
    British English for English."""
    code = language()
    return DEFAULT_LOCALE if code.split("_")[0] == ENGLISH else code


def _(message: str) -> str:
    """Translate ``message`` into the worker's language."""
    return catalog(DOMAIN, language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with a plural form chosen by ``n``."""
    return catalog(DOMAIN, language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` in ``context`` (the interview data: a step or field id)."""
    return catalog(DOMAIN, language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (translated where shown)."""
    return message


# -- the person's language -----------------------------------------------------------------------
def survivor_catalog(code: str) -> gettext.NullTranslations:
    """The texts for the person in ``code`` (English where there is no catalog)."""
    return catalog(SURVIVOR_DOMAIN, code)
