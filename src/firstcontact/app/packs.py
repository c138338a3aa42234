"""Writing packs: the completeness gate, the encrypted PDF, the export kept with the case and
audited with its SHA-256."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from firstcontact import dates
from firstcontact.app.errors import Invalid
from firstcontact.app.pdf_password import check_pdf_password
from firstcontact.app.person_texts import texts_for_person
from firstcontact.app.survivor_copy import (
    CopySafety,
    LetterInputs,
    SharedRecord,
    build_survivor_copy,
    safe_addresses,
)
from firstcontact.app.workspace import Workspace, state_from
from firstcontact.domain.case import CaseState
from firstcontact.domain.conditions import is_present
from firstcontact.i18n import _, ngettext
from firstcontact.referral.atomic import write_atomic
from firstcontact.referral.check import PackCheck
from firstcontact.referral.content import (
    Author,
    RecordExtras,
    build_case_record,
    build_document,
    display_value,
)
from firstcontact.referral.document import PackDocument
from firstcontact.referral.pdf import missing_glyphs, placeholder, render_pdf
from firstcontact.referral.pdf_crypt import encrypt_pdf


@dataclass(frozen=True)
class ExportOutcome:
    check: PackCheck
    written: Path | None
    sha256: str | None


def author(ws: Workspace) -> Author:
    p = ws.profile()
    return Author(p.display_name, p.organisation, p.phone, p.email)


def pack_document(ws: Workspace, ref: str, check: PackCheck,
                  service_id: str | None) -> PackDocument:
    """The document a complete pack would hold (nothing is written)."""
    case = ws.find_case(ref)
    state, history = ws.state_with_history(case.id)
    inputs = ws.pack_inputs(case, service_id)
    if check.destination.whole_record:
        detail = ws.notes(ref)
        extras = RecordExtras(
            consent_history=history,
            notes=tuple((n.created_at, n.kind, n.text) for n in detail),
            exports=tuple((e.destination, e.exported_at, e.sha256)
                          for e in ws.store.load_case(case.id).exports))
        return build_case_record(ws.interview, ws.destinations, check.destination, state,
                                 inputs, extras, author=author(ws))
    return build_document(ws.interview, ws.destinations, check.destination, state, inputs,
                          notices=check.printed, author=author(ws))


def glyph_notice(document: PackDocument) -> str | None:
    """Characters no bundled font can draw, said before export (they print as placeholders)."""
    texts = [document.title, *document.notices]
    for rows in (document.cover, *(s.rows for s in document.sections),
                 document.consent.rows if document.consent else (),
                 document.annex.rows if document.annex else ()):
        texts += [text for row in rows for text in (row.label, row.value)]
    missing = missing_glyphs("\n".join(texts))
    if not missing:
        return None
    shown = ", ".join(placeholder(ch) for ch in missing[:8])
    return ngettext(
        "{n} character cannot be drawn with the bundled fonts and is printed as its code "
        "point ({chars}); add a written form (for example a transliteration) if it matters.",
        "{n} characters cannot be drawn with the bundled fonts and are printed as their code "
        "points ({chars}); add a written form (for example a transliteration) if it matters.",
        len(missing)).format(n=len(missing), chars=shown)


def check_for_export(ws: Workspace, ref: str, destination: str,
                     service_id: str | None) -> PackCheck:
    """The completeness check, plus a notice for characters the PDF cannot draw."""
    result = ws.check_pack(ref, destination, service_id)
    if result.refusals:
        return result
    notice = glyph_notice(pack_document(ws, ref, result, service_id))
    return replace(result, notices=(*result.notices, notice)) if notice else result


def export_pack(ws: Workspace, ref: str, destination: str, out: Path, password: str,
                service_id: str | None) -> ExportOutcome:
    result = ws.check_pack(ref, destination, service_id)
    case = ws.find_case(ref)
    if not result.complete:
        why = "refused" if result.refusals else "incomplete"
        ws.store.audit("export-refused", case.id, f"destination={destination} reason={why}")
        return ExportOutcome(result, None, None)
    document = pack_document(ws, ref, result, service_id)
    sha = _write_pdf(document, out, password)
    ws.record_export(ref, destination, sha, service_id)
    return ExportOutcome(result, out, sha)


def _write_pdf(document: PackDocument, out: Path, password: str) -> str:
    check_pdf_password(password)
    data = encrypt_pdf(render_pdf(document), password)
    try:
        return write_atomic(out, data)
    except OSError as exc:
        raise Invalid(_("could not write {path}: {reason}").format(
            path=out, reason=exc.strerror or type(exc).__name__)) from None


def _receiver(ws: Workspace, destination: str, service_id: str | None,
              state: CaseState) -> str:
    """Who received a pack: the service chosen, else the addressee named in the case."""
    if service_id:
        found = next((s for s in ws.services() if s.id == service_id), None)
        if found is not None:
            return found.name
    dest = ws.destinations.get(destination)
    if dest is None or dest.addressee is None:
        return ""
    name = next((f for f in dest.addressee.names if is_present(state.answers.get(f))), None)
    return display_value(ws.interview, name, state.answers[name]) if name else ""


def survivor_letter(ws: Workspace, ref: str, *, exploiters: bool = False) -> PackDocument:
    """The letter to the person (nothing is written)."""
    case = ws.find_case(ref)
    data = ws.store.load_case(case.id)
    state = state_from(data)
    shared = tuple(SharedRecord(e.destination, e.exported_at,
                                _receiver(ws, e.destination, e.service_id, state))
                   for e in data.exports)
    profile = ws.profile()
    inputs = LetterInputs(reference=case.reference, today=dates.today(), author=author(ws),
                          worker=f"{profile.first_name} {profile.last_name}".strip(),
                          shared=shared, consent_history=data.consent_history,
                          audit=tuple(ws.audit_events(ref)), exploiters=exploiters)
    return build_survivor_copy(ws.interview, texts_for_person(ws), state, inputs)


def copy_addresses(ws: Workspace, ref: str) -> tuple[str, ...]:
    """Where a copy may be sent: the addresses the person confirmed safe for letters."""
    return safe_addresses(texts_for_person(ws).letter, ws.state(ws.find_case(ref).id))


def survivor_copy(ws: Workspace, ref: str, out: Path, password: str,
                  safety: CopySafety) -> tuple[Path, str]:
    """Write the letter, once the worker has said how it reaches the person safely; the
    audit keeps the file's SHA-256 and the safety answers, never the content."""
    document = survivor_letter(ws, ref, exploiters=safety.exploiters)
    sha = _write_pdf(document, out, password)
    ws.store.audit("survivor-copy", ws.find_case(ref).id,
                   f"sha256={sha} handover={safety.handover} "
                   f"exploiters={'yes' if safety.exploiters else 'no'}")
    return out, sha
