"""Settings › Sync: enrol this laptop with the organisation's hub, or see the enrolment.

Not enrolled: "Not set up", the hub's address and the one-time code from the IT lead. The
exchange runs on a worker; then the organisation key's fingerprint is shown to compare with
the IT lead's, and only "The fingerprints match" keeps the enrolment (anything else keeps
nothing). Enrolled: the hub, this device, the fingerprint, the last sync, cases per state.
Enrolment takes effect at once (it is not part of Settings' Save).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from firstcontact.app.errors import USER_ERRORS
from firstcontact.i18n import _
from firstcontact.ui.common import error_style, heading, named, wrapped
from firstcontact.ui.errors import report_unexpected
from firstcontact.ui.labels import local_time
from firstcontact.ui.work import Workers

if TYPE_CHECKING:
    from firstcontact.app.sync import PendingEnrolment
    from firstcontact.app.workspace import Workspace


class SyncPage(QWidget):
    enrolled = Signal()  # the enrolment was kept: the main window shows Sync now

    def __init__(self, ws: Workspace, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync-page")
        self.ws = ws
        self.workers = workers
        self.pending: PendingEnrolment | None = None
        layout = QVBoxLayout(self)
        self.state = wrapped("", parent=self)
        self.state.setObjectName("sync-state")
        layout.addWidget(self.state)

        self.details = QWidget(self)
        details = QFormLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        self.detail_labels: dict[str, QLabel] = {}
        for key, title in (("hub", _("Hub:")), ("device", _("This device:")),
                           ("fingerprint", _("Organisation key fingerprint:")),
                           ("last", _("Last sync:")), ("cases", _("Cases:"))):
            value = wrapped("", parent=self.details)
            value.setObjectName(f"sync-{key}")
            self.detail_labels[key] = value
            details.addRow(title, value)
        layout.addWidget(self.details)

        self.enrol_box = QWidget(self)
        form = QFormLayout(self.enrol_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.url = named(QLineEdit(self.enrol_box), _("Hub address"),
                         _("The address your IT lead gave you, e.g. https://hub.example.org"))
        self.url.setPlaceholderText("https://hub.example.org")
        self.code = named(QLineEdit(self.enrol_box), _("One-time code"),
                          _("The code from your IT lead; dashes and spaces do not matter"))
        self.code.setPlaceholderText("ABCD-EFGH-JKMN-PQRS")
        url_label = QLabel(_("Hub &address:"), self.enrol_box)
        url_label.setBuddy(self.url)
        code_label = QLabel(_("One-time co&de:"), self.enrol_box)
        code_label.setBuddy(self.code)
        form.addRow(url_label, self.url)
        form.addRow(code_label, self.code)
        self.enrol_button = named(QPushButton(_("Enrol t&his laptop")), _("Enrol this laptop"))
        self.enrol_button.setAutoDefault(False)
        self.enrol_button.clicked.connect(self.enrol)
        form.addRow("", self.enrol_button)
        layout.addWidget(self.enrol_box)

        self.confirm_box = QWidget(self)
        confirm = QVBoxLayout(self.confirm_box)
        confirm.setContentsMargins(0, 0, 0, 0)
        self.fingerprint = wrapped("", parent=self.confirm_box)
        confirm.addWidget(self.fingerprint)
        self.fingerprint_value = heading("", 1.15, parent=self.confirm_box)
        self.fingerprint_value.setObjectName("sync-fingerprint")
        self.fingerprint_value.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        confirm.addWidget(self.fingerprint_value)
        self.fingerprint_after = wrapped(_("If they differ, keep nothing and tell your IT "
                                           "lead."), parent=self.confirm_box)
        confirm.addWidget(self.fingerprint_after)
        row = QHBoxLayout()
        self.accept_button = named(QPushButton(_("The fingerprints &match")),
                                   _("The fingerprints match: keep the enrolment"))
        self.decline_button = named(QPushButton(_("Different: &keep nothing")),
                                    _("The fingerprints differ: keep nothing"))
        for button in (self.accept_button, self.decline_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        confirm.addLayout(row)
        self.accept_button.clicked.connect(self.accept)
        self.decline_button.clicked.connect(self.decline)
        layout.addWidget(self.confirm_box)

        self.message = wrapped("", parent=self, selectable=False)
        self.message.setObjectName("sync-message")
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.show_state()

    # -- what is shown -------------------------------------------------------------------------
    def show_state(self) -> None:
        status = self.ws.sync.status()
        self.confirm_box.setVisible(self.pending is not None)
        self.enrol_box.setVisible(not status.enrolled and self.pending is None)
        self.details.setVisible(status.enrolled)
        if self.pending is not None:
            self.state.setText(_("Not set up yet: the hub answered."))
            return
        if not status.enrolled:
            self.state.setText(_("Not set up: this laptop is not enrolled with your "
                                 "organisation's hub, so cases stay on this laptop only. To "
                                 "enrol, type the hub's address and the one-time code your IT "
                                 "lead gave you."))
            return
        last = local_time(status.last_sync_at) if status.last_sync_at else _("never")
        if status.last_sync_at and isinstance(status.last_result, dict) \
                and "error" in status.last_result:
            last = _("{when} (did not finish: {code})").format(
                when=last, code=status.last_result["error"])
        counts = status.cases
        if status.stopped_words:  # revoked or retired: said first, in words
            self.state.setText(status.stopped_words)
        elif status.role == "supervisor":
            self.state.setText(_("Enrolled as a supervisor: Sync now also pulls the workers' "
                                 "cases for review."))
        else:
            self.state.setText(_("Enrolled: this laptop's cases go, sealed, to your "
                                 "organisation's hub."))
        values = {
            "hub": status.hub_url or "",
            "device": _("{id} ({worker}, {role})").format(
                id=status.device_id, worker=status.worker, role=status.role),
            "fingerprint": status.org_fingerprint or "",
            "last": last,
            "cases": _("{synced} synced, {pending} pending, {attention} need attention").format(
                synced=counts.get("synced", 0), pending=counts.get("pending", 0),
                attention=counts.get("attention", 0))}
        for key, text in values.items():
            self.detail_labels[key].setText(text)
            self.detail_labels[key].setAccessibleName(text)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        if error:
            error_style(self.message)
        else:
            self.message.setStyleSheet("")

    # -- enrolling -----------------------------------------------------------------------------
    def enrol(self) -> None:
        url, code = self.url.text().strip(), self.code.text().strip()
        if not url or not code:
            self._say(_("Type the hub's address and the one-time code."), error=True)
            return
        self.enrol_button.setEnabled(False)
        self._say(_("Asking the hub…"))
        sync = self.ws.sync
        self.workers.run(lambda: sync.enrol(url, code), self._granted, self._failed,
                         policy="cancel")

    def _granted(self, pending: Any) -> None:
        self.pending = pending
        self.enrol_button.setEnabled(True)
        self.code.clear()
        self.fingerprint.setText(_(
            "The hub {url} enrolled this laptop for {worker}. Nothing is kept until you "
            "accept: first compare the organisation key's fingerprint with the one your IT "
            "lead gave you, group by group:").format(url=pending.hub_url,
                                                      worker=pending.worker))
        self.fingerprint_value.setText(pending.org_fingerprint)
        self.fingerprint_value.setAccessibleName(_("Organisation key fingerprint: {fp}").format(
            fp=pending.org_fingerprint))
        self._say("")
        self.show_state()
        self.accept_button.setFocus()

    def _failed(self, exc: Exception) -> None:
        self.enrol_button.setEnabled(True)
        if isinstance(exc, USER_ERRORS):
            self._say(exc.message, error=True)
        else:
            report_unexpected(exc, "sync enrolment")
            self._say(_("Enrolment failed; nothing was kept."), error=True)

    def accept(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        try:
            notice = self.ws.sync.accept(pending)
        except USER_ERRORS as exc:
            self._say(exc.message, error=True)
            self.show_state()
            return
        self.show_state()
        self._say(" ".join(t for t in (_("Enrolled. Your cases go to the hub with the next "
                                         "sync."), notice or "") if t))
        self.enrolled.emit()

    def decline(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        try:
            self.ws.sync.decline(pending)
        except USER_ERRORS as exc:
            self._say(exc.message, error=True)
        else:
            self._say(_("Nothing was kept. Tell your IT lead the fingerprints differed, and "
                        "ask for a new code."))
        self.show_state()
