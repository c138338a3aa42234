"""Is a referral pack complete, and may it be made at all? The rules of brief §3, from data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from firstcontact.domain.case import CaseState
from firstcontact.domain.conditions import Facts, evaluate, is_present
from firstcontact.domain.interview import Interview
from firstcontact.domain.nrm_route import route, surely_required, undecided_at
from firstcontact.domain.values import InvalidAnswer, validate
from firstcontact.i18n import _
from firstcontact.referral.model import Destination, Destinations
from firstcontact.referral.services import Service

TYPES_OF_EXPLOITATION_PAGE = "/types-of-exploitation"


@dataclass(frozen=True)
class PackInputs:
    """What a pack takes from outside the interview."""

    reference: str
    profile: Mapping[str, str] = field(default_factory=dict)  # NRM field id -> value
    service: Service | None = None


@dataclass(frozen=True)
class MissingItem:
    key: str  # a field id, "consent:<destination>", "service" or a group name
    label: str
    problem: str
    step: str | None  # the interview step that fixes it
    fix: str  # "step" | "profile" | "consent" | "service"


@dataclass(frozen=True)
class PackCheck:
    destination: Destination
    refusals: tuple[str, ...]
    missing: tuple[MissingItem, ...]
    notices: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.refusals and not self.missing


def pack_facts(interview: Interview, state: CaseState, inputs: PackInputs) -> Facts:
    """The interview's facts plus the case reference and the worker profile."""
    facts = interview.facts(state)
    answers = dict(facts.answers)
    answers["reference"] = inputs.reference
    answers.update({k: v for k, v in inputs.profile.items() if v})
    return Facts(answers=answers, consents=facts.consents, derived=facts.derived)


def withheld(destination: Destination, facts: Facts) -> frozenset[str]:
    w = destination.withhold
    if w is None or evaluate(w.unless, facts):
        return frozenset()
    return frozenset(w.fields)


def field_label(interview: Interview, destinations: Destinations, field_id: str) -> str:
    f = interview.checklist.field(field_id)
    if f is not None:
        return f.label
    return destinations.labels.get(field_id, field_id)


def _settled(interview: Interview) -> frozenset[str]:
    """Form fields the interview derives (from the consent record) rather than asks."""
    return frozenset(d.id for d in interview.checklist.derived_fields)


def _consent_step(interview: Interview, destination: str) -> str | None:
    return next((s.id for s in interview.checklist.steps if s.consent == destination), None)


def required_for(destination: Destination, interview: Interview, state: CaseState,
                 facts: Facts) -> tuple[str, ...]:
    """Field ids the destination requires for this case, in pack order."""
    hidden = withheld(destination, facts)
    if destination.form_route:
        ids = [f for f, _page in surely_required(interview.checklist.nrm, facts,
                                                 _settled(interview))]
    else:
        ids = []
        for fid in destination.required:
            step = interview.checklist.step_of_field(fid)
            f = interview.checklist.field(fid)
            if step is not None and f is not None:
                if not interview.applies(step, facts):
                    continue
                if f.when is not None and not evaluate(f.when, facts):
                    continue
            ids.append(fid)
    return tuple(f for f in ids if f not in hidden)


def check_pack(interview: Interview, destinations: Destinations, destination: Destination,
               state: CaseState, inputs: PackInputs) -> PackCheck:
    facts = pack_facts(interview, state, inputs)
    refusals = [r.text for r in destination.rules if r.effect == "refuse"
                and evaluate(r.when, facts)]
    notices = [r.text for r in destination.rules if r.effect == "notice"
               and evaluate(r.when, facts)]
    missing: list[MissingItem] = []
    for r in destination.rules:
        if r.effect == "require" and evaluate(r.when, facts):
            step = r.step or (_consent_step(interview, r.step_consent) if r.step_consent else None)
            missing.append(MissingItem(f"rule:{len(missing)}", r.text, _("needed first"), step,
                                       "consent" if r.step_consent else "step"))
    need = destination.consent
    if need is not None and (need.when is None or evaluate(need.when, facts)):
        record = state.consents.get(need.destination)
        step = _consent_step(interview, need.destination)
        key = f"consent:{need.destination}"
        label = _("Informed consent for this referral")
        if record is None:
            missing.append(MissingItem(key, label, _("not recorded"), step, "consent"))
        elif record.state == "declined" and not refusals:
            refusals.append(_("The person declined consent to this referral; their decision "
                              "is respected and the pack cannot be made."))
        elif record.state == "withdrawn" and not refusals:
            refusals.append(_("The person withdrew their consent to this referral: no further "
                              "exports."))
        elif record.state == "given":
            lacking = [name for name, value in ((_("who explained"), record.explained_by),
                                                (_("the language"), record.language),
                                                (_("what was explained"), record.explained))
                       if not value.strip()]
            if lacking:
                missing.append(MissingItem(key, label, _("the record lacks {what}").format(
                    what=", ".join(lacking)), step, "consent"))
    if not refusals:
        fields = _missing_fields(interview, destinations, destination, state, facts)
        if need is not None and any(m.key == f"consent:{need.destination}" for m in missing):
            derived = _settled(interview)  # a field derived from that consent: the same item
            fields = [m for m in fields if m.key not in derived]
        missing += fields
        if destination.form_route and undecided_at(interview.checklist.nrm, facts,
                                                   _settled(interview)):
            notices.append(_("More items will be listed as the answers show which parts of "
                             "the form apply."))
    if destination.service_kind is not None:
        if inputs.service is None:
            missing.append(MissingItem(
                "service", _("Receiving service"),
                _("choose the service that will receive it when you export"), None, "service"))
        elif inputs.service.kind != destination.service_kind:
            missing.append(MissingItem("service", _("Receiving service"),
                                       _("this service is not of the kind '{kind}'").format(
                                           kind=destination.service_kind), None, "service"))
    return PackCheck(destination, tuple(refusals), tuple(missing), tuple(notices))


def _missing_fields(interview: Interview, destinations: Destinations, destination: Destination,
                    state: CaseState, facts: Facts) -> list[MissingItem]:
    checklist = interview.checklist
    out: list[MissingItem] = []
    for fid in required_for(destination, interview, state, facts):
        value = facts.answers.get(fid)
        label = field_label(interview, destinations, fid)
        step = checklist.step_of_field(fid)
        fix = "step" if step is not None else "profile"
        step_id = step.id if step is not None else None
        f = checklist.field(fid)
        if not is_present(value) or (f is not None and f.type == "checkbox" and value is not True):
            out.append(MissingItem(fid, label, _("missing"), step_id, fix))
            continue
        if f is not None:
            try:
                validate(f, value, checklist.list_values)
            except InvalidAnswer as exc:
                out.append(MissingItem(fid, label, exc.message, step_id, fix))
    if destination.form_route and any(p.path == TYPES_OF_EXPLOITATION_PAGE
                                      for p in route(checklist.nrm, facts)):
        page = checklist.nrm.page(TYPES_OF_EXPLOITATION_PAGE)
        boxes = [f for f in page.fields if checklist.nrm.fields[f].type == "checkbox"] \
            if page else []
        if boxes and not any(facts.answers.get(b) is True for b in boxes):
            step = checklist.step_of_field(boxes[0])
            out.append(MissingItem("types-of-exploitation", _("Types of exploitation"),
                                   _("tick at least one"), step.id if step else None, "step"))
    return out
