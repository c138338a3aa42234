"""Referral packs: the completeness gate, the document, the encrypted PDF, the export kept with
the case and audited with its SHA-256; and the survivor copy.

Writing is split so the slow part can run off the GUI thread: :meth:`Packs.prepare_export`
(quick, reads the store) → :func:`write_document` (render, encrypt, write: touches no store) →
:meth:`Packs.record_written` (keeps it with the case). :meth:`Packs.export` does all three.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from firstcontact import dates
from firstcontact.app.case_commands import CaseCommands
from firstcontact.app.case_queries import CaseQueries
from firstcontact.app.context import Context
from firstcontact.app.errors import Invalid, NotFound
from firstcontact.app.pdf_password import check_pdf_password
from firstcontact.app.person_texts import (
    PersonLanguage,
    language_of,
    person_language,
    person_languages,
    person_texts,
    texts_for_person,
)
from firstcontact.app.settings import Settings
from firstcontact.app.survivor_copy import (
    CopySafety,
    LetterInputs,
    SharedRecord,
    build_survivor_copy,
    safe_addresses,
)
from firstcontact.domain.case import CaseState
from firstcontact.domain.conditions import is_present
from firstcontact.i18n import ENGLISH, _, ngettext, using
from firstcontact.referral.check import PackCheck, PackInputs, check_pack
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
from firstcontact.safe_files import write_private_atomic
from firstcontact.store import records
from firstcontact.store.paths import refuse_output_in_store


@dataclass(frozen=True)
class ExportOutcome:
    check: PackCheck
    written: Path | None
    sha256: str | None


@dataclass(frozen=True)
class PreparedExport:
    """A complete pack's document, ready to render off the GUI thread."""

    reference: str
    destination: str
    service_id: str | None
    check: PackCheck
    document: PackDocument


def write_document(document: PackDocument, out: Path, password: str, *,
                   replace: bool = True) -> str:
    """Render, encrypt and write atomically (slow; no store: safe on a worker thread).
    Returns the file's SHA-256. ``replace=False`` refuses an existing ``out``."""
    check_pdf_password(password)
    data = encrypt_pdf(render_pdf(document), password)
    try:
        write_private_atomic(out, data, replace=replace)
    except FileExistsError:
        raise Invalid(_("{path} already exists; nothing was written").format(path=out)) from None
    except OSError as exc:
        raise Invalid(_("could not write {path}: {reason}").format(
            path=out, reason=exc.strerror or type(exc).__name__)) from None
    return hashlib.sha256(data).hexdigest()


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


