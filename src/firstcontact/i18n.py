"""Translation helpers: every user-visible string goes through ``_`` or ``ngettext``.

Catalogs are compiled into ``firstcontact/locale/<lang>/LC_MESSAGES/firstcontact.mo``; with no
catalog for the user's language the English source strings are used.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "firstcontact"
LOCALE_DIR = Path(__file__).parent / "locale"

_translation: gettext.NullTranslations = gettext.translation(
    DOMAIN, localedir=LOCALE_DIR, fallback=True
)


def set_language(languages: list[str] | None) -> None:
    """Switch the catalog (None: the environment's LANGUAGE/LC_ALL/LC_MESSAGES/LANG)."""
    global _translation
    _translation = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=languages, fallback=True
    )


def _(message: str) -> str:
    """Translate ``message``."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with a plural form chosen by ``n``."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (translated where shown)."""
    return message
