"""What goes into a referral pack: cover, sections in destination order, the caseworker's
annex, consent; and the internal case record.

Pure: takes the interview, the case state and the pack inputs; returns a :class:`PackDocument`
for the renderer. An external pack carries its sections, its annex where the annex's condition
holds, and its consent record; nothing else of ours (worker notes, criteria notes, skip notes,
the BE2 coverage). Withheld fields (an anonymous Duty to Notify) and fields the destination must
never carry never enter it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from firstcontact import dates
from firstcontact.domain.case import CaseState, ConsentRecord
from firstcontact.domain.conditions import Facts, evaluate, is_present
from firstcontact.domain.interview import Interview
from firstcontact.domain.nrm_route import route
from firstcontact.i18n import N_, _
from firstcontact.referral.check import (
    NOT_SOUGHT_WORDS,
    PackInputs,
    field_label,
    not_discussed,
    pack_facts,
    withheld,
)
from firstcontact.referral.document import CoverageRow, PackDocument, PackRow, PackSection
from firstcontact.referral.model import Destination, Destinations

COVERAGE_LABELS = {
    "evidenced": N_("Evidenced"),
    "open": N_("Open"),
    "not-applicable": N_("Not applicable"),
    "not-possible-now": N_("Not possible now"),
}
CONSENT_LABELS = {"given": N_("Given"), "declined": N_("Declined"),
                  "withdrawn": N_("Withdrawn"), "not-sought": N_("Could not be asked")}


@dataclass(frozen=True)
class Author:
    """The first responder as every pack names them (from the worker profile)."""

    name: str = ""
    organisation: str = ""
    phone: str = ""
    email: str = ""


def display_value(interview: Interview, field_id: str, value: object) -> str:
    """An answer as a person reads it: option labels, Yes/No, lists joined."""
    f = interview.checklist.field(field_id)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_(f.option_label(v)) if f else v for v in value)
    if f is not None and f.type == "choice" and isinstance(value, str):
        return _(f.option_label(value))
    if f is not None and f.type == "date" and isinstance(value, str):
        return dates.day(value)
    if f is None and value in ("yes", "no"):
        return _("Yes") if value == "yes" else _("No")
    return str(value)


def nation_label(interview: Interview, facts: Facts) -> str:
    nation = facts.answers.get("fr-location")
    return display_value(interview, "fr-location", nation) if is_present(nation) else _("—")


def _rows(interview: Interview, destinations: Destinations, destination: Destination,
          state: CaseState, facts: Facts, field_ids: Sequence[str],
          skipped: dict[str, str], *, unrecorded: bool = False) -> tuple[PackRow, ...]:
    """The rows for ``field_ids`` that the record holds; with ``unrecorded``, a field that
    applies to the case but was not answered says "not recorded" (the annex promises them)."""
    hidden = withheld(destination, facts)
    rows = []
    for fid in field_ids:
        if fid in hidden or destination.forbids(fid):
            continue
        value = facts.answers.get(fid)
        label = _(field_label(interview, destinations, fid, document=True))
        if is_present(value):
            shown = interview.derived_display(fid, state)
            rows.append(PackRow(label, _(shown) if shown else
                                display_value(interview, fid, value)))
        elif fid in skipped:
            rows.append(PackRow(label, skipped[fid]))
        elif unrecorded and interview.field_applies(fid, facts):
            rows.append(PackRow(label, _("not recorded")))
    return tuple(rows)


def sections(interview: Interview, destinations: Destinations, destination: Destination,
             state: CaseState, facts: Facts) -> tuple[PackSection, ...]:
    nrm = interview.checklist.nrm
    on_route = {p.path: p for p in route(nrm, facts)} if destination.form_route else {}
    skipped = not_discussed(interview, state)
    out = []
    for section in destination.sections:
        if destination.form_route:
            ids: list[str] = []
            for path in section.pages:
                page = on_route.get(path)
                if page is None or not page.reachable:
                    continue
                ids += [f for f in page.fields if f not in ids and not nrm.fields[f].unused]
        else:
            ids = list(section.fields)
        rows = _rows(interview, destinations, destination, state, facts, ids, skipped)
        if rows:
            out.append(PackSection(_(section.title), rows))
    return tuple(out)


def annex_section(interview: Interview, destinations: Destinations, destination: Destination,
                  state: CaseState, facts: Facts) -> PackSection | None:
    """The caseworker's annex, where the destination has one and its condition holds."""
    annex = destination.annex
    if annex is None or not evaluate(annex.when, facts):
        return None
    rows = _rows(interview, destinations, destination, state, facts, annex.fields,
                 not_discussed(interview, state), unrecorded=True)
    return PackSection(_(annex.title), rows, _(annex.note) if annex.note else None)


