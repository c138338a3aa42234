"""Words for the states the application layer reports (translated where shown)."""

from __future__ import annotations

from firstcontact import dates
from firstcontact.i18n import N_, _

_COMPLETENESS = {"complete": N_("complete"), "incomplete": N_("incomplete"),
                 "refused": N_("ruled out")}
_STEP_STATUS = {"done": N_("done"), "partial": N_("started"), "empty": N_("not started"),
                "skipped": N_("not possible now")}
_STEP_MARK = {"done": "✓", "partial": "…", "empty": "○", "skipped": "–"}
_CASE_STATUS = {"open": N_("open"), "closed": N_("closed")}
_CONSENT = {"given": N_("given"), "declined": N_("declined"), "withdrawn": N_("withdrawn"),
            "not-sought": N_("could not be asked")}


def completeness(state: str) -> str:
    return _(_COMPLETENESS.get(state, state))


def step_status(state: str) -> str:
    return _(_STEP_STATUS.get(state, state))


def step_mark(state: str) -> str:
    return _STEP_MARK.get(state, "")


def case_status(state: str) -> str:
    return _(_CASE_STATUS.get(state, state))


def consent_state(state: str) -> str:
    return _(_CONSENT.get(state, state))


def local_time(iso: str, *, date_only: bool = False) -> str:
    """A stored UTC timestamp ("…Z") as the worker's local date and time, in the locale's
    format."""
    return dates.day(iso) if date_only else dates.when(iso)
