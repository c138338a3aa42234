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
from firstcontact.app.errors import Invalid
from firstcontact.checklists.loader import PACKAGE_DIR
from firstcontact.domain.model import DESTINATIONS, Checklist, Value
from firstcontact.domain.values import InvalidAnswer, validate
from firstcontact.i18n import _

FORMAT = "firstcontact-case"
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
    consents: list[dict[str, Any]]
    skips: dict[str, str]
    marks: dict[str, dict[str, str]]
    notes: list[dict[str, Any]]


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
    skips = dict(doc.get("skips", {}))
    for step_id in skips:
        if checklist.step(step_id) is None:
            raise Invalid(_("unknown step '{step}' in the case file").format(step=step_id))
    marks = dict(doc.get("criteria_marks", {}))
    for pc in marks:
        if pc not in {c.id for c in checklist.criteria}:
            raise Invalid(_("unknown criterion '{pc}' in the case file").format(pc=pc))
    consents = list(doc.get("consents", []))
    for c in consents:
        if c["destination"] not in DESTINATIONS:
            raise Invalid(_("unknown destination in the case file"))
    texts = [*skips.values(), *(m["note"] for m in marks.values()),
             *(n["text"] for n in doc.get("notes", [])),
             *(str(v) for c in consents for v in c.values() if v)]
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise Invalid(_("the case file contains text that cannot be stored (an unpaired "
                            "surrogate)")) from None
    return ImportedCase(status=doc.get("status", "open"), answers=answers, consents=consents,
                        skips=skips, marks=marks, notes=list(doc.get("notes", [])))
