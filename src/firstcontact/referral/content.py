"""What goes into a referral pack: cover, sections in destination order, consent, coverage.

Pure: takes the interview, the case state and the pack inputs; returns a :class:`PackDocument`
for the renderer. Withheld fields (Duty to Notify without cooperation) never enter it.
"""

from __future__ import annotations

from collections.abc import Sequence

from firstcontact.domain.case import CaseState, ConsentRecord
from firstcontact.domain.conditions import Facts, is_present
from firstcontact.domain.interview import Interview
from firstcontact.domain.nrm_route import route
from firstcontact.i18n import N_, _
from firstcontact.referral.check import PackInputs, field_label, pack_facts, withheld
from firstcontact.referral.document import CoverageRow, PackDocument, PackRow, PackSection
from firstcontact.referral.model import Destination, Destinations

COVERAGE_LABELS = {
    "evidenced": N_("Evidenced"),
    "open": N_("Open"),
    "not-applicable": N_("Not applicable"),
    "not-possible-now": N_("Not possible now"),
}
CONSENT_LABELS = {"given": N_("Given"), "declined": N_("Declined"), "withdrawn": N_("Withdrawn")}


def display_value(interview: Interview, field_id: str, value: object) -> str:
    """An answer as a person reads it: option labels, Yes/No, lists joined."""
    f = interview.checklist.field(field_id)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(f.option_label(v) if f else v for v in value)
    if f is not None and f.type == "choice" and isinstance(value, str):
        return f.option_label(value)
    if f is None and value in ("yes", "no"):
        return _("Yes") if value == "yes" else _("No")
    return str(value)


def nation_label(interview: Interview, facts: Facts) -> str:
    nation = facts.answers.get("fr-location")
    return display_value(interview, "fr-location", nation) if is_present(nation) else _("—")


def _rows(interview: Interview, destinations: Destinations, facts: Facts,
          field_ids: Sequence[str], hidden: frozenset[str]) -> tuple[PackRow, ...]:
    rows = []
    for fid in field_ids:
        value = facts.answers.get(fid)
        if fid in hidden or not is_present(value):
            continue
        rows.append(PackRow(field_label(interview, destinations, fid),
                            display_value(interview, fid, value)))
    return tuple(rows)


def sections(interview: Interview, destinations: Destinations, destination: Destination,
             facts: Facts) -> tuple[PackSection, ...]:
    hidden = withheld(destination, facts)
    nrm = interview.checklist.nrm
    on_route = {p.path: p for p in route(nrm, facts)} if destination.form_route else {}
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
        rows = _rows(interview, destinations, facts, ids, hidden)
        if rows:
            out.append(PackSection(_(section.title), rows))
    return tuple(out)


def consent_section(destination: Destination, state: CaseState, facts: Facts,
                    interview: Interview) -> PackSection | None:
    need = destination.consent
    if need is None:
        return None
    record: ConsentRecord | None = state.consents.get(need.destination)
    if record is None:
        note = _("No consent is needed: this is a child referral.") \
            if interview.holds("child", state) else _("No consent recorded.")
        return PackSection(_("Consent"), (), note)
    rows = (
        PackRow(_("Consent"), _(CONSENT_LABELS[record.state])),
        PackRow(_("Explained by"), record.explained_by),
        PackRow(_("Recorded at"), record.recorded_at),
        PackRow(_("Language"), record.language),
        PackRow(_("Interpreter"), record.interpreter or _("None")),
        PackRow(_("What was explained"), record.explained),
    )
    return PackSection(_("Consent"), rows)


def coverage_rows(interview: Interview, state: CaseState) -> tuple[CoverageRow, ...]:
    return tuple(
        CoverageRow(c.criterion.id, c.criterion.text, _(COVERAGE_LABELS[c.status]),
                    "; ".join(r for r in c.reasons if r))
        for c in interview.coverage(state))


def build_document(interview: Interview, destinations: Destinations, destination: Destination,
                   state: CaseState, inputs: PackInputs, *, date: str, notices: Sequence[str],
                   worker: str, organisation: str) -> PackDocument:
    facts = pack_facts(interview, state, inputs)
    cover = [
        PackRow(_("Destination"), _(destination.title)),
        PackRow(_("Reference"), inputs.reference),
        PackRow(_("Nation"), nation_label(interview, facts)),
        PackRow(_("Date"), date),
        PackRow(_("First responder"), worker or _("—")),
        PackRow(_("Organisation"), organisation or _("—")),
    ]
    if inputs.service is not None:
        s = inputs.service
        contact = " · ".join(x for x in (s.phone, s.email) if x)
        cover.append(PackRow(_("Receiving service"), f"{s.name}\n{contact}".strip()))
    return PackDocument(
        title=_(destination.title), cover=tuple(cover), notices=tuple(notices),
        sections=sections(interview, destinations, destination, facts),
        consent=consent_section(destination, state, facts, interview),
        coverage=coverage_rows(interview, state))
