"""Translation helpers: every user-visible string goes through ``_`` or ``ngettext``.

Catalogs are compiled into ``firstcontact/locale/<lang>/LC_MESSAGES/firstcontact.mo``; with no
catalog for the user's language the English source strings are used.

What the person hears and reads (the explanations read with them, the letter that is their copy
of the record: checklists' `survivor.toml`) has its own domain, ``firstcontact-survivor``, and
its own language (the person's, not the worker's): :func:`survivor_text`.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "firstcontact"
SURVIVOR_DOMAIN = "firstcontact-survivor"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LOCALE = "en_GB"  # dates and numbers for a UK app when the environment says nothing

_translation: gettext.NullTranslations = gettext.translation(
    DOMAIN, localedir=LOCALE_DIR, fallback=True
)
_languages: list[str] | None = None
_survivor: gettext.NullTranslations = gettext.translation(
    SURVIVOR_DOMAIN, localedir=LOCALE_DIR, fallback=True
)


def set_language(languages: list[str] | None) -> None:
    """Switch the catalog (None: the environment's LANGUAGE/LC_ALL/LC_MESSAGES/LANG)."""
    global _translation, _languages
    _languages = languages
    _translation = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=languages, fallback=True
    )


def current_locale() -> str:
    """The locale dates and numbers follow (babel's form, e.g. ``cy_GB``): the chosen
    language, else the environment's, else British English."""
    candidates = list(_languages or [])
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            candidates += value.split(":")
            break
    for candidate in candidates:
        code = candidate.split(".")[0].split("@")[0]
        if code and code not in ("C", "POSIX"):
            return code
    return DEFAULT_LOCALE


def _(message: str) -> str:
    """Translate ``message``."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with a plural form chosen by ``n``."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (translated where shown)."""
    return message


def set_survivor_language(languages: list[str] | None) -> None:
    """Switch the catalog of the texts for the person (None: the environment's)."""
    global _survivor
    _survivor = gettext.translation(SURVIVOR_DOMAIN, localedir=LOCALE_DIR,
                                    languages=languages, fallback=True)


def survivor_text(message: str) -> str:
    """Translate a text for the person (survivor.toml) into their language."""
    return _survivor.gettext(message)


def survivor_ngettext(singular: str, plural: str, n: int) -> str:
    return _survivor.ngettext(singular, plural, n)
