"""The case list's reminders in words: an NRM decision awaited, a review date due or past.

The summary keeps the facts (written with every save); whether a review is overdue is decided
here, against today, so a list read tomorrow says so without any case being saved again.
"""

from __future__ import annotations

import datetime as dt

from firstcontact import dates
from firstcontact.app.views import CaseListRow
from firstcontact.i18n import _


def follow_up_overdue(row: CaseListRow, today: dt.date | None = None) -> bool:
    due = row.follow_up_due
    return bool(due) and str(due) < (today or dt.date.today()).isoformat()


def reminder_words(row: CaseListRow, today: dt.date | None = None) -> list[str]:
    """What the list says of the case's reminders, most pressing first ([] for none; a closed
    case has none)."""
    day = (today or dt.date.today()).isoformat()
    out: list[str] = []
    if row.decision_due:
        out.append(_("Decision due"))
    due = row.follow_up_due
    if due:
        if due < day:
            out.append(_("Follow-up overdue (due {date})").format(date=dates.day(due)))
        elif due == day:
            out.append(_("Follow-up due today"))
        else:
            out.append(_("Next review {date}").format(date=dates.day(due)))
    return out