class Packs:
    def __init__(self, ctx: Context, queries: CaseQueries, cases: CaseCommands,
                 settings: Settings) -> None:
        self._ctx = ctx
        self._queries = queries
        self._cases = cases
        self._settings = settings

    def check_output(self, out: Path) -> None:
        """Refuse an output inside the data directory (or another name for one of its files):
        writing there could destroy the store."""
        refuse_output_in_store(out, self._ctx.data_dir)

    def inputs(self, case: records.CaseRow, service_id: str | None) -> PackInputs:
        return self._ctx.pack_inputs(
            case, self._settings.service(service_id) if service_id else None)

    def author(self) -> Author:
        p = self._settings.profile()
        return Author(p.display_name, p.organisation, p.phone, p.email)

    # -- checking ------------------------------------------------------------------------------
    def check(self, ref: str, destination: str, service_id: str | None = None) -> PackCheck:
        dest = self._ctx.destinations.get(destination)
        if dest is None:
            raise NotFound(_("no destination '{d}'; destinations: {all}").format(
                d=destination, all=", ".join(self._ctx.destinations.ids())))
        case = self._queries.find(ref)
        return check_pack(self._ctx.interview, self._ctx.destinations, dest,
                          self._queries.state(case.id), self.inputs(case, service_id))

    def check_for_export(self, ref: str, destination: str,
                         service_id: str | None) -> PackCheck:
        """The completeness check, plus a notice for characters the PDF cannot draw."""
        result = self.check(ref, destination, service_id)
        if result.refusals:
            return result
        notice = glyph_notice(self.document(ref, result, service_id))
        return replace(result, notices=(*result.notices, notice)) if notice else result

    # -- the document --------------------------------------------------------------------------
    def document(self, ref: str, check: PackCheck, service_id: str | None) -> PackDocument:
        """The document a complete pack would hold (nothing is written), in English whatever
        the screen's language: the receiving services work in English, and the NRM and Duty to
        Notify forms are the Home Office's, in English."""
        with using(ENGLISH):
            return self._document(ref, check.destination.id, service_id)

    def _document(self, ref: str, destination: str, service_id: str | None) -> PackDocument:
        check = self.check(ref, destination, service_id)  # in the pack's own words
        case = self._queries.find(ref)
        data = self._queries.data(case.id)
        state, history = self._queries.state_with_history(case.id)
        inputs = self.inputs(case, service_id)
        if check.destination.whole_record:
            extras = RecordExtras(
                consent_history=history,
                notes=tuple((n.created_at, n.kind, n.text) for n in data.notes),
                exports=tuple((e.destination, e.exported_at, e.sha256) for e in data.exports))
            return build_case_record(self._ctx.interview, self._ctx.destinations,
                                     check.destination, state, inputs, extras,
                                     author=self.author())
        return build_document(self._ctx.interview, self._ctx.destinations, check.destination,
                              state, inputs, notices=check.printed, author=self.author())

    # -- exporting -----------------------------------------------------------------------------
    def prepare_export(self, ref: str, destination: str,
                       service_id: str | None) -> PreparedExport | ExportOutcome:
        """The completeness gate and the document (quick: reads the store). An incomplete or
        forbidden pack is refused here, audited, and nothing more happens."""
        result = self.check(ref, destination, service_id)
        case = self._queries.find(ref)
        if not result.complete:
            why = "refused" if result.refusals else "incomplete"
            self._ctx.store.audit("export-refused", case.id,
                                  f"destination={destination} reason={why}")
            return ExportOutcome(result, None, None)
        return PreparedExport(ref, destination, service_id, result,
                              self.document(ref, result, service_id))

    def record_written(self, prepared: PreparedExport, out: Path, sha: str) -> ExportOutcome:
        """Keep the written pack with the case, audited with its SHA-256."""
        self._cases.record_export(prepared.reference, prepared.destination, sha,
                                  prepared.service_id)
        return ExportOutcome(prepared.check, out, sha)

    def export(self, ref: str, destination: str, out: Path, password: str,
               service_id: str | None, *, replace: bool = True) -> ExportOutcome:
        """Check, write and record a pack in one go (the command line)."""
        self.check_output(out)
        prepared = self.prepare_export(ref, destination, service_id)
        if isinstance(prepared, ExportOutcome):
            return prepared
        sha = write_document(prepared.document, out, password, replace=replace)
        return self.record_written(prepared, out, sha)

    # -- the survivor copy ---------------------------------------------------------------------
    def _receiver(self, destination: str, service_id: str | None, state: CaseState) -> str:
        """Who received a pack: the service chosen, else the addressee named in the case."""
        if service_id:
            found = next((s for s in self._settings.services() if s.id == service_id), None)
            if found is not None:
                return found.name
        dest = self._ctx.destinations.get(destination)
        if dest is None or dest.addressee is None:
            return ""
        name = next((f for f in dest.addressee.names if is_present(state.answers.get(f))), None)
        return display_value(self._ctx.interview, name, state.answers[name]) if name else ""

    def letter_languages(self) -> tuple[PersonLanguage, ...]:
        """The languages a letter can be written in, each with its review status."""
        return person_languages()

    def letter_language(self, ref: str) -> str:
        """The person's recorded language where the letter is translated into it, else
        English: the default for their copy."""
        state = self._queries.state(self._queries.find(ref).id)
        field = self._ctx.source.consent_language_field
        return language_of(state.answers.get(field or ""))

    def survivor_document(self, ref: str, *, exploiters: bool = False,
                          language: str | None = None) -> PackDocument:
        """The letter to the person (nothing is written), in ``language`` (default: theirs,
        where there is a translation; else English)."""
        code = person_language(language or self.letter_language(ref)).code
        with using(code):  # dates and numbers in the person's language too
            return self._letter(ref, exploiters, code)

    def _letter(self, ref: str, exploiters: bool, code: str) -> PackDocument:
        case = self._queries.find(ref)
        data = self._queries.data(case.id)
        state, history = self._queries.state_with_history(case.id)
        shared = tuple(SharedRecord(e.destination, e.exported_at,
                                    self._receiver(e.destination, e.service_id, state))
                       for e in data.exports)
        profile = self._settings.profile()
        language = person_language(code)
        unreviewed: tuple[str, ...] = ()
        if not language.reviewed:  # said in their language, and in English for anyone else
            said = person_texts(self._ctx.source, code).letter.text("unreviewed")
            english = texts_for_person(self._ctx.source).letter.text("unreviewed")
            unreviewed = (said,) if said == english else (said, english)
        inputs = LetterInputs(reference=case.reference, today=dates.today(),
                              author=self.author(),
                              worker=f"{profile.first_name} {profile.last_name}".strip(),
                              shared=shared, consent_history=history,
                              audit=tuple(self._queries.audit_events(ref)),
                              exploiters=exploiters, language=code,
                              rtl=language.rtl, unreviewed=unreviewed)
        return build_survivor_copy(self._ctx.views.view(ENGLISH).interview,
                                   person_texts(self._ctx.source, code), state, inputs)

    def copy_addresses(self, ref: str) -> tuple[str, ...]:
        """Where a copy may be sent: the addresses the person confirmed safe for letters."""
        return safe_addresses(texts_for_person(self._ctx.source).letter,
                              self._queries.state(self._queries.find(ref).id))

    def record_survivor_copy(self, ref: str, sha: str, safety: CopySafety) -> None:
        """Audited with the file's SHA-256 and the safety answers, never the content."""
        self._ctx.store.audit("survivor-copy", self._queries.find(ref).id,
                              f"sha256={sha} handover={safety.handover} "
                              f"exploiters={'yes' if safety.exploiters else 'no'}")

    def survivor_copy(self, ref: str, out: Path, password: str, safety: CopySafety, *,
                      replace: bool = True, language: str | None = None) -> tuple[Path, str]:
        """Write the letter, once the worker has said how it reaches the person safely."""
        self.check_output(out)
        document = self.survivor_document(ref, exploiters=safety.exploiters, language=language)
        sha = write_document(document, out, password, replace=replace)
        self.record_survivor_copy(ref, sha, safety)
        return out, sha
