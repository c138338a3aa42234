"""Load and validate the interview data (`criteria.toml`, `interview.toml`, the NRM form).

A broken file raises :class:`ChecklistError` naming the file, the entry and the problem.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

from firstcontact.domain import conditions
from firstcontact.domain.model import (
    DESTINATIONS,
    Checklist,
    Criterion,
    DerivedField,
    Evidence,
    EvidenceNeed,
    ExplainPoint,
    Field,
    NrmField,
    NrmFork,
    NrmForm,
    NrmPage,
    Option,
    Reminders,
    ScriptVariant,
    SkipReason,
    Stage,
    Step,
    StepWarning,
)

PACKAGE_DIR = Path(str(resources.files("firstcontact.checklists")))
ENV_DIR = "FIRSTCONTACT_CHECKLISTS"
# NRM form fields that a case takes from elsewhere than the interview.
from firstcontact.checklists.constants import (  # noqa: E402 - re-exported
    NRM_FROM_PROFILE,
    NRM_PROFILE_FIELDS,
    PROFILE_PUBLIC_AUTHORITY,
)

NRM_NOT_ASKED = ("reference", "upload-file", "what-evidence-you-will-submit")
__all__ = ["NRM_FROM_PROFILE", "NRM_PROFILE_FIELDS", "PROFILE_PUBLIC_AUTHORITY", "ChecklistError",
           "load_checklist", "read_validated_toml"]
# The NRM form's own checks, as the interview's validation rules (its "date" is the field type).
_NRM_RULES = {"email": "email", "numeric": "numeric", "internationalPhoneNumber": "phone",
              "before": "before-today", "notUrl": "not-url"}
_NRM_TYPE = {"radio-group": ("choice",), "checkbox-group": ("multichoice",),
             "select": ("list",), "textarea": ("longtext",), "input-text": ("text", "number"),
             "checkbox": ("checkbox",), "input-date": ("date",)}


class ChecklistError(Exception):
    """The interview data is broken; the message names file, entry and problem."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        super().__init__(f"{file}: {entry}: {problem}" if entry else f"{file}: {problem}")
        self.file, self.entry, self.problem = file, entry, problem


def _schema_registry() -> referencing.Registry[Any]:
    registry: referencing.Registry[Any] = referencing.Registry()
    for path in sorted((PACKAGE_DIR / "schema").glob("*.json")):
        resource = referencing.Resource.from_contents(json.loads(path.read_text("utf-8")),
                                                      default_specification=DRAFT202012)
        registry = registry.with_resource(path.name, resource)
    return registry


def _entry(doc: Mapping[str, Any], path: Sequence[object]) -> str:
    """Describe where in ``doc`` a schema error is, by ids where there are ids."""
    parts: list[str] = []
    node: Any = doc
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(key, int) and isinstance(node, Mapping) and "id" in node:
            kind = str(parts.pop()) if parts else "entry"
            parts.append(f'{kind} "{node["id"]}"')
        else:
            parts.append(str(key))
    return ", ".join(parts)