def _yes_no(value: bool | None) -> str:
    return _("not recorded") if value is None else _("yes") if value else _("no")


def interpreter_words(record: ConsentRecord) -> str:
    if not record.interpreter:
        return _("None")
    return _("{name} (professionally accredited: {accredited}; independent of the person: "
             "{independent})").format(name=record.interpreter,
                                      accredited=_yes_no(record.interpreter_accredited),
                                      independent=_yes_no(record.interpreter_independent))


def explained_words(interview: Interview, record: ConsentRecord) -> str:
    """What was explained: the points covered (as the consent step names them), one a line,
    then the worker's own words."""
    step = next((s for s in interview.checklist.steps if s.consent == record.destination), None)
    labels = {p.id: p.label for p in (step.points if step else ())}
    lines = ["• " + _(labels.get(p, p)) for p in record.explained_points]
    return "\n".join([*lines, record.explained] if record.explained else lines)


def consent_rows(interview: Interview, record: ConsentRecord) -> tuple[PackRow, ...]:
    """One consent decision as a pack shows it."""
    rows = [PackRow(_("Decision"), _(CONSENT_LABELS[record.state]))]
    if record.state == "not-sought":
        why = NOT_SOUGHT_WORDS.get(record.not_sought_reason)
        rows.append(PackRow(_("Why"), _(why) if why else _("not recorded")))
    rows += [
        PackRow(_("Recorded by") if record.state in ("withdrawn", "not-sought")
                else _("Explained by"), record.explained_by),
        PackRow(_("Recorded at"), dates.when(record.recorded_at)),
    ]
    if record.language:
        rows.append(PackRow(_("Language"), record.language))
    rows.append(PackRow(_("Interpreter"), interpreter_words(record)))
    if record.through_dependent_interpreter:
        rows.append(PackRow(_("Why this interpreter was used"),
                            record.interpreter_reason or _("not recorded")))
    if record.explained or record.explained_points:
        rows.append(PackRow(_("What was explained"), explained_words(interview, record)))
    if record.state == "given":
        rows.append(PackRow(_("Sharing the person's account with the receiving caseworker "
                              "was explained and agreed"), _yes_no(record.shares_account)))
    return tuple(rows)


def consent_section(interview: Interview, destination: Destination,
                    state: CaseState, facts: Facts) -> PackSection | None:
    need = destination.consent
    if need is None:
        return None
    if need.when is not None and not evaluate(need.when, facts):
        # a child's referral: made without consent, and the pack says exactly that
        return PackSection(_("Consent"), (PackRow(_("Consent"), _("Not required (child "
                                                                  "referral)")),))
    record = state.consents.get(need.destination)
    if record is None:
        return PackSection(_("Consent"), (), _("No consent recorded."))
    note = None
    if record.through_dependent_interpreter:
        note = _("This consent was taken through an interpreter who is not independent of "
                 "the person (a companion, relative, friend or member of their community). "
                 "Weigh it accordingly; the reason recorded is below.")
    return PackSection(_("Consent"), consent_rows(interview, record), note)


def cover_rows(interview: Interview, destination: Destination, facts: Facts,
               inputs: PackInputs, author: Author) -> tuple[PackRow, ...]:
    cover = [
        PackRow(_("Destination"), _(destination.title)),
        PackRow(_("Reference"), inputs.reference),
        PackRow(_("Nation"), nation_label(interview, facts)),
        PackRow(_("Date"), dates.today()),
    ]
    if destination.addressee is not None:
        a = destination.addressee
        name = next((f for f in a.names if is_present(facts.answers.get(f))), None)
        parts = [display_value(interview, f, facts.answers[f])
                 for f in (name, a.phone, a.email) if f and is_present(facts.answers.get(f))]
        cover.append(PackRow(_("To"), "\n".join(parts) or _("—")))
    if inputs.service is not None:
        s = inputs.service
        contact = " · ".join(x for x in (s.phone, s.email) if x)
        cover.append(PackRow(_("Receiving service"), f"{s.name}\n{contact}".strip()))
    cover += [
        PackRow(_("First responder"), author.name or _("—")),
        PackRow(_("Organisation"), author.organisation or _("—")),
        PackRow(_("First responder's phone"), author.phone or _("—")),
        PackRow(_("First responder's email"), author.email or _("—")),
    ]
    return tuple(cover)


