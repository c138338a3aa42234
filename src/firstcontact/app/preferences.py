"""Worker preferences kept inside the encrypted store (never in a plain config file): their
shape and rules (app.settings reads and writes them).

The idle time after which the app locks itself (brief §4: default 5 min), and the language of
the worker's screens ("" follows the system's).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from firstcontact.app.errors import Invalid
from firstcontact.i18n import DOMAIN, _, languages

SETTING_KEY = "preferences"
DEFAULT_IDLE_LOCK_SECONDS = 300.0
MAX_IDLE_LOCK_SECONDS = 24 * 3600.0


@dataclass(frozen=True)
class Preferences:
    idle_lock_seconds: float = DEFAULT_IDLE_LOCK_SECONDS
    language: str = ""  # a gettext code with a catalog ("cy"), or "" for the system's

    def as_json(self) -> dict[str, float | str]:
        return asdict(self)


def preferences_from_json(data: object) -> Preferences:
    if not isinstance(data, dict):
        return Preferences()
    idle = data.get("idle_lock_seconds")
    if isinstance(idle, bool) or not isinstance(idle, int | float) or not _idle_ok(float(idle)):
        idle = DEFAULT_IDLE_LOCK_SECONDS
    language = data.get("language", "")
    if not isinstance(language, str) or (language and language not in languages(DOMAIN)):
        language = ""  # a language whose catalog is gone: the system's
    return Preferences(idle_lock_seconds=float(idle), language=language)


def _idle_ok(seconds: float) -> bool:
    return math.isfinite(seconds) and 0 < seconds <= MAX_IDLE_LOCK_SECONDS


def updated_preferences(current: Preferences, *, idle_lock_seconds: float | None = None,
                        language: str | None = None) -> Preferences:
    """``current`` with the changes given (None: unchanged), validated."""
    new = current
    if language is not None:
        if language and language not in languages(DOMAIN):
            raise Invalid(_("no translation into '{code}'; languages: {codes}").format(
                code=language, codes=", ".join(languages(DOMAIN))))
        new = replace(new, language=language)
    if idle_lock_seconds is not None:
        if not _idle_ok(float(idle_lock_seconds)):
            raise Invalid(_("the idle time must be more than 0 and at most 24 hours"))
        new = replace(new, idle_lock_seconds=float(idle_lock_seconds))
    return new
