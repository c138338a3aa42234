"""Is a referral pack complete, and may it be made at all? The rules of brief §3, from data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from firstcontact.domain.case import CaseState
from firstcontact.domain.conditions import Facts, evaluate, fields_read, is_present
from firstcontact.domain.interview import Interview
from firstcontact.domain.nrm_route import route, surely_required, undecided_at
from firstcontact.domain.values import InvalidAnswer, is_email, is_phone, validate
from firstcontact.i18n import N_, _
from firstcontact.referral.model import Destination, Destinations
from firstcontact.referral.services import Service

TYPES_OF_EXPLOITATION_PAGE = "/types-of-exploitation"
NATION_FIELD = "fr-location"
NOT_SOUGHT_WORDS = {
    "left": N_("the person left before they could be asked"),
    "lacks-capacity": N_("the person was not able to decide at the time"),
    "unsafe-to-ask": N_("it was not safe to ask"),
}


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
    notices: tuple[str, ...]  # everything the worker is told
    # required text the pack fills with "Not discussed: …" (a step marked not possible now)
    not_discussed: tuple[tuple[str, str], ...] = ()  # (field label, what the pack says)
    printed: tuple[str, ...] = ()  # the notices the pack itself states, for its reader

    @property
    def complete(self) -> bool:
        return not self.refusals and not self.missing


def pack_facts(interview: Interview, state: CaseState, inputs: PackInputs) -> Facts:
    """The interview's facts plus the case reference and the worker profile."""
    facts = interview.facts(state)
    answers = dict(facts.answers)
    answers["reference"] = inputs.reference
    answers.update({k: v for k, v in inputs.profile.items() if v})
    return Facts(answers=answers, consents=facts.consents, derived=facts.derived,
                 sharing=facts.sharing, exports=facts.exports, on=facts.on)


def withheld(destination: Destination, facts: Facts) -> frozenset[str]:
    w = destination.withhold
    if w is None or evaluate(w.unless, facts):
        return frozenset()
    return frozenset(w.fields)


def field_label(interview: Interview, destinations: Destinations, field_id: str, *,
                document: bool = False) -> str:
    """The field's label as the worker reads it, or (``document``) as a pack names it."""
    f = interview.checklist.field(field_id)
    if f is not None:
        return f.document_label if document else f.label
    return destinations.labels.get(field_id, field_id)


def _settled(interview: Interview) -> frozenset[str]:
    """Form fields the interview derives (from the consent record) rather than asks."""
    return frozenset(d.id for d in interview.checklist.derived_fields)


def _consent_step(interview: Interview, destination: str) -> str | None:
    return next((s.id for s in interview.checklist.steps if s.consent == destination), None)


def _route_deciding(interview: Interview) -> frozenset[str]:
    """Fields that steer the NRM form's pages or the interview's branches: never "not
    discussed" in a pack, because the pack's shape depends on their answer."""
    checklist = interview.checklist
    derived = {**checklist.nrm.derived, **checklist.derived}
    read: set[str] = set()
    for page in checklist.nrm.pages:
        for fork in page.forks:
            read |= fields_read(fork.when, derived)
    for cond in derived.values():
        read |= fields_read(cond, derived)
    return frozenset(read)


def not_discussed(interview: Interview, state: CaseState) -> dict[str, str]:
    """Field id -> "Not discussed: <reason>" for every field on a sensitive step marked "not
    possible now" that has no answer (route-deciding fields aside): a pack states it instead of
    pressing the person to disclose (PC18). The worker's own note on the skip is never used."""
    out: dict[str, str] = {}
    deciding = _route_deciding(interview)
    for step_id, skip in state.skips.items():
        step = interview.checklist.step(step_id)
        if step is None or not step.sensitive:
            continue
        reason = interview.checklist.skip_reason(skip.reason)
        words = _(reason.pack_text) if reason is not None else _("not discussed at this contact")
        for f in step.fields:
            if f.id not in deciding and not is_present(state.answers.get(f.id)):
                out[f.id] = _("Not discussed: {reason}").format(reason=words)
    return out


def required_for(destination: Destination, interview: Interview, state: CaseState,
                 facts: Facts) -> tuple[str, ...]:
    """Field ids the destination requires for this case, in pack order."""
    hidden = withheld(destination, facts)
    if destination.form_route:
        ids = [f for f, _page in surely_required(interview.checklist.nrm, facts,
                                                 _settled(interview))]
    else:
        # a field of the interview when it is asked on this case; the profile's always
        ids = [fid for fid in destination.required
               if interview.checklist.step_of_field(fid) is None
               or interview.field_applies(fid, facts)]
    return tuple(f for f in ids if f not in hidden)


def _nation_refusal(destination: Destination, facts: Facts) -> str | None:
    nation = facts.answers.get(NATION_FIELD)
    if isinstance(nation, str) and nation and nation not in destination.nations:
        return _("This referral is not made from the nation recorded for this case.")
    return None


def _consent_problems(interview: Interview, destination: Destination, state: CaseState,
                      facts: Facts, refusals: list[str], missing: list[MissingItem],
                      notices: list[str]) -> None:
    need = destination.consent
    if need is None or (need.when is not None and not evaluate(need.when, facts)):
        return
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
    elif record.state == "not-sought" and not refusals:
        why = NOT_SOUGHT_WORDS.get(record.not_sought_reason)
        refusals.append(_("The person could not be asked ({why}); this referral needs their "
                          "informed consent.").format(why=_(why) if why else _("no reason")))
    elif record.state == "given":
        lacking = [name for name, value in ((_("who explained"), record.explained_by),
                                            (_("the language"), record.language),
                                            (_("what was explained"),
                                             record.explained or ",".join(
                                                 record.explained_points)))
                   if not value.strip()]
        if lacking:
            missing.append(MissingItem(key, label, _("the record lacks {what}").format(
                what=", ".join(lacking)), step, "consent"))
        if record.through_dependent_interpreter:
            notices.append(_("The consent was taken through an interpreter who is not "
                             "independent of the person; the pack says so, with the reason "
                             "recorded."))


