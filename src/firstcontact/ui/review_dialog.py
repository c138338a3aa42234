"""A supervisor's review of a pulled case: the case record read-only (every answered step,
consent, the BE2 coverage, notes), two versions side by side when they clash (and which
stands), the reviews so far, and the review actions — a note, "signed off", "needs changes" —
and the export of a referral pack from the copy.

Sealing a review (encryption to the organisation and the owner) runs on the app's workers.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from firstcontact.app.errors import USER_ERRORS
from firstcontact.app.review_words import state_words
from firstcontact.i18n import _
from firstcontact.ui import labels
from firstcontact.ui.common import heading, named, neutral_title, wrapped
from firstcontact.ui.errors import report_unexpected
from firstcontact.ui.work import Workers

if TYPE_CHECKING:
    from firstcontact.app.review import ReviewDetail
    from firstcontact.app.workspace import Workspace


def record_html(detail: ReviewDetail) -> str:
    """The pulled case as one read-only page (escaped: the worker's words are text)."""
    e = html.escape
    d = detail.case
    out = [f"<h3>{e(d.reference)}</h3>"]
    for stage in d.stages:
        out.append(f"<h4>{e(stage.title)} ({stage.done}/{stage.total})</h4>")
        for step in stage.steps:
            out.append(f"<p><b>{e(step.title)}</b>"
                       + (f" — {e(_('not possible now'))}: {e(step.skip_reason)}"
                          if step.skip_reason else "") + "</p>")
            if step.answers:
                out.append("<ul>" + "".join(f"<li>{e(a.label)}: {e(a.display)}</li>"
                                            for a in step.answers) + "</ul>")
    if d.consents:
        out.append(f"<h4>{e(_('Consent'))}</h4><ul>")
        out += [f"<li>{e(c.destination)}: {e(c.state)} ({e(c.explained_by)}, "
                f"{e(labels.local_time(c.recorded_at))})</li>" for c in d.consents]
        out.append("</ul>")
    out.append(f"<h4>{e(_('Criteria coverage (SFJ BE2)'))}</h4><ul>")
    for cov in d.coverage:
        why = cov.missing if cov.status == "open" else cov.reasons
        out.append(f"<li>{e(cov.id)} {e(cov.status)}"
                   + (f" — {e('; '.join(why))}" if why else "") + "</li>")
    out.append("</ul>")
    if d.notes:
        out.append(f"<h4>{e(_('Notes'))}</h4><ul>")
        out += [f"<li>{e(labels.local_time(n.created_at))} [{e(n.kind)}] {e(n.text)}</li>"
                for n in d.notes]
        out.append("</ul>")
    return "".join(out)


class ReviewDialog(QDialog):
    """One pulled case under review. ``export_requested``: open the export dialog for it."""

    export_requested = Signal(str)  # reference
    interview_requested = Signal(str)  # reference: the interview screens, read-only
    changed = Signal()  # a review was kept (the case list's badge moves)

    def __init__(self, ws: Workspace, reference: str, *, parent: QWidget | None = None,
                 workers: Workers | None = None) -> None:
        super().__init__(parent)
        neutral_title(self)
        self.setObjectName("review-dialog")
        self.ws = ws
        self.reference = reference
        self.workers = workers if workers is not None else Workers(self)
        layout = QVBoxLayout(self)
        self.title = heading("")
        layout.addWidget(self.title)
        self.state = wrapped("")
        self.state.setObjectName("review-state")
        layout.addWidget(self.state)

        self.conflict = QWidget()
        box = QVBoxLayout(self.conflict)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(wrapped(_("Two versions of this case reached the hub (a change made on an "
                                "older copy, or after a backup was restored). Nothing was "
                                "chosen for you: compare them and keep one. Consent records "
                                "from both are kept, so a withdrawal always stands.")))
        self.differences = named(QTableWidget(0, 3), _("Differences between the versions"))
        self.differences.setHorizontalHeaderLabels(
            [_("Item"), _("Version standing now"), _("The other version")])
        self.differences.horizontalHeader().setStretchLastSection(True)
        box.addWidget(self.differences)
        keep_row = QHBoxLayout()
        self.keep_current = named(QPushButton(_("Keep the &current version")),
                                  _("Keep the current version"))
        self.keep_other = named(QPushButton(_("Keep the o&ther version")),
                                _("Keep the other version"))
        keep_row.addWidget(self.keep_current)
        keep_row.addWidget(self.keep_other)
        keep_row.addStretch(1)
        box.addLayout(keep_row)
        layout.addWidget(self.conflict)

        self.record = named(QTextBrowser(), _("The case record (read-only)"))
        self.record.setOpenLinks(False)
        layout.addWidget(self.record, 3)
        layout.addWidget(QLabel(_("Reviews")))
        self.reviews = named(QTextBrowser(), _("Reviews so far"))
        layout.addWidget(self.reviews, 1)
        note_label = QLabel(_("&Note for the worker:"))
        self.note = named(QPlainTextEdit(), _("Note for the worker"))
        self.note.setTabChangesFocus(True)
        note_label.setBuddy(self.note)
        layout.addWidget(note_label)
        # a few lines: the record above is what the supervisor reads, and gets the room
        self.note.setMaximumHeight(self.note.fontMetrics().lineSpacing() * 5)
        layout.addWidget(self.note)
        buttons = QHBoxLayout()
        self.note_button = named(QPushButton(_("A&dd note")), _("Add note"))
        self.sign_off_button = named(QPushButton(_("&Sign off")), _("Sign off"))
        self.changes_button = named(QPushButton(_("Needs c&hanges")), _("Needs changes"))
        self.export_button = named(QPushButton(_("&Export a pack…")), _("Export a pack"))
        self.interview_button = named(QPushButton(_("&Interview screens…")),
                                      _("Interview screens"),
                                      _("The case in the interview's own screens, read-only"))
        self.close_button = named(QPushButton(_("Close")), _("Close"))
        for b in (self.note_button, self.sign_off_button, self.changes_button,
                  self.export_button, self.interview_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        handover = QHBoxLayout()
        self.handover_button = named(QPushButton(_("Hand &over…")), _("Hand over"),
                                     _("Move the case to another worker's laptop (the note "
                                       "goes with it)"))
        self.handover_to = named(QComboBox(), _("Worker to hand the case to"))
        self.handover_confirm = named(QPushButton(_("Hand over to this &worker")),
                                      _("Hand over to this worker"))
        handover.addWidget(self.handover_button)
        handover.addWidget(self.handover_to, 1)
        handover.addWidget(self.handover_confirm)
        layout.addLayout(handover)
        self.handover_to.hide()
        self.handover_confirm.hide()
        self.message = wrapped("")
        self.message.setObjectName("review-message")
        layout.addWidget(self.message)

        self.note_button.clicked.connect(lambda: self._act("note"))
        self.sign_off_button.clicked.connect(lambda: self._act("signed-off"))
        self.changes_button.clicked.connect(lambda: self._act("needs-changes"))
        self.keep_current.clicked.connect(lambda: self._act("keep-current"))
        self.keep_other.clicked.connect(lambda: self._act("keep-other"))
        self.export_button.clicked.connect(lambda: self.export_requested.emit(self.reference))
        self.interview_button.clicked.connect(
            lambda: self.interview_requested.emit(self.reference))
        self.close_button.clicked.connect(self.accept)
        self.handover_button.clicked.connect(self._find_workers)
        self.handover_confirm.clicked.connect(lambda: self._act("hand-over"))
        self.resize(self.fontMetrics().averageCharWidth() * 110,
                    self.fontMetrics().lineSpacing() * 40)
        self.refresh()

    def refresh(self) -> None:
        try:
            detail = self.ws.review.show(self.reference)
        except USER_ERRORS as exc:
            self.message.setText(exc.message)
            return
        self.detail = detail
        self.title.setText(_("Review: {ref}").format(ref=detail.case.reference))
        self.state.setText(_("Case of {owner}, revision {n}: {state}").format(
            owner=detail.owner, n=detail.revision, state=state_words(detail.state)))
        self.conflict.setVisible(detail.parallel is not None)
        self.differences.setRowCount(len(detail.differences))
        for row, diff in enumerate(detail.differences):
            for col, text in enumerate((diff.label, diff.current or "—", diff.other or "—")):
                self.differences.setItem(row, col, QTableWidgetItem(text))
        waiting = detail.parallel is not None
        self.sign_off_button.setEnabled(not waiting)
        self.changes_button.setEnabled(not waiting)
        self.record.setHtml(record_html(detail))
        self.reviews.setHtml("".join(
            f"<p>{html.escape(r.words)}" + (f": {html.escape(r.note)}" if r.note else "")
            + "</p>" for r in detail.reviews) or html.escape(_("No reviews yet.")))

    def _act(self, action: str) -> None:
        ws, ref, note = self.ws, self.reference, self.note.toPlainText()
        target = str(self.handover_to.currentData() or "")

        def work() -> Any:
            if action == "note":
                return ws.review.note(ref, note)
            if action == "signed-off":
                return ws.review.sign_off(ref, note)
            if action == "needs-changes":
                return ws.review.needs_changes(ref, note)
            if action == "hand-over":
                return ws.review.hand_over(ref, target, note)
            return ws.review.resolve(ref, action.removeprefix("keep-"), note)

        for b in (self.note_button, self.sign_off_button, self.changes_button,
                  self.keep_current, self.keep_other):
            b.setEnabled(False)
        self.workers.run(work, self._done, self._failed, policy="finish")

    def _find_workers(self) -> None:
        """Ask the hub which workers' laptops the case may go to (on a worker thread)."""
        ws, ref = self.ws, self.reference
        self.handover_button.setEnabled(False)
        self.message.setText(_("Asking the hub for the workers' laptops…"))

        def shown(targets: list[tuple[str, str]]) -> None:
            self.handover_button.setEnabled(True)
            self.handover_to.clear()
            for device_id, worker in targets:
                self.handover_to.addItem(f"{worker} ({device_id[:8]})", device_id)
            self.handover_to.setVisible(bool(targets))
            self.handover_confirm.setVisible(bool(targets))
            self.message.setText("" if targets else _("No other worker's laptop is enrolled."))

        self.workers.run(lambda: ws.review.handover_targets(ref), shown, self._failed,
                         policy="cancel")

    def _done(self, view: Any) -> None:
        self.note.clear()
        self.handover_to.hide()
        self.handover_confirm.hide()
        self.message.setText(_("Kept: {words}. It goes to the worker at the next sync.")
                             .format(words=view.words))
        self.note_button.setEnabled(True)
        self.keep_current.setEnabled(True)
        self.keep_other.setEnabled(True)
        self.refresh()
        self.changed.emit()

    def _failed(self, exc: Exception) -> None:
        self.handover_button.setEnabled(True)
        self.note_button.setEnabled(True)
        self.keep_current.setEnabled(True)
        self.keep_other.setEnabled(True)
        self.refresh()
        if isinstance(exc, USER_ERRORS):
            self.message.setText(_("Not done: {reason}").format(reason=exc.message))
        else:
            self.message.setText(_("Not done: something went wrong"))
            report_unexpected(exc, "review")
