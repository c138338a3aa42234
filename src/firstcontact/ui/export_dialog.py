"""Export a referral pack (or the survivor copy) as an encrypted PDF.

The destination's completeness check decides: while a pack is incomplete or forbidden the
Export button stays disabled and the reasons are listed; what a complete pack will say of
questions not discussed is shown too. The receiving service is asked only for destinations
that name a kind of service (an empty directory says how to add one). The suggested file name
carries the case reference and the destination.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from firstcontact.app.errors import USER_ERRORS
from firstcontact.app.pdf_password import MIN_PDF_PASSWORD
from firstcontact.i18n import _
from firstcontact.referral.services import how_to_add
from firstcontact.ui.common import error_style, form_layout, heading, named, neutral_title, wrapped
from firstcontact.ui.errors import report_unexpected
from firstcontact.ui.interview.explanation_box import status_words, worker_name
from firstcontact.ui.survivor_safety import SafetyCheck
from firstcontact.ui.work import Workers

if TYPE_CHECKING:
    from firstcontact.app.views import PackCheck
    from firstcontact.app.workspace import Workspace



class ExportDialog(QDialog):
    exported = Signal(str)  # the path written

    def __init__(self, ws: Workspace, reference: str, destination: str = "", *,
                 survivor: bool = False, parent: QWidget | None = None,
                 workers: Workers | None = None) -> None:
        super().__init__(parent)
        self.workers = workers if workers is not None else Workers(self)
        neutral_title(self)
        self.setObjectName("survivor-dialog" if survivor else "export-dialog")
        self.ws = ws
        self.reference = reference
        self.survivor = survivor
        self.check: PackCheck | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("A copy for the person") if survivor
                                 else _("Export a referral pack")))
        layout.addWidget(wrapped(_(
            "The file is an encrypted PDF. Give the password to the receiver by another "
            "route (for example by phone), never in the same email.") if not survivor else _(
            "A letter to the person: what they told you, what was shared with whom, what "
            "happens next, their rights and who to contact, as an encrypted PDF. Your own "
            "notes and assessments are left out. Tell them the password yourself."),
            selectable=False))
        self.safety: SafetyCheck | None = None
        if survivor:  # asked first: no copy unless it is safe for the person to carry one
            self.safety = SafetyCheck(ws.packs.copy_addresses(reference), self)
            self.safety.changed.connect(self._update)
            layout.addWidget(self.safety)
        form = form_layout()
        self.destination = named(QComboBox(self), _("Destination"))
        for d in ws.destinations.items:
            self.destination.addItem(_(d.title), d.id)
        self.service = named(QComboBox(self), _("Receiving service"))
        self.service_label = QLabel(_("Receiving &service:"))
        self.service_label.setBuddy(self.service)
        self.no_services = wrapped("", parent=self, selectable=True)
        self.no_services.setObjectName("export-no-services")
        self.letter_language = named(QComboBox(self), _("Language of the letter"),
                                     _("The person's recorded language is chosen when the letter "
                                       "is translated into it"))
        self.letter_language.setObjectName("letter-language")
        self.letter_status = wrapped("", parent=self, selectable=False)
        self.letter_status.setObjectName("letter-translation-status")
        if survivor:  # one copy of everything: no destination (nor service, see below)
            self.destination.hide()
            self.no_services.hide()
            self._languages = {lang.code: lang for lang in ws.packs.letter_languages()}
            for lang in self._languages.values():
                self.letter_language.addItem(worker_name(lang), lang.code)
            self.letter_language.setCurrentIndex(max(0, self.letter_language.findData(
                ws.packs.letter_language(reference))))
            self.letter_language.currentIndexChanged.connect(self._language_changed)
            form.addRow(_("&Language of the letter:"), self.letter_language)
            form.addRow("", self.letter_status)
            self._language_changed()
        else:
            self.letter_language.hide()
            self.letter_status.hide()
            form.addRow(_("&Destination:"), self.destination)
            form.addRow(self.service_label, self.service)
            form.addRow("", self.no_services)
        self.password = named(QLineEdit(self), _("Password for the PDF"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = named(QLineEdit(self), _("The same password again"))
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("&Password:"), self.password)
        form.addRow(_("&Again:"), self.confirm)
        path_row = QHBoxLayout()
        self.path = named(QLineEdit(self), _("Where to save the file"))
        self.choose = named(QPushButton(_("C&hoose…"), self), _("Choose where to save"))
        self.choose.setAutoDefault(False)
        self.choose.clicked.connect(self._choose_path)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.choose)
        path_label = QLabel(_("Save &to:"))
        path_label.setBuddy(self.path)
        form.addRow(path_label, path_row)
        self._suggested = ""  # the path filled in for the worker, replaced while unedited
        self._replace_ok = ""  # an existing file the save dialog confirmed replacing
        layout.addLayout(form)
        self.reasons = wrapped("", parent=self)
        self.reasons.setObjectName("export-reasons")
        layout.addWidget(self.reasons)
        self.hint = wrapped("", parent=self, selectable=False)  # what Export still waits for
        self.hint.setObjectName("export-hint")
        layout.addWidget(self.hint)
        self.message = wrapped("", parent=self)
        error_style(self.message)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.export_button = named(QPushButton(_("E&xport") if not survivor else _("&Make copy")),
                                   _("Export") if not survivor else _("Make copy"))
        self.close_button = named(QPushButton(_("Close")), _("Close"))
        self.close_button.setAutoDefault(False)
        self.export_button.setDefault(True)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.export_button.clicked.connect(self.export)
        self.close_button.clicked.connect(self.reject)
        self.destination.currentIndexChanged.connect(self._destination_changed)
        self.service.currentIndexChanged.connect(self._recheck)
        for edit in (self.password, self.confirm, self.path):
            edit.textChanged.connect(self._update)
        self.path.textChanged.connect(lambda _t: self.message.setText(""))  # no stale warning
        self._file_dialog: QFileDialog | None = None
        if destination:
            self.destination.setCurrentIndex(max(0, self.destination.findData(destination)))
        self._destination_changed()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def _language_changed(self) -> None:
        lang = self._languages.get(str(self.letter_language.currentData()))
        words = status_words(lang) if lang is not None else ""
        self.letter_status.setText(words)
        self.letter_status.setVisible(bool(words))
        self.letter_status.setStyleSheet(
            "" if lang is None or lang.reviewed else "color: #8a4b00; font-weight: bold;")

    # -- state ---------------------------------------------------------------------------------
    def _file_stem(self) -> str:
        """The case reference and the destination: "FC-7K3P9Q-nrm"."""
        dest = "survivor-copy" if self.survivor else str(self.destination.currentData())
        return f"{self.reference}-{dest}"

    def _suggest_path(self) -> None:
        """A file in the home folder that does not exist yet (never overwrite silently)."""
        if self.path.text().strip() and self.path.text() != self._suggested:
            return  # the worker chose a path
        stem = self._file_stem()
        candidate, n = Path.home() / f"{stem}.pdf", 1
        while candidate.exists():
            n += 1
            candidate = Path.home() / f"{stem}-{n}.pdf"
        self._suggested = str(candidate)
        self.path.setText(self._suggested)

    def _destination_changed(self) -> None:
        self.message.setText("")  # what was said of the other destination no longer holds
        self._replace_ok = ""
        self._suggest_path()
        self.service.blockSignals(True)
        self.service.clear()
        dest = self.ws.destinations.get(str(self.destination.currentData() or ""))
        kind = dest.service_kind if dest is not None else None
        services = self.ws.settings.services(kind) if kind else ()
        if kind:
            self.service.addItem(_("Choose a service…"), "")
            for s in services:
                self.service.addItem(s.name, s.id)
        self.service.blockSignals(False)
        self.service.setVisible(bool(kind) and not self.survivor)
        self.service_label.setVisible(bool(kind) and not self.survivor)
        self.no_services.setText(how_to_add(self.ws.data_dir) if kind and not services else "")
        self.no_services.setVisible(bool(self.no_services.text()) and not self.survivor)
        self._recheck()

    def _recheck(self) -> None:
        if self.survivor:
            self.check = None
            self.reasons.setText("")
            self._update()
            return
        service = str(self.service.currentData() or "") or None
        try:
            self.check = self.ws.packs.check_for_export(self.reference,
                                          str(self.destination.currentData()), service)
        except USER_ERRORS as exc:
            self.check = None
            self.reasons.setText(exc.message)
            self._update()
            return
        lines: list[str] = []
        if self.check.refusals:
            lines.append(_("This pack cannot be made:"))
            lines += ["• " + _(t) for t in self.check.refusals]
        elif self.check.missing:
            lines.append(_("Not complete yet — still needed:"))
            lines += ["• " + _("{label} — {problem}").format(label=_(m.label), problem=m.problem)
                      for m in self.check.missing]
        elif self.check.not_discussed:
            lines.append(_("Will be sent as not discussed:"))
            lines += ["• " + _("{label} — “{text}”").format(label=_(label), text=text)
                      for label, text in self.check.not_discussed]
        lines += ["ℹ " + _(t) for t in self.check.notices]
        self.reasons.setText("\n".join(lines))
        self.reasons.setAccessibleName("\n".join(lines) or _("Ready to export"))
        self._update()

    def problem(self) -> str:
        """Why Export is disabled ("" when it is not)."""
        if self.check is not None and not self.check.complete:
            return _("The pack is not complete or not allowed (see above).")
        if self.safety is not None and self.safety.problem():
            return self.safety.problem()
        if len(self.password.text()) < MIN_PDF_PASSWORD:
            return _("The password needs at least {n} characters.").format(n=MIN_PDF_PASSWORD)
        if self.password.text() != self.confirm.text():
            return _("The two passwords are not the same yet.")
        if not self.path.text().strip():
            return _("Choose where to save the file.")
        return ""

    def _update(self) -> None:
        problem = self.problem()
        self.export_button.setEnabled(not problem)
        self.export_button.setToolTip(problem)
        self.export_button.setAccessibleDescription(problem)
        # the pack's own gaps are listed above; this line says what else Export waits for
        pack_ready = self.check is None or self.check.complete
        self.hint.setText(problem if pack_ready else "")
        self.hint.setVisible(bool(problem) and pack_ready)

    def _choose_path(self) -> None:
        suggested = str(Path.home() / f"{self._file_stem()}.pdf")
        dialog = QFileDialog(self, _("Save the encrypted PDF"), self.path.text() or suggested,
                             _("PDF files (*.pdf)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(self._chosen)
        dialog.finished.connect(dialog.deleteLater)
        self._file_dialog = dialog
        dialog.open()

    def _chosen(self, path: str) -> None:
        self._replace_ok = path  # the save dialog asked before replacing an existing file
        self.path.setText(path)

    # -- export --------------------------------------------------------------------------------
    def export(self) -> None:
        if self.problem():
            return
        out = Path(self.path.text().strip()).expanduser()
        if out.exists() and self.path.text() != self._replace_ok:
            self.message.setText(_("A file of that name is already there. Type another name, "
                                   "or use Choose… to replace it."))
            self.path.setFocus()
            return
        from firstcontact.app import packs

        password = self.password.text()
        try:
            self.ws.packs.check_output(out)
            if self.safety is not None:
                document = self.ws.packs.survivor_document(
                    self.reference, exploiters=self.safety.safety().exploiters,
                    language=str(self.letter_language.currentData() or "") or None)
                prepared = None
            else:
                service = str(self.service.currentData() or "") or None
                outcome = self.ws.packs.prepare_export(
                    self.reference, str(self.destination.currentData()), service)
                if isinstance(outcome, packs.ExportOutcome):
                    self.message.setText(_("Not exported: the pack is not complete."))
                    self._recheck()
                    return
                prepared, document = outcome, outcome.document
        except USER_ERRORS as exc:
            self.message.setText(exc.message)
            return
        self._busy(True)
        self.workers.run(lambda: packs.write_document(document, out, password),
                         lambda sha: self._written(prepared, out, str(sha)), self._failed,
                         policy="finish")

    def _busy(self, busy: bool) -> None:
        """While the PDF is made (off the GUI thread) the form waits; quick exit does not."""
        self.export_button.setEnabled(not busy and not self.problem())
        for widget in (self.destination, self.service, self.password, self.confirm, self.path,
                       self.choose):
            widget.setEnabled(not busy)
        if busy:
            self.message.setStyleSheet("")
            self.message.setText(_("Making the encrypted PDF…"))

    def _written(self, prepared: object, out: Path, sha: str) -> None:
        from firstcontact.app import packs

        try:
            if isinstance(prepared, packs.PreparedExport):
                self.ws.packs.record_written(prepared, out, sha)
            elif self.safety is not None:
                self.ws.packs.record_survivor_copy(self.reference, sha, self.safety.safety())
        except USER_ERRORS as exc:  # written, but the store refused to record it
            self._busy(False)
            error_style(self.message)
            self.message.setText(exc.message)
            return
        self._busy(False)
        self.password.clear()
        self.confirm.clear()
        self.hint.hide()  # done: no "needs a password" under the success message
        self.message.setStyleSheet("")
        self.message.setText(_("Saved the encrypted PDF to {path}.").format(path=out))
        self.exported.emit(str(out))

    def _failed(self, exc: Exception) -> None:
        self._busy(False)
        error_style(self.message)
        if isinstance(exc, USER_ERRORS):
            self.message.setText(exc.message)
        else:
            report_unexpected(exc)
            self.message.setText(_("The PDF could not be made; nothing was written."))
