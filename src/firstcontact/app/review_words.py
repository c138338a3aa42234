"""Reviews in words: what the supervisor wrote, signed off, asked to change, exported — as the
case view, `case show` and the case list's badge say it."""

from __future__ import annotations

import json
from typing import Any

from firstcontact.app.views import ReviewView
from firstcontact.i18n import _
from firstcontact.store import records


def review_words(kind: str, author: str, at: str, detail: dict[str, Any] | None = None) -> str:
    """A review in words, for the case view and `case show`."""
    from firstcontact import dates

    when = dates.when(at) if at else ""
    if kind == "signed-off":
        return _("signed off by {who} on {when}").format(who=author, when=when)
    if kind == "needs-changes":
        return _("needs changes (asked by {who} on {when})").format(who=author, when=when)
    if kind == "exported":
        dest = str((detail or {}).get("destination", ""))
        return _("exported by supervisor on {when} ({destination})").format(
            when=when, destination=dest)
    if kind == "handed-over":
        return _("handed over to {who} on {when}").format(
            who=str((detail or {}).get("to_worker", "")), when=when)
    if kind == "resolved":
        return _("two versions compared by {who} on {when}: one stands").format(
            who=author, when=when)
    return _("review note from {who} on {when}").format(who=author, when=when)


def state_words(state: str | None) -> str:
    """The case list's review badge in words ("" for none)."""
    return {
        "for-review": _("for review"),
        "conflict": _("two versions: decide which stands"),
        "note": _("review note"),
        "signed-off": _("signed off"),
        "needs-changes": _("needs changes"),
    }.get(state or "", "")


def review_view(row: records.ReviewRow) -> ReviewView:
    detail = json.loads(row.detail_json) if row.detail_json else None
    return ReviewView(row.kind, row.note, row.revision, row.author, row.at,
                      review_words(row.kind, row.author, row.at, detail), detail)
