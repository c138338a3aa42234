"""Dates and times for people: stored as UTC ISO text, shown in local time in the locale's own
format (babel). Used by the screens, the command line's human output and the packs."""

from __future__ import annotations

import datetime as dt

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, format_time

from firstcontact.i18n import DEFAULT_LOCALE, current_locale


def _locale(name: str | None) -> Locale:
    try:
        return Locale.parse(name or current_locale())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LOCALE)


def parse_timestamp(iso: str) -> dt.datetime | None:
    """A stored timestamp ("2026-11-27T05:59:50.994853Z") as an aware datetime, or None."""
    try:
        when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def when(iso: str, *, locale: str | None = None) -> str:
    """Date and time in local time, e.g. "27 Nov 2026, 05:59" (en_GB)."""
    stamp = parse_timestamp(iso)
    if stamp is None:
        return iso
    local = stamp.astimezone().replace(tzinfo=None)
    loc = _locale(locale)
    joined = str(loc.datetime_formats.get("medium", "{1} {0}"))  # the locale's own joining
    return joined.replace("{1}", format_date(local.date(), "medium", locale=loc)).replace(
        "{0}", format_time(local.time(), "short", locale=loc))


def day(iso: str, *, locale: str | None = None) -> str:
    """The local date alone, e.g. "27 November 2026" (en_GB); a plain ISO date as it is."""
    stamp = parse_timestamp(iso) if "T" in iso else None
    if stamp is not None:
        date = stamp.astimezone().date()
    else:
        try:
            date = dt.date.fromisoformat(iso[:10])
        except ValueError:
            return iso
    return format_date(date, format="long", locale=_locale(locale))


def today(*, locale: str | None = None) -> str:
    return format_date(dt.date.today(), format="long", locale=_locale(locale))
