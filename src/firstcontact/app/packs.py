"""Writing packs: the completeness gate, the encrypted PDF, the audit with its SHA-256."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from firstcontact.app.errors import Invalid
from firstcontact.app.pdf_password import check_pdf_password
from firstcontact.app.survivor_copy import build_survivor_copy
from firstcontact.app.workspace import Workspace
from firstcontact.i18n import _
from firstcontact.referral.atomic import write_atomic
from firstcontact.referral.check import PackCheck
from firstcontact.referral.content import build_document
from firstcontact.referral.document import PackDocument
from firstcontact.referral.pdf import render_pdf
from firstcontact.referral.pdf_crypt import encrypt_pdf
from firstcontact.store.paths import refuse_output_in_store


@dataclass(frozen=True)
class ExportOutcome:
    check: PackCheck
    written: Path | None
    sha256: str | None


def export_pack(ws: Workspace, ref: str, destination: str, out: Path, password: str,
                 service_id: str | None, *, replace: bool = True) -> ExportOutcome:
    """Write the pack if it is complete; ``replace=False`` refuses an existing ``out``."""
    refuse_output_in_store(out, ws.data_dir)
    result = ws.check_pack(ref, destination, service_id)
    case = ws.find_case(ref)
    if not result.complete:
        why = "refused" if result.refusals else "incomplete"
        ws.store.audit("export-refused", case.id, f"destination={destination} reason={why}")
        return ExportOutcome(result, None, None)
    state = ws.state(case.id)
    profile = ws.profile()
    document = build_document(
        ws.interview, ws.destinations, result.destination, state,
        ws.pack_inputs(case, service_id), date=dt.date.today().isoformat(),
        notices=result.notices, worker=profile.display_name, organisation=profile.organisation)
    sha = _write_pdf(document, out, password, replace)
    ws.store.audit("exported", case.id, f"destination={destination} sha256={sha}")
    return ExportOutcome(result, out, sha)


def _write_pdf(document: PackDocument, out: Path, password: str, replace: bool) -> str:
    check_pdf_password(password)
    data = encrypt_pdf(render_pdf(document), password)
    try:
        return write_atomic(out, data, replace=replace)
    except FileExistsError:
        raise Invalid(_("{path} already exists; nothing was written").format(path=out)) from None
    except OSError as exc:
        raise Invalid(_("could not write {path}: {reason}").format(
            path=out, reason=exc.strerror or type(exc).__name__)) from None


def survivor_copy(ws: Workspace, ref: str, out: Path, password: str, *,
                  replace: bool = True) -> tuple[Path, str]:
    refuse_output_in_store(out, ws.data_dir)
    detail = ws.case_detail(ref)
    audit = ws.audit_events(ref)
    titles = {d.id: d.title for d in ws.destinations.items}
    document = build_survivor_copy(
        detail, audit, date=dt.date.today().isoformat(), destination_titles=titles,
        worker_only=frozenset(s.id for s in ws.checklist.steps if s.worker_only))
    sha = _write_pdf(document, out, password, replace)
    ws.store.audit("survivor-copy", detail.case_id, f"sha256={sha}")
    return out, sha