def read_validated_toml(directory: Path, name: str, schema: str) -> dict[str, Any]:
    path = directory / name
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        raise ChecklistError(name, "", f"file not found in {directory}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ChecklistError(name, "", f"not valid TOML: {exc}") from None
    registry = _schema_registry()
    validator = jsonschema.Draft202012Validator(
        registry.contents(schema), registry=registry)
    error = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if error is not None:
        raise ChecklistError(name, _entry(doc, list(error.absolute_path)), error.message)
    return doc


def _read_json(directory: Path, name: str) -> Any:
    try:
        return json.loads((directory / name).read_text("utf-8"))
    except FileNotFoundError:
        raise ChecklistError(name, "", f"file not found in {directory}") from None
    except json.JSONDecodeError as exc:
        raise ChecklistError(name, "", f"not valid JSON: {exc}") from None


def _load_nrm(directory: Path) -> tuple[NrmForm, dict[str, tuple[str, ...]]]:
    name = "nrm/nrm-form.json"
    raw = _read_json(directory, name)
    try:
        fields = {
            fid: _nrm_field(fid, f) for fid, f in raw["fields"].items()
        }
        pages = tuple(
            NrmPage(path=p["page"], fields=tuple(p["fields"]), next=p["next"],
                    forks=tuple(NrmFork(to=f["to"], when=f["when"]) for f in p["forks"]),
                    reachable=bool(p.get("reachable", True)))
            for p in raw["pages"])
        derived = {k: {kk: vv for kk, vv in v.items() if kk != "effect"}
                   for k, v in raw["derived"].items()}
    except (KeyError, TypeError) as exc:
        raise ChecklistError(name, "", f"unexpected structure ({exc})") from None
    lists: dict[str, tuple[str, ...]] = {}
    for path in sorted((directory / "nrm" / "lists").glob("*.json")):
        values = _read_json(directory, f"nrm/lists/{path.name}")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ChecklistError(f"nrm/lists/{path.name}", "", "must be a JSON array of strings")
        lists[path.stem] = tuple(values)
    form = NrmForm(fields=fields, pages=pages, derived=derived)
    paths = {p.path for p in pages} | {"/confirm"}
    for page in pages:
        for target in (page.next, *(f.to for f in page.forks)):
            if target not in paths:
                raise ChecklistError(name, f'page "{page.path}"', f"leads to unknown page {target}")
        for fork in page.forks:
            check_condition(name, f'page "{page.path}"', fork.when, fields, derived, ())
    for fid, nf in fields.items():
        if nf.list_name and nf.list_name not in lists:
            raise ChecklistError(name, f'field "{fid}"', f"unknown list '{nf.list_name}'")
    return form, lists


def _nrm_field(fid: str, f: Mapping[str, Any]) -> NrmField:
    return NrmField(
        id=fid, type=f["type"], required=bool(f["required"]), pages=tuple(f["pages"]),
        options=tuple(f.get("options", ())), list_name=f.get("list"),
        list_excludes=tuple(f.get("list_excludes", ())), validate=tuple(f.get("validate", ())),
        required_when=f.get("required_when"), unused=bool(f.get("unused_in_current_flow")))


def check_condition(file: str, entry: str, cond: Any, fields: Mapping[str, object],
                     derived: Mapping[str, object], destinations: Sequence[str]) -> None:
    found = conditions.problems(cond, fields=fields, derived=list(derived),
                                destinations=destinations)
    if found:
        raise ChecklistError(file, entry, "; ".join(found))


def _field(raw: Mapping[str, Any], labels: Mapping[str, str], nrm: NrmForm) -> Field:
    nf = nrm.fields.get(raw["id"])
    # An NRM field the form never requires is optional in the interview too.
    optional = raw.get("optional", nf is not None and not nf.required)
    overrides: Mapping[str, str] = raw.get("option_labels", {})
    options = tuple(Option(v, overrides.get(v, labels.get(v, v))) for v in raw.get("options", ()))
    validate = list(raw.get("validate", ()))
    for rule in nrm_rules(nf) if nf is not None else ():
        if rule not in validate:  # the form's limits hold on answer, not only at the portal
            validate.append(rule)
    return Field(id=raw["id"], type=raw["type"], label=raw["label"], help=raw.get("help", ""),
                 options=options, list_name=raw.get("list"),
                 list_excludes=tuple(raw.get("list_excludes", ())),
                 validate=tuple(validate), when=raw.get("when"), optional=bool(optional),
                 pack_label=raw.get("pack_label", ""))


def nrm_rules(nf: NrmField) -> list[str]:
    """The NRM form's checks on a field, as the interview's validation rules."""
    out = []
    for rule in nf.validate:
        if rule.startswith(("maxlength:", "after:")):
            out.append(rule)
        elif rule in _NRM_RULES:
            out.append(_NRM_RULES[rule])
    return out


def load_checklist(directory: Path | None = None) -> Checklist:
    """Load the interview from ``directory`` (default: env FIRSTCONTACT_CHECKLISTS, else the
    package's own data), validated."""
    if directory is None:
        env = os.environ.get(ENV_DIR)
        if not env:
            return _load_default()
        directory = Path(env)
    return _load(directory)


@cache
def _load_default() -> Checklist:
    return _load(PACKAGE_DIR)


def _load(directory: Path) -> Checklist:
    crit_doc = read_validated_toml(directory, "criteria.toml", "criteria.schema.json")
    doc = read_validated_toml(directory, "interview.toml", "interview.schema.json")
    nrm, lists = _load_nrm(directory)
    criteria = tuple(Criterion(c["id"], c["text"].strip()) for c in crit_doc["criterion"])
    knowledge = tuple(Criterion(k["id"], k["text"].strip()) for k in crit_doc["knowledge"])
    _check_ids("criteria.toml", "criterion", [c.id for c in criteria], "PC")
    _check_ids("criteria.toml", "knowledge", [k.id for k in knowledge], "K")

    file = "interview.toml"
    labels: Mapping[str, str] = doc.get("labels", {})
    stages = tuple(Stage(s["id"], s["title"], s.get("summary", "")) for s in doc["stage"])
    steps = tuple(_step(s, labels, nrm) for s in doc["step"])
    derived: dict[str, Any] = dict(doc.get("derived", {}))
    derived_fields = tuple(
        DerivedField(d["id"], tuple((c["when"], c["value"]) for c in d["cases"]),
                     tuple(c.get("display", "") for c in d["cases"]))
        for d in doc.get("derived_field", ()))
    skip_reasons = tuple(SkipReason(r["id"], r["label"], r["pack_text"])
                         for r in doc.get("skip_reason", ()))
    _dupes(file, "skip_reason", [r.id for r in skip_reasons])

    _dupes(file, "stage", [s.id for s in stages])
    _dupes(file, "step", [s.id for s in steps])
    all_fields = [(s, f) for s in steps for f in s.fields]
    _dupes(file, "field", [f.id for _s, f in all_fields])
    known: dict[str, object] = {f.id: f for _s, f in all_fields}
    known.update({d.id: d for d in derived_fields})
    stage_ids = {s.id for s in stages}
    pc_ids = {c.id for c in criteria}
    k_ids = {k.id for k in knowledge}

    for name, cond in derived.items():
        check_condition(file, f'derived "{name}"', cond, known, derived, DESTINATIONS)
    _check_derived_cycles(file, derived)
    for d in derived_fields:
        if d.id in {f.id for _s, f in all_fields}:
            raise ChecklistError(file, f'derived_field "{d.id}"',
                                 "a derived field must not also be asked as a field")
        for cond, _value in d.cases:
            check_condition(file, f'derived_field "{d.id}"', cond, known, derived, DESTINATIONS)
    for step in steps:
        where = f'step "{step.id}"'
        if step.stage not in stage_ids:
            raise ChecklistError(file, where, f"unknown stage '{step.stage}'")
        for pc in step.pcs:
            if pc not in pc_ids:
                raise ChecklistError(file, where, f"names {pc}, which is not a criterion of "
                                     "criteria.toml")
        for k in step.guidance:
            if k not in k_ids:
                raise ChecklistError(file, where, f"guidance {k} is not a knowledge item")
        if step.consent is not None and step.consent not in DESTINATIONS:
            raise ChecklistError(file, where, f"unknown destination '{step.consent}'")
        if step.when is not None:
            check_condition(file, where, step.when, known, derived, DESTINATIONS)
        _check_script(file, where, step, known, derived)
        for f in step.fields:
            _check_field(file, f'{where}, field "{f.id}"', f, nrm, lists)
            if f.when is not None:
                check_condition(file, f'{where}, field "{f.id}"', f.when, known, derived,
                                 DESTINATIONS)
    for pc in pc_ids - {pc for s in steps for pc in s.pcs}:
        raise ChecklistError(file, "", f"{pc} is not evidenced by any step")
    language_field = doc.get("consent_language_field")
    if language_field is not None and language_field not in {f.id for _s, f in all_fields}:
        raise ChecklistError(file, "consent_language_field", f"unknown field '{language_field}'")
    interpreter: dict[str, str] = dict(doc.get("interpreter", {}))
    for role, fid in interpreter.items():
        if fid not in {f.id for _s, f in all_fields}:
            raise ChecklistError(file, f"interpreter.{role}", f"unknown field '{fid}'")
    evidence = _load_evidence(directory, pc_ids, known, {**nrm.derived, **derived})
    practice: dict[str, str] = {k: v.strip() for k, v in doc.get("practice", {}).items()}
    for kid in practice:
        if kid not in k_ids:
            raise ChecklistError(file, f"practice.{kid}", "not a knowledge item of criteria.toml")
    for step in steps:
        for kid in step.guidance:
            if kid not in practice:
                raise ChecklistError(file, f'step "{step.id}"', f"{kid} is shown as guidance "
                                     "but has no practical note under [practice]")
    reminders = _reminders(file, doc.get("reminders"), known, derived)
    return Checklist(criteria=criteria, knowledge=knowledge, stages=stages, steps=steps,
                     derived=derived, derived_fields=derived_fields, lists=lists, nrm=nrm,
                     consent_language_field=language_field, evidence=evidence,
                     skip_reasons=skip_reasons, interpreter_fields=interpreter,
                     practice=practice, reminders=reminders)


def _step(s: Mapping[str, Any], labels: Mapping[str, str], nrm: NrmForm) -> Step:
    return Step(
        id=s["id"], stage=s["stage"], title=s["title"], prompt=s["prompt"].strip(),
        pcs=tuple(s["pcs"]), guidance=tuple(s.get("guidance", ())),
        fields=tuple(_field(f, labels, nrm) for f in s.get("field", ())),
        sensitive=bool(s.get("sensitive", False)), when=s.get("when"),
        consent=s.get("consent"), consent_when=s.get("consent_when"),
        worker_only=bool(s.get("worker_only", False)),
        warnings=tuple(StepWarning(w["when"], w["text"].strip(), w.get("level", "warning"),
                                   tuple(a.strip() for a in w.get("actions", ())),
                                   w.get("record"), bool(w.get("pause", False)))
                       for w in s.get("warning", ())),
        source=s.get("source", "").strip(),
        variants=tuple(ScriptVariant(v["when"], v["prompt"].strip())
                       for v in s.get("variant", ())),
        explain=s.get("explain"),
        points=tuple(ExplainPoint(p["id"], p["label"]) for p in s.get("point", ())))


def _check_script(file: str, where: str, step: Step, known: Mapping[str, object],
                  derived: Mapping[str, Any]) -> None:
    """Script variants, warnings and consent points of one step."""
    for variant in step.variants:
        check_condition(file, f"{where}, variant", variant.when, known, derived, DESTINATIONS)
    own = {f.id for f in step.fields}
    for warning in step.warnings:
        check_condition(file, f"{where}, warning", warning.when, known, derived, DESTINATIONS)
        if warning.record is not None and warning.record not in own:
            raise ChecklistError(file, f"{where}, warning", f"records in '{warning.record}', "
                                 "which is not a field of this step")
    _dupes(file, f"{where}, point", [p.id for p in step.points])
    if step.consent_when is not None:
        if step.consent is None:
            raise ChecklistError(file, where, "consent_when needs a consent")
        check_condition(file, f"{where}, consent_when", step.consent_when, known, derived,
                        DESTINATIONS)
    if step.points and step.consent is None:
        raise ChecklistError(file, where, "points to explain belong on a consent step")


def _reminders(file: str, raw: Mapping[str, Any] | None, known: Mapping[str, object],
               derived: Mapping[str, Any]) -> Reminders | None:
    if raw is None:
        return None
    check_condition(file, "reminders.decision_due", raw["decision_due"], known, derived,
                    DESTINATIONS)
    date_field = known.get(raw["review_date"])
    if not isinstance(date_field, Field) or date_field.type != "date":
        raise ChecklistError(file, "reminders.review_date",
                             f"'{raw['review_date']}' is not a date field")
    return Reminders(raw["decision_due"], raw["review_date"])


def _load_evidence(directory: Path, pc_ids: set[str], known: Mapping[str, object],
                   derived: Mapping[str, Any]) -> dict[str, Evidence]:
    """`evidence.toml`: for every PC, what the record must show to evidence it."""
    file = "evidence.toml"
    doc = read_validated_toml(directory, file, "evidence.schema.json")
    out: dict[str, Evidence] = {}
    for raw in doc["evidence"]:
        where = f'evidence "{raw["pc"]}"'
        if raw["pc"] not in pc_ids:
            raise ChecklistError(file, where, "not a criterion of criteria.toml")
        if raw["pc"] in out:
            raise ChecklistError(file, where, "the PC has more than one evidence rule")
        needs = tuple(EvidenceNeed(n["when"], n["missing"].strip()) for n in raw["need"])
        not_applicable = tuple((n["when"], n["reason"].strip())
                               for n in raw.get("not_applicable", ()))
        for cond in (*(n.when for n in needs), *(c for c, _r in not_applicable)):
            check_condition(file, where, cond, known, derived, DESTINATIONS)
        out[raw["pc"]] = Evidence(raw["pc"], needs, not_applicable)
    for pc in sorted(pc_ids - set(out), key=lambda p: int(p[2:])):
        raise ChecklistError(file, "", f"{pc} has no evidence rule")
    return out


def _check_ids(file: str, kind: str, ids: list[str], prefix: str) -> None:
    _dupes(file, kind, ids)
    expected = [f"{prefix}{i}" for i in range(1, len(ids) + 1)]
    if sorted(ids, key=lambda i: int(i[len(prefix):])) != expected:
        raise ChecklistError(file, kind, f"ids must run {prefix}1…{prefix}{len(ids)} without gaps")


def _dupes(file: str, kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ChecklistError(file, f'{kind} "{i}"', "id used more than once")
        seen.add(i)


def _check_derived_cycles(file: str, derived: Mapping[str, Any]) -> None:
    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            raise ChecklistError(file, f'derived "{name}"', "refers to itself through "
                                 + " → ".join((*path, name)))
        for nxt in conditions.referenced_derived(derived[name]):
            visit(nxt, (*path, name))

    for name in derived:
        visit(name, ())


def _check_field(file: str, where: str, f: Field, nrm: NrmForm,
                 lists: Mapping[str, tuple[str, ...]]) -> None:
    if f.list_name is not None:
        if f.list_name not in lists:
            raise ChecklistError(file, where, f"unknown list '{f.list_name}' (files in nrm/lists/)")
        missing = set(f.list_excludes) - set(lists[f.list_name])
        if missing:
            raise ChecklistError(file, where, f"list_excludes has entries not in the list: "
                                 f"{sorted(missing)}")
    nf = nrm.fields.get(f.id)
    if nf is None:
        if not f.id.startswith("fc-"):
            raise ChecklistError(file, where, "not a field of the NRM form: our own field ids "
                                 "start with 'fc-'")
        return
    if f.id in NRM_FROM_PROFILE or f.id in NRM_NOT_ASKED:
        raise ChecklistError(file, where, "this NRM field comes from the worker profile or the "
                             "case, not from the interview")
    if f.type not in _NRM_TYPE.get(nf.type, ()):
        raise ChecklistError(file, where, f"type '{f.type}' does not match the NRM form's "
                             f"'{nf.type}' (use {' or '.join(_NRM_TYPE.get(nf.type, ('?',)))})")
    if nf.options and set(f.option_values()) != set(nf.options):
        raise ChecklistError(file, where, f"options must be exactly the NRM form's: "
                             f"{', '.join(nf.options)}")
    if nf.list_name and (f.list_name != nf.list_name
                         or set(f.list_excludes) != set(nf.list_excludes)):
        raise ChecklistError(file, where, f"must use the NRM list '{nf.list_name}'"
                             + (f" excluding {list(nf.list_excludes)}" if nf.list_excludes else ""))
