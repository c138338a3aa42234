"""A case as JSON (`case export` / `case import`), validated against `case.schema.json`.

Import is all or nothing: the whole document is checked (schema, every answer against its
field, steps, criteria, destinations) before anything is written. The file itself is read
within limits (:data:`MAX_CASE_FILE_BYTES`, :data:`MAX_CASE_DEPTH`, :data:`MAX_CASE_VALUES`)
and as strict JSON: no NaN or Infinity, no key given twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jsonschema

from firstcontact import strict_json
from firstcontact.app.consent_points import points_for
from firstcontact.app.errors import Invalid
from firstcontact.checklists.loader import PACKAGE_DIR
from firstcontact.domain.case import ConsentRecord, SkipRecord
from firstcontact.domain.model import DESTINATIONS, Checklist, Value
from firstcontact.domain.text import storable
from firstcontact.domain.values import InvalidAnswer, validate
from firstcontact.i18n import _

FORMAT = "firstcontact-case"
VERSION = 2
SCHEMA_PATH = PACKAGE_DIR / "schema" / "case.schema.json"
MAX_CASE_FILE_BYTES = 8 * 1024 * 1024  # a long case is well under 1 MiB
MAX_CASE_DEPTH = 16  # a case is 4 levels deep; a note's details a few more
MAX_CASE_VALUES = 100_000


def parse_case_file(raw: bytes) -> object:
    """The JSON document of a case file, refused with one line naming the limit it breaks."""
    try:
        return strict_json.loads(raw, max_bytes=MAX_CASE_FILE_BYTES, max_depth=MAX_CASE_DEPTH,
                                 max_values=MAX_CASE_VALUES)
    except strict_json.JsonRefused as exc:
        raise Invalid(_("the case file is refused: {why}").format(why=exc.message)) from None


@dataclass(frozen=True)
class ImportedCase:
    """A validated case document, ready to be written in one transaction."""

    status: str
    answers: dict[str, Value]
    consents: list[ConsentRecord]
    skips: dict[str, SkipRecord]
    marks: dict[str, dict[str, str]]
    notes: list[dict[str, Any]]
    exports: list[dict[str, str]]


def validate_document(doc: object, checklist: Checklist, derived: set[str]) -> ImportedCase:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(doc))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or _("the document")
        # the schema's message may quote the value: name the place and the rule only
        raise Invalid(_("the case file does not match the case format at {where} ({rule})")
                      .format(where=where, rule=error.validator))
    if not isinstance(doc, dict):
        raise Invalid(_("the case file must be a JSON object"))
    answers: dict[str, Value] = {}
    for fid, value in doc["answers"].items():
        if fid in derived:
            raise Invalid(_("'{field}' is derived from the consent record and cannot be "
                            "imported as an answer").format(field=fid))
        field = checklist.field(fid)
        if field is None:
            raise Invalid(_("unknown field '{field}' in the case file").format(field=fid))
        try:
            answers[fid] = validate(field, value, checklist.list_values)
        except InvalidAnswer as exc:
            raise Invalid(f"{fid}: {exc.message}") from None
    skips: dict[str, SkipRecord] = {}
    for step_id, raw in dict(doc.get("skips", {})).items():
        if checklist.step(step_id) is None:
            raise Invalid(_("unknown step '{step}' in the case file").format(step=step_id))
        # version 1 held the worker's words alone: they stay the private note
        skip = SkipRecord("other", raw) if isinstance(raw, str) else SkipRecord(
            raw["reason"], raw.get("note", ""))
        if checklist.skip_reason(skip.reason) is None:
            raise Invalid(_("unknown skip reason for step '{step}' in the case file").format(
                step=step_id))
        skips[step_id] = skip
    marks = dict(doc.get("criteria_marks", {}))
    for pc in marks:
        if pc not in {c.id for c in checklist.criteria}:
            raise Invalid(_("unknown criterion '{pc}' in the case file").format(pc=pc))
    raw_consents = list(doc.get("consents", []))
    for c in raw_consents:
        if c["destination"] not in DESTINATIONS:
            raise Invalid(_("unknown destination in the case file"))
        known = {p.id for p in points_for(checklist, c["destination"])}
        if not set(c.get("explained_points", ())) <= known:
            raise Invalid(_("unknown point explained for '{d}' in the case file").format(
                d=c["destination"]))
    texts = [*(k.note for k in skips.values()), *(m["note"] for m in marks.values()),
             *(n["text"] for n in doc.get("notes", [])),
             *(str(v) for c in raw_consents for v in c.values() if v)]
    if not all(storable(text) for text in texts):
        raise Invalid(_("the case file contains text that cannot be stored (an unpaired "
                        "surrogate)"))
    consents = [ConsentRecord(
        c["destination"], c["state"], c["explained_by"], c.get("language", ""),
        c.get("interpreter"), c.get("explained", ""), c.get("recorded_at", ""),
        interpreter_independent=c.get("interpreter_independent"),
        interpreter_accredited=c.get("interpreter_accredited"),
        interpreter_reason=c.get("interpreter_reason", ""),
        shares_account=bool(c.get("shares_account", False)),
        not_sought_reason=c.get("not_sought_reason", ""),
        explained_points=tuple(c.get("explained_points", ()))) for c in raw_consents]
    return ImportedCase(status=doc.get("status", "open"), answers=answers, consents=consents,
                        skips=skips, marks=marks, notes=list(doc.get("notes", [])),
                        exports=list(doc.get("exports", [])))
