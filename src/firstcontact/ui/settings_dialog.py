"""Settings: the idle time before auto-lock, the worker profile, the default nation, keeping
data (General); enrolment with the organisation's hub (Sync)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from firstcontact.app.errors import USER_ERRORS
from firstcontact.app.profile import NATIONS, PUBLIC_AUTHORITIES
from firstcontact.i18n import N_, _, environment_language, language_name, ngettext
from firstcontact.ui.common import (
    error_style,
    form_layout,
    heading,
    named,
    neutral_title,
    wrapped,
)
from firstcontact.ui.errors import report_unexpected
from firstcontact.ui.interview.list_editor import searchable_combo
from firstcontact.ui.sync_page import SyncPage
from firstcontact.ui.work import Workers

if TYPE_CHECKING:
    from firstcontact.app.settings import RetentionRun
    from firstcontact.app.workspace import Workspace

NATION_LABELS = {"england": N_("England"), "wales": N_("Wales"), "scotland": N_("Scotland"),
                 "northern-ireland": N_("Northern Ireland")}


class SettingsDialog(QDialog):
    saved = Signal()
    wipe_confirmed = Signal()  # the worker confirmed the emergency wipe
    sync_changed = Signal()  # this laptop was enrolled with a hub

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *,
                 workers: Workers | None = None) -> None:
        super().__init__(parent)
        self.workers = workers if workers is not None else Workers(self)
        neutral_title(self)
        self.setObjectName("settings-dialog")
        self.ws = ws
        outer = QVBoxLayout(self)
        outer.addWidget(heading(_("Settings")))
        self.tabs = named(QTabWidget(self), _("Settings"))
        # the general tab scrolls when the screen is short (a laptop, a long translation):
        # its rows are never squeezed
        scroller = QScrollArea(self.tabs)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        general = QWidget(scroller)
        layout = QVBoxLayout(general)
        scroller.setWidget(general)
        self.tabs.addTab(scroller, _("&General"))
        outer.addWidget(self.tabs)

        screens = QGroupBox(_("Language"), self)
        screens_form = form_layout(screens)
        self.language = named(QComboBox(screens), _("Language of the screens"),
                               _("The app's own words; referral packs are always in English"))
        self.language.setObjectName("screen-language")
        self.language.addItem(_("As the system ({name})").format(
            name=language_name(environment_language())), "")
        for code, name in ws.settings.languages():
            self.language.addItem(name, code)
        screens_form.addRow(_("L&anguage of the screens:"), self.language)
        layout.addWidget(screens)

        safety = QGroupBox(_("Safety"), self)
        safety_form = form_layout(safety)
        self.idle_minutes = named(QSpinBox(safety), _("Lock after this many idle minutes"))
        self.idle_minutes.setRange(1, 120)
        self.idle_minutes.setSuffix(" " + _("min"))
        safety_form.addRow(_("&Lock when idle for:"), self.idle_minutes)
        layout.addWidget(safety)

        profile = QGroupBox(_("Your details (used in every referral)"), self)
        form = form_layout(profile)
        self.first_name = named(QLineEdit(profile), _("First name"))
        self.last_name = named(QLineEdit(profile), _("Last name"))
        self.role = named(QLineEdit(profile), _("Role"))
        self.phone = named(QLineEdit(profile), _("Phone"))
        self.email = named(QLineEdit(profile), _("Email"))
        organisations = QStringListModel(list(ws.checklist.lists.get("organisations", ())), self)
        self.organisation = searchable_combo(organisations, _("Organisation"), profile)
        self.nation = named(QComboBox(profile), _("Nation you work in"))
        self.nation.addItem(_("Not set"), "")
        for nation in NATIONS:
            self.nation.addItem(_(NATION_LABELS.get(nation, nation)), nation)
        form.addRow(_("&First name:"), self.first_name)
        form.addRow(_("Last &name:"), self.last_name)
        form.addRow(_("&Role:"), self.role)
        form.addRow(_("&Phone:"), self.phone)
        form.addRow(_("&Email:"), self.email)
        self.public_authority = named(
            QComboBox(profile), _("Is your organisation a specified public authority?"),
            _("Only specified public authorities in England and Wales have the Duty to Notify"))
        self.public_authority.addItem(_("Not said yet"), "")
        for kind, label in PUBLIC_AUTHORITIES.items():
            self.public_authority.addItem(_(label), kind)
        form.addRow(_("&Organisation:"), self.organisation)
        form.addRow(_("Public a&uthority (Duty to Notify):"), self.public_authority)
        form.addRow(_("Na&tion (default for new cases):"), self.nation)
        layout.addWidget(profile)

        data = QGroupBox(_("Keeping data"), self)
        data_form = form_layout(data)
        self.retention_days = named(QSpinBox(data),
                                    _("Erase closed cases after this many days; 0 is off"))
        self.retention_days.setRange(0, 3650)
        self.retention_days.setSpecialValueText(_("Off (keep until deleted)"))
        self.retention_days.setSuffix(" " + _("days"))
        data_form.addRow(_("Erase &closed cases after:"), self.retention_days)
        self.wipe_button = named(QPushButton(_("Emergency &wipe…")),
                                 _("Emergency wipe: destroy every case on this computer"))
        self.wipe_button.setAutoDefault(False)
        self.wipe_button.clicked.connect(self.ask_wipe)
        data_form.addRow(wrapped(_("Destroys the keys, then every file: all cases on this "
                                   "computer, including any not yet synced, are lost."),
                                 parent=data), self.wipe_button)
        layout.addWidget(data)

        self.sync_page = SyncPage(ws, self.workers, self.tabs)
        self.sync_page.enrolled.connect(self.sync_changed)
        self.tabs.addTab(self.sync_page, _("S&ync"))

        self.message = wrapped("", parent=self, selectable=False)
        error_style(self.message)
        outer.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = named(QPushButton(_("&Save")), _("Save settings"))
        self.save_button.setDefault(True)
        self.cancel_button = named(QPushButton(_("Cancel")), _("Cancel"))
        self.cancel_button.setAutoDefault(False)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        outer.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self._load()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        # as big as the general tab needs, as far as the screen allows (past that, it scrolls)
        hint = general.sizeHint()
        bar = scroller.verticalScrollBar().sizeHint().width()
        screen = self.screen()
        room = screen.availableGeometry().size() if screen is not None else None
        scroller.setMinimumHeight(min(hint.height(), room.height() * 2 // 3 if room else 500))
        wanted_width = max(self.sizeHint().width(), hint.width() + bar + 4 * outer.spacing())
        if room is not None:  # whole on a large screen; on a small one, as much as fits
            self.resize(min(wanted_width, room.width() * 19 // 20),
                        min(self.sizeHint().height(), room.height() * 9 // 10))

    def show_sync(self) -> None:
        """Opened at Settings › Sync."""
        self.tabs.setCurrentWidget(self.sync_page)
        self.sync_page.url.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_profile(self) -> None:
        """Opened to add the worker's details: start at the first one still empty."""
        self.tabs.setCurrentIndex(0)
        edits = (self.first_name, self.last_name, self.role, self.phone, self.email)
        empty = next((e for e in edits if not e.text().strip()), None)
        target: QWidget = empty if empty is not None else self.organisation
        if empty is None and self.organisation.currentText().strip() \
                and not self.public_authority.currentData():
            target = self.public_authority  # the Duty to Notify waits for this answer
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _load(self) -> None:
        prefs = self.ws.settings.preferences()
        self.idle_minutes.setValue(max(1, min(120, round(prefs.idle_lock_seconds / 60))))
        self.language.setCurrentIndex(max(0, self.language.findData(prefs.language)))
        p = self.ws.settings.profile()
        self.first_name.setText(p.first_name)
        self.last_name.setText(p.last_name)
        self.role.setText(p.role)
        self.phone.setText(p.phone)
        self.email.setText(p.email)
        self.organisation.setEditText(p.organisation)
        self.nation.setCurrentIndex(max(0, self.nation.findData(p.nation)))
        self.public_authority.setCurrentIndex(max(0, self.public_authority.findData(
            p.public_authority)))
        self.retention_days.setValue(self.ws.settings.retention_days() or 0)

    def save(self) -> None:
        try:
            self.ws.settings.set_profile(
                first_name=self.first_name.text(), last_name=self.last_name.text(),
                role=self.role.text(), phone=self.phone.text(), email=self.email.text(),
                organisation=self.organisation.currentText(),
                nation=str(self.nation.currentData() or ""),
                public_authority=str(self.public_authority.currentData() or ""))
            self.ws.settings.save_preferences(idle_lock_seconds=self.idle_minutes.value() * 60.0,
                                              language=str(self.language.currentData() or ""))
            days = self.retention_days.value() or None
            changed = days != self.ws.settings.retention_days()
            if changed:
                self.ws.settings.set_retention_days(days)
        except USER_ERRORS as exc:
            self.message.setText(exc.message)
            return
        if not changed or days is None:
            self._done()
            return
        # erasing old closed cases rewrites the file (VACUUM): off the GUI thread
        self.save_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(_("Erasing closed cases past the retention period…"))
        self.workers.run(self.ws.settings.apply_retention, self._retention_applied, self._failed,
                         policy="finish")

    def _retention_applied(self, run: RetentionRun) -> None:
        if not run.kept_unsynced:
            self._done()
            return
        # said before closing: these cases are not erased yet, and why
        self.save_button.setEnabled(True)
        self.message.setText(ngettext(
            "Saved. {n} closed case past the retention period is kept until your "
            "organisation's hub has its latest changes (sync first).",
            "Saved. {n} closed cases past the retention period are kept until your "
            "organisation's hub has their latest changes (sync first).",
            run.kept_unsynced).format(n=run.kept_unsynced))
        self.saved.emit()

    def _done(self) -> None:
        self.message.setText("")
        self.saved.emit()
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        error_style(self.message)
        if isinstance(exc, USER_ERRORS):
            self.message.setText(exc.message)
        else:
            report_unexpected(exc)
            self.message.setText(_("The retention period is saved, but erasing old cases "
                                   "failed; it is tried again at the next unlock."))

    def ask_wipe(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, _("Emergency wipe"),
                          _("Destroy every case on this computer now? Cases not yet synced to "
                            "your organisation will be lost for good. This cannot be undone."),
                          QMessageBox.StandardButton.Cancel, self)
        neutral_title(box)
        wipe = box.addButton(_("Wipe everything"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.confirm_box = box
        box.finished.connect(lambda _r: self._wipe_answered(box.clickedButton() is wipe))
        box.open()

    def _wipe_answered(self, confirmed: bool) -> None:
        if confirmed:
            self.wipe_confirmed.emit()
            self.reject()
