"""Sync states and the hub's reasons, in words for people (the CLI and the GUI say the same)."""

from __future__ import annotations

from firstcontact import dates
from firstcontact.i18n import N_, _

STATES = ("local-only", "pending", "synced", "attention")

_REASONS = {
    "revision-exists": N_("the hub already holds a different copy of this version"),
    "envelope-id-reused": N_("the hub already holds other data under this copy's id"),
    "not-owner": N_("the hub says this case belongs to another laptop"),
    "wrong-device": N_("the hub says this copy was sealed by another laptop"),
    "bad-signature": N_("the hub could not verify this laptop's signature on it"),
    "malformed": N_("the hub could not read this copy"),
    "too-large": N_("this version is larger than the hub accepts"),
}


def reason_words(code: str | None) -> str:
    """The hub's refusal of one case revision, in words."""
    if not code:
        return _("the hub refused it")
    words = _REASONS.get(code)
    return _(words) if words else _("the hub refused it ({code})").format(code=code)


def sync_words(state: str, at: str | None = None, reason: str | None = None) -> str:
    """In words: "local only", "pending", "synced at …", "needs attention: …"."""
    if state == "synced":
        return _("synced at {when}").format(when=dates.when(at)) if at else _("synced")
    if state == "pending":
        return _("pending")
    if state == "attention":
        return _("needs attention: {reason}").format(reason=reason_words(reason))
    if state == "pulled":
        return _("a copy for review (read-only)")
    if state == "handed-over":
        return _("handed over to another worker (read-only here)")
    return _("local only")


def short_words(state: str) -> str:
    """The state alone, for a column heading's sample or a count."""
    return {"local-only": _("local only"), "pending": _("pending"),
            "synced": _("synced"), "attention": _("needs attention"),
            "pulled": _("for review"), "handed-over": _("handed over")}.get(state, state)
