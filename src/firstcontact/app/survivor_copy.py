"""The survivor copy (subject access): everything held about the person, in plain language."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from firstcontact import dates
from firstcontact.app.views import AuditView, CaseDetail
from firstcontact.i18n import N_, _, ngettext
from firstcontact.referral.document import PackDocument, PackRow, PackSection

EVENT_SENTENCES = {
    "created": N_("A worker started this record."),
    "opened": N_("A worker opened this record."),
    "answered": N_("A worker wrote or changed an answer."),
    "consent-changed": N_("Your decision about a referral was recorded."),
    "exported": N_("A referral pack was made from this record."),
    "export-refused": N_("A referral pack was asked for but not made (incomplete or not allowed)."),
    "survivor-copy": N_("A copy of this record was made for you."),
    "synced": N_("This record was sent to the organisation's server."),
    "sync-refused": N_("The organisation's server did not accept a version of this record; "
                       "a worker will look into it."),
    "delete-refused": N_("Deleting this record was put off until the organisation's server "
                         "had all of it."),
    "retention-kept": N_("This record was kept past its time limit until the organisation's "
                         "server had all of it."),
    "deleted": N_("Something in this record was deleted."),
    "note-added": N_("A worker added a note."),
    "status-changed": N_("The record was closed or reopened."),
}
CONSENT_WORDS = {
    "given": N_("You agreed"),
    "declined": N_("You said no"),
    "withdrawn": N_("You changed your mind and withdrew your agreement"),
    "not-sought": N_("We could not ask you"),
}


def build_survivor_copy(detail: CaseDetail, audit: Sequence[AuditView], *, date: str,
                        destination_titles: dict[str, str],
                        worker_only: frozenset[str] = frozenset()) -> PackDocument:
    """``worker_only``: ids of steps about the worker (their own safety arrangements, their
    reflection): not the person's data, and a risk to the worker if the copy is taken from
    the person, so left out."""
    intro = _("This is a copy of everything our organisation holds about you in this record, "
              "including notes not yet sent to our office. You have a right to see it, to ask "
              "us to correct it, and to ask who it has been shared with.")
    sections: list[PackSection] = []
    for stage in detail.stages:
        steps = [step for step in stage.steps if step.id not in worker_only]
        rows = tuple(PackRow(a.label, a.display) for step in steps for a in step.answers)
        skipped = [step.title for step in steps if step.skip_reason]
        note = _("Not talked about yet: {steps}").format(steps=", ".join(skipped)) \
            if skipped else None
        if rows or note:
            sections.append(PackSection(_(stage.title), rows, note))
    consent_rows = tuple(
        PackRow(_(destination_titles.get(c.destination, c.destination)),
                _("{decision} on {date}. Explained by {who} in {language}{interp}.").format(
                    decision=_(CONSENT_WORDS.get(c.state, c.state)),
                    date=dates.day(c.recorded_at),
                    who=c.explained_by, language=c.language,
                    interp=(_(", with interpreter {name}").format(name=c.interpreter)
                            if c.interpreter else "")))
        for c in detail.consent_history)
    consent = PackSection(_("Your decisions about referrals"), consent_rows,
                          None if consent_rows else _("No decisions recorded."))
    notes = tuple(PackRow(dates.day(n.created_at) + (" " + _("(follow-up)")
                                                     if n.kind == "follow-up" else ""), n.text)
                  for n in detail.notes)
    if notes:
        sections.append(PackSection(_("Notes"), notes))
    history = tuple(_history(audit))
    sections.append(PackSection(_("Who has opened or shared this record"), history,
                                None if history else _("No events recorded.")))
    cover = (PackRow(_("Record"), detail.reference), PackRow(_("Date of this copy"), date),
             PackRow(_("Status"), _("open") if detail.status == "open" else _("closed")))
    return PackDocument(title=_("Your record: a copy for you"), cover=cover, notices=(intro,),
                        sections=tuple(sections), consent=consent, coverage=(),
                        marking=_("PERSONAL"))


def _history(audit: Sequence[AuditView]) -> list[PackRow]:
    """One line per run of the same event ("A worker wrote or changed an answer", 40 times
    in a row, is one line with its count and span), oldest first."""
    rows: list[PackRow] = []
    for event, run in groupby(audit, key=lambda e: e.event):
        events = list(run)
        first, last = (dates.when(e.at) for e in (events[0], events[-1]))
        sentence = _(EVENT_SENTENCES.get(event, event))
        if len(events) > 1:
            sentence += " " + ngettext("({n} time)", "({n} times)", len(events)).format(
                n=len(events))
        rows.append(PackRow(first if first == last else f"{first} – {last}", sentence))
    return rows