# The worker's contact details every pack prints (the receiver writes or calls back on them).
_WORKER_CONTACT = {"fr-alternative-contact": (is_email, N_("not an email address")),
                   "fr-details-phone": (is_phone, N_("not a phone number"))}


def _unreachable_worker(interview: Interview, destinations: Destinations,
                        inputs: PackInputs) -> list[MissingItem]:
    """The worker's email or phone in the profile, where no one could reach them on it (a
    profile saved before it was checked): the pack waits until Settings corrects it."""
    out = []
    for fid, (reachable, words) in _WORKER_CONTACT.items():
        value = inputs.profile.get(fid, "")
        if value and not reachable(value):
            out.append(MissingItem(fid, field_label(interview, destinations, fid), _(words),
                                   None, "profile"))
    return out


def check_pack(interview: Interview, destinations: Destinations, destination: Destination,
               state: CaseState, inputs: PackInputs) -> PackCheck:
    facts = pack_facts(interview, state, inputs)
    refusals = [r.text for r in destination.rules if r.effect == "refuse"
                and evaluate(r.when, facts)]
    nation = _nation_refusal(destination, facts)
    if nation is not None:
        refusals.append(nation)
    notices = [r.text for r in destination.rules if r.effect == "notice"
               and evaluate(r.when, facts)]
    printed = [r.text for r in destination.rules if r.effect == "notice"
               and not r.worker_only and evaluate(r.when, facts)]
    missing: list[MissingItem] = []
    missing += _unreachable_worker(interview, destinations, inputs)
    for r in destination.rules:
        if r.effect == "require" and evaluate(r.when, facts):
            step = r.step or (_consent_step(interview, r.step_consent) if r.step_consent else None)
            fix = "profile" if r.fix == "profile" else "consent" if r.step_consent else "step"
            missing.append(MissingItem(f"rule:{len(missing)}", r.text, _("needed first"), step,
                                       fix))
    _consent_problems(interview, destination, state, facts, refusals, missing, notices)
    printed += [n for n in notices if n not in printed and n not in
                {r.text for r in destination.rules}]  # the code's own (interpreter) notices
    skipped: dict[str, str] = {}
    if not refusals and not destination.whole_record:
        skipped = not_discussed(interview, state)
        fields = _missing_fields(interview, destinations, destination, state, facts, skipped)
        need = destination.consent
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
    carried = set(carried_fields(interview, destination, facts)) if not refusals else set()
    used = tuple((field_label(interview, destinations, fid), text)
                 for fid, text in skipped.items() if fid in carried)
    return PackCheck(destination, tuple(refusals), tuple(missing), tuple(notices), used,
                     tuple(printed))


def _missing_fields(interview: Interview, destinations: Destinations, destination: Destination,
                    state: CaseState, facts: Facts,
                    skipped: Mapping[str, str]) -> list[MissingItem]:
    checklist = interview.checklist
    out: list[MissingItem] = []
    required = required_for(destination, interview, state, facts)
    for fid in required:
        value = facts.answers.get(fid)
        label = field_label(interview, destinations, fid)
        step = checklist.step_of_field(fid)
        fix = "step" if step is not None else "profile"
        step_id = step.id if step is not None else None
        f = checklist.field(fid)
        if fid in skipped and not is_present(value):
            continue  # the pack says "Not discussed: …" (the worker is shown this)
        if not is_present(value) or (f is not None and f.type == "checkbox" and value is not True):
            out.append(MissingItem(fid, label, _("missing"), step_id, fix))
    # every value the pack carries must pass its field's rules: the form's length limits
    # included, so a "complete" pack can be pasted into the portal
    for fid in carried_fields(interview, destination, facts):
        f = checklist.field(fid)
        value = facts.answers.get(fid)
        if f is None or not is_present(value):
            continue
        try:
            validate(f, value, checklist.list_values)
        except InvalidAnswer as exc:
            step = checklist.step_of_field(fid)
            out.append(MissingItem(fid, field_label(interview, destinations, fid), exc.message,
                                   step.id if step else None, "step"))
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


def carried_fields(interview: Interview, destination: Destination,
                   facts: Facts) -> tuple[str, ...]:
    """Every field the pack would show on this case, in order (the annex where it applies),
    withheld and forbidden fields left out."""
    hidden = withheld(destination, facts)
    nrm = interview.checklist.nrm
    ids: list[str] = []
    if destination.form_route:
        on_route = {p.path: p for p in route(nrm, facts)}
        for section in destination.sections:
            for path in section.pages:
                page = on_route.get(path)
                if page is not None and page.reachable:
                    ids += [f for f in page.fields if not nrm.fields[f].unused]
    else:
        ids += [f for s in destination.sections for f in s.fields]
    if destination.annex is not None and evaluate(destination.annex.when, facts):
        ids += destination.annex.fields
    seen: set[str] = set()
    out = []
    for fid in ids:
        if fid not in seen and fid not in hidden and not destination.forbids(fid):
            seen.add(fid)
            out.append(fid)
    return tuple(out)