def build_document(interview: Interview, destinations: Destinations, destination: Destination,
                   state: CaseState, inputs: PackInputs, *, notices: Sequence[str],
                   author: Author) -> PackDocument:
    facts = pack_facts(interview, state, inputs)
    return PackDocument(
        title=_(destination.title),
        cover=cover_rows(interview, destination, facts, inputs, author),
        notices=tuple(notices),
        sections=sections(interview, destinations, destination, state, facts),
        consent=consent_section(interview, destination, state, facts),
        coverage=(),
        annex=annex_section(interview, destinations, destination, state, facts))


def coverage_rows(interview: Interview, state: CaseState) -> tuple[CoverageRow, ...]:
    return tuple(
        CoverageRow(c.criterion.id, c.criterion.text, _(COVERAGE_LABELS[c.status]),
                    "; ".join(_(m) for m in c.missing) if c.status == "open" else
                    "; ".join(r for r in c.reasons if r))
        for c in interview.coverage(state))


@dataclass(frozen=True)
class RecordExtras:
    """What the case record holds beyond the interview state."""

    consent_history: tuple[ConsentRecord, ...] = ()
    notes: tuple[tuple[str, str, str], ...] = ()  # (created at, kind, text)
    exports: tuple[tuple[str, str, str], ...] = ()  # (destination, exported at, sha256)


def build_case_record(interview: Interview, destinations: Destinations,
                      destination: Destination, state: CaseState, inputs: PackInputs,
                      extras: RecordExtras, *, author: Author) -> PackDocument:
    """The internal case record: everything, for the organisation's file and the supervisor."""
    facts = pack_facts(interview, state, inputs)
    out: list[PackSection] = []
    applicable = {s.id for s in interview.applicable_steps(state)}
    for stage in interview.checklist.stages:
        rows: list[PackRow] = []
        for step in (s for s in interview.checklist.steps if s.stage == stage.id):
            answered = [f for f in step.fields if is_present(state.answers.get(f.id))]
            if step.id in state.skips:
                rows.append(PackRow(_(step.title), _("Not possible now — {why}").format(
                    why=interview.skip_words(state, step.id))))
            elif not answered and step.id not in applicable:
                continue
            rows += [PackRow(_(f.document_label),
                             display_value(interview, f.id, state.answers[f.id]))
                     for f in answered]
        if rows:
            out.append(PackSection(_(stage.title), tuple(rows)))
    warnings = interview.warnings(state)
    if warnings:
        out.insert(0, PackSection(_("Warnings on this case"), tuple(
            PackRow(_(step.title), _(w.text)) for step, w in warnings)))
    history = [row for record in extras.consent_history
               for row in (PackRow(_(_destination_title(destinations, record.destination)),
                                   "—"), *consent_rows(interview, record))]
    out.append(PackSection(_("Consent history"), tuple(history),
                           None if history else _("No decisions recorded.")))
    exports = tuple(PackRow(dates.when(at), _("{destination} (SHA-256 {sha})").format(
        destination=_(_destination_title(destinations, dest)), sha=sha))
        for dest, at, sha in extras.exports)
    out.append(PackSection(_("Packs exported"), exports,
                           None if exports else _("None yet.")))
    notes = tuple(PackRow(dates.when(at) + (" · " + _("follow-up") if kind == "follow-up"
                                            else ""), text) for at, kind, text in extras.notes)
    if notes:
        out.append(PackSection(_("Notes and follow-ups"), notes))
    marks = tuple(PackRow(pc, f"{_(m.status)}: {m.note}") for pc, m in state.marks.items())
    if marks:
        out.append(PackSection(_("Your notes on the criteria"), marks))
    return PackDocument(
        title=_(destination.title),
        cover=cover_rows(interview, destination, facts, inputs, author),
        notices=(_("Internal: for the organisation's file and the supervisor. Never send this "
                   "record outside the organisation; make a referral pack instead."),),
        sections=tuple(out), consent=None, coverage=coverage_rows(interview, state),
        marking=_("OFFICIAL-SENSITIVE — INTERNAL"))


def _destination_title(destinations: Destinations, destination_id: str) -> str:
    found = destinations.get(destination_id)
    return found.title if found is not None else destination_id
