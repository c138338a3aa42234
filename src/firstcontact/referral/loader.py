"""Load and validate `referral/destinations.toml` against the schema and the interview."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from firstcontact.checklists.loader import (
    NRM_FROM_PROFILE,
    NRM_NOT_ASKED,
    PROFILE_PUBLIC_AUTHORITY,
    ChecklistError,
    check_condition,
    read_validated_toml,
)
from firstcontact.domain.model import DESTINATIONS, Checklist
from firstcontact.referral.model import (
    Addressee,
    Annex,
    ConsentNeed,
    Destination,
    Destinations,
    Rule,
    Section,
    Withhold,
)

PACKAGE_DIR = Path(str(resources.files("firstcontact.referral")))
ENV_FILE = "FIRSTCONTACT_DESTINATIONS"
FILE = "destinations.toml"


def load_destinations(checklist: Checklist, path: Path | None = None) -> Destinations:
    """The destinations (default: $FIRSTCONTACT_DESTINATIONS, else the package's own)."""
    if path is None:
        env = os.environ.get(ENV_FILE)
        if not env:
            return _load_default(checklist)
        path = Path(env)
    return _load(checklist, path)


_DEFAULT: list[tuple[Checklist, Destinations]] = []


def _load_default(checklist: Checklist) -> Destinations:
    for known, destinations in _DEFAULT:
        if known is checklist:
            return destinations
    destinations = _load(checklist, PACKAGE_DIR / FILE)
    _DEFAULT[:] = [(checklist, destinations)]
    return destinations


def _check_never(file: str, where: str, d: Destination, checklist: Checklist) -> None:
    """A pack never lists what it must never carry; only internal packs hold the whole
    record."""
    if d.whole_record and d.external:
        raise ChecklistError(file, where, "only an internal pack may hold the whole record")
    carried = [*(f for s in d.sections for f in s.fields),
               *(d.annex.fields if d.annex else ())]
    pages = {p for s in d.sections for p in s.pages}
    carried += [f for p in checklist.nrm.pages if p.path in pages for f in p.fields]
    for fid in carried:
        if d.forbids(fid) and not (d.withhold and fid in d.withhold.fields):
            raise ChecklistError(file, where, f"'{fid}' is listed but the pack must never "
                                 "carry it")


def _load(checklist: Checklist, path: Path) -> Destinations:
    doc = read_validated_toml(path.parent, path.name, "destinations.schema.json")
    file = path.name
    known: dict[str, object] = {f.id: f for s in checklist.steps for f in s.fields}
    known.update({d.id: d for d in checklist.derived_fields})
    known.update({f: f for f in (*NRM_FROM_PROFILE, PROFILE_PUBLIC_AUTHORITY)})
    derived = {**checklist.nrm.derived, **checklist.derived}
    pack_fields = set(known) | set(NRM_FROM_PROFILE) | set(NRM_NOT_ASKED)
    items = []
    seen: set[str] = set()
    for raw in doc["destination"]:
        where = f'destination "{raw["id"]}"'
        if raw["id"] in seen:
            raise ChecklistError(file, where, "id used more than once")
        seen.add(raw["id"])
        rules = tuple(Rule(r["effect"], r["when"], r["text"], r.get("step_consent"),
                           r.get("step"), r.get("fix"), bool(r.get("worker_only", False)))
                      for r in raw.get("rule", ()))
        for rule in rules:
            check_condition(file, where, rule.when, known, derived, DESTINATIONS)
            if rule.step and checklist.step(rule.step) is None:
                raise ChecklistError(file, where, f"unknown step '{rule.step}'")
        consent = None
        if "consent" in raw:
            consent = ConsentNeed(raw["consent"]["destination"], raw["consent"].get("when"))
            if consent.destination not in DESTINATIONS:
                raise ChecklistError(file, where, f"unknown consent destination "
                                     f"'{consent.destination}'")
            if consent.when is not None:
                check_condition(file, where, consent.when, known, derived, DESTINATIONS)
        withhold = None
        if "withhold" in raw:
            withhold = Withhold(tuple(raw["withhold"]["fields"]), raw["withhold"]["unless"])
            check_condition(file, where, withhold.unless, known, derived, DESTINATIONS)
        sections = tuple(Section(s["title"], tuple(s.get("pages", ())), tuple(s.get("fields", ())))
                         for s in raw.get("section", ()))
        form_route = bool(raw.get("form_route", False))
        page_paths = {p.path for p in checklist.nrm.pages}
        for section in sections:
            for page in section.pages:
                if page not in page_paths:
                    raise ChecklistError(file, where, f"unknown NRM page '{page}'")
            for fid in section.fields:
                if fid not in pack_fields:
                    raise ChecklistError(file, where, f"unknown field '{fid}'")
        if form_route and any(s.fields for s in sections):
            raise ChecklistError(file, where, "a form_route destination lists pages, not fields")
        required = tuple(raw.get("required", ()))
        in_sections = {f for s in sections for f in s.fields}
        for fid in required:
            if fid not in in_sections:
                raise ChecklistError(file, where, f"required field '{fid}' is in no section")
        annex = None
        if "annex" in raw:
            a = raw["annex"]
            annex = Annex(a["title"], a["when"], tuple(a["fields"]), a.get("note", ""))
            check_condition(file, where, annex.when, known, derived, DESTINATIONS)
            for fid in annex.fields:
                if fid not in pack_fields:
                    raise ChecklistError(file, where, f"unknown field '{fid}' in the annex")
        addressee = None
        if "addressee" in raw:
            a = raw["addressee"]
            names = (a["name"],) if isinstance(a["name"], str) else tuple(a["name"])
            addressee = Addressee(names, a.get("phone", ""), a.get("email", ""))
            for fid in (*addressee.names, addressee.phone, addressee.email):
                if fid and fid not in pack_fields:
                    raise ChecklistError(file, where, f"unknown addressee field '{fid}'")
        item = Destination(
            id=raw["id"], title=raw["title"], summary=raw.get("summary", ""),
            nations=tuple(raw["nations"]), sections=sections, form_route=form_route,
            required=required, consent=consent, service_kind=raw.get("service_kind"),
            withhold=withhold, rules=rules, short_title=raw.get("short_title", ""),
            audience=raw["audience"], never=tuple(raw.get("never", ())), annex=annex,
            addressee=addressee, whole_record=bool(raw.get("whole_record", False)))
        _check_never(file, where, item, checklist)
        items.append(item)
    return Destinations(items=tuple(items), labels=dict(doc.get("labels", {})))
