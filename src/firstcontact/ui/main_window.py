"""The main window: the case list and the interview, a toolbar with quick exit, lock and
settings. Its title is always neutral; dialogs are opened (never exec'd) so a lock can close
everything at any moment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from firstcontact.app.errors import USER_ERRORS
from firstcontact.i18n import _, language, set_language
from firstcontact.ui.cases.case_list import CaseListPage
from firstcontact.ui.common import named, neutral_title, quick_exit_look
from firstcontact.ui.export_dialog import ExportDialog
from firstcontact.ui.interview.page import InterviewPage
from firstcontact.ui.settings_dialog import SettingsDialog
from firstcontact.ui.sync_control import SyncControl
from firstcontact.ui.work import Workers

if TYPE_CHECKING:
    from firstcontact.app.workspace import Workspace
    from firstcontact.ui.review_dialog import ReviewDialog



class MainWindow(QMainWindow):
    lock_requested = Signal()
    quick_exit_requested = Signal()
    quit_requested = Signal()
    settings_saved = Signal()
    wipe_requested = Signal()
    wiped_by_hub = Signal(str)  # the organisation's wipe order: erase the store now (why)

    def __init__(self, ws: Workspace, workers: Workers | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        neutral_title(self)
        self.setObjectName("main-window")
        self.ws = ws
        self.workers = workers if workers is not None else Workers(self)
        self._closing_for_lock = False
        self.dialog: QDialog | None = None
        # one sync control for the window's life (its timer and a push in flight outlive a
        # change of language); its button and words are put back into the rebuilt screens
        self.sync = SyncControl(ws, self.workers, self)
        self.sync.finished.connect(self._synced)
        self.sync.wiped_by_hub.connect(self.wiped_by_hub)
        self._build()
        self.resize(self.fontMetrics().averageCharWidth() * 170,
                    self.fontMetrics().lineSpacing() * 42)
        screen = self.screen()
        if screen is not None:  # most of the screen: three panes need the room
            room = screen.availableGeometry().size()
            self.resize(max(self.width(), room.width() * 9 // 10),
                        max(self.height(), room.height() * 9 // 10))

    def _build(self) -> None:
        """The toolbar, the pages and the status bar, in the worker's language now."""
        ws = self.ws
        bar = QToolBar(_("Safety"), self)
        self.toolbar = bar
        bar.setObjectName("safety-toolbar")
        bar.setMovable(False)
        self.quick_exit_button = named(QPushButton(_("Quick e&xit")), _("Quick exit"),
                                       _("Hide everything at once and lock (Esc twice, or "
                                         "Ctrl+Shift+Q)"))
        quick_exit_look(self.quick_exit_button)
        self.quick_exit_button.setToolTip(_("Hide everything and lock: Esc Esc or Ctrl+Shift+Q"))
        self.lock_button = named(QPushButton(_("Loc&k")), _("Lock"),
                                 _("Lock now; your passphrase opens it again"))
        self.settings_button = named(QPushButton(_("&Settings…")), _("Settings"))
        self.sync.retranslate()
        for b in (self.quick_exit_button, self.lock_button, self.settings_button):
            b.setAutoDefault(False)
            bar.addWidget(b)
        self.sync_action = bar.addWidget(self.sync.button)  # shown only when enrolled
        self.addToolBar(bar)
        self.quick_exit_button.clicked.connect(self.quick_exit_requested)
        self.lock_button.clicked.connect(self.lock_requested)
        self.settings_button.clicked.connect(lambda: self.open_settings())

        self.stack = QStackedWidget(self)
        self.cases = CaseListPage(ws, self.stack)
        self.interview = InterviewPage(ws, self.stack)
        self.stack.addWidget(self.cases)
        self.stack.addWidget(self.interview)
        self.setCentralWidget(self.stack)
        self.cases.open_case.connect(self.open_case)
        self.cases.open_settings.connect(lambda: self.open_settings(profile=True))
        self.interview.paused.connect(self.show_cases)
        self.interview.open_settings.connect(lambda: self.open_settings(profile=True))
        self.interview.open_export.connect(self.open_export)
        self.interview.open_survivor_copy.connect(self.open_survivor_copy)

        self.exit_hint = QLabel(_("Quick exit: Esc twice or Ctrl+Shift+Q"))
        self.statusBar().addWidget(self.exit_hint)
        self.sync_label = self.sync.label
        self.statusBar().addPermanentWidget(self.sync_label)
        self._show_sync()
        self.setTabOrder(self.quick_exit_button, self.lock_button)
        self.setTabOrder(self.lock_button, self.settings_button)

    def retranslate(self) -> None:
        """Show everything in the worker's language now, without losing the open interview:
        the pages are rebuilt from the same session (typed text that was not stored yet, drafts
        and the step shown included), and the case list keeps its search."""
        session = self.interview.session
        step = self.interview.current_step
        on_interview = self.stack.currentWidget() is self.interview and session is not None
        search = self.cases.search.text()
        if self.interview.form is not None:
            self.interview.form.close_form()
        self.sync.button.setParent(None)  # kept: the rebuilt toolbar takes it again
        self.removeToolBar(self.toolbar)
        self.toolbar.deleteLater()
        self.statusBar().removeWidget(self.exit_hint)
        self.exit_hint.deleteLater()
        self.statusBar().removeWidget(self.sync_label)
        old = self.takeCentralWidget()  # (setCentralWidget would delete it at once)
        self._build()
        for shown in (self.toolbar, self.stack, self.exit_hint, self.sync_label):
            shown.show()  # (added to a window already on screen)
        if old is not None:
            old.deleteLater()
        self.cases.search.setText(search)
        if on_interview and session is not None:
            self.interview.resume(session, step)
            self.stack.setCurrentWidget(self.interview)

    # -- pages ---------------------------------------------------------------------------------
    def show_cases(self, reference: str = "") -> None:
        """Back to the list, with the case that was open (``reference``) selected."""
        self.interview.close_case()
        self.stack.setCurrentWidget(self.cases)
        self.cases.reload()
        self.sync.refresh()  # "n cases waiting to sync" counts the changes just made
        if reference:
            self.cases.select_reference(reference)
        self.cases.table.setFocus()

    def open_case(self, reference: str, *, read_only: bool = False) -> None:
        """The interview screens (``read_only``: a pulled copy's, shown from its review);
        a supervisor's pulled copy opens its review first; a case handed over, read-only."""
        try:
            mode = self.ws.review.view_mode(self.ws.queries.find(reference).id)
        except USER_ERRORS as exc:
            self.cases.show_error(exc.message)
            return
        if mode == "review" and not read_only:
            self.open_review(reference)
            return
        try:
            self.interview.open_case(reference, read_only=read_only or mode != "edit")
        except USER_ERRORS as exc:  # e.g. the disk refused the "opened" audit entry
            self.interview.close_case()
            self.cases.show_error(exc.message)
            return
        self.stack.setCurrentWidget(self.interview)

    def flush(self) -> None:
        """Save whatever is waiting for its typing pause."""
        self.interview.flush()

    # -- dialogs -------------------------------------------------------------------------------
    def _open_dialog(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: self._dialog_closed(d))
        dialog.open()

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        if self.isVisible():
            self.activateWindow()  # keyboard focus comes back here, whatever the desktop does

    def open_settings(self, *, profile: bool = False, sync: bool = False) -> SettingsDialog:
        """``profile``: opened to add the worker's details (focus goes there); ``sync``: at
        Settings › Sync."""
        self.flush()
        dialog = SettingsDialog(self.ws, self, workers=self.workers)
        dialog.saved.connect(self._settings_saved)
        dialog.wipe_confirmed.connect(self.wipe_requested)
        dialog.sync_changed.connect(self._show_sync)
        self._open_dialog(dialog)
        if profile:
            dialog.focus_profile()
        elif sync:
            dialog.show_sync()
        return dialog

    # -- sync ----------------------------------------------------------------------------------
    def _show_sync(self) -> None:
        """The Sync button and the case list's sync column only once this laptop is
        enrolled; the status bar says "not set up" until then."""
        self.sync.refresh()
        self.sync_action.setVisible(self.sync.enrolled)
        self.cases.show_sync_column(self.sync.enrolled)
        if self.sync.enrolled:
            self.cases.reload()  # every case is pending now

    def _synced(self) -> None:
        if self.stack.currentWidget() is self.cases:
            self.cases.reload()

    def _settings_saved(self) -> None:
        wanted = self.ws.settings.screen_language()
        if wanted != language():
            set_language(wanted)
            self.retranslate()
        self.settings_saved.emit()
        self.cases.update_profile_hint()
        if self.stack.currentWidget() is self.interview and self.interview.session:
            self.interview.after_change()

    def open_review(self, reference: str) -> ReviewDialog:
        """A pulled case: the record read-only, the reviews and the review actions."""
        from firstcontact.ui.review_dialog import ReviewDialog

        dialog = ReviewDialog(self.ws, reference, parent=self, workers=self.workers)
        dialog.changed.connect(self.cases.reload)
        dialog.export_requested.connect(lambda ref: self.open_export(reference=ref))
        dialog.interview_requested.connect(self._review_interview)
        self._open_dialog(dialog)
        return dialog

    def _review_interview(self, reference: str) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.open_case(reference, read_only=True)

    def open_export(self, destination: str = "", *,
                    reference: str | None = None) -> ExportDialog | None:
        """The export dialog for the open case (or ``reference``: a pulled copy)."""
        session = self.interview.session
        if reference is None and session is None:
            return None
        self.flush()
        ref = reference if reference is not None else session.reference if session else ""
        dialog = ExportDialog(self.ws, ref, destination, parent=self, workers=self.workers)
        dialog.exported.connect(lambda _path: self._exported())
        if reference is not None:
            dialog.exported.connect(lambda _path: self.cases.reload())
        self._open_dialog(dialog)
        return dialog

    def _exported(self) -> None:
        """A pack was written: the case's completeness ("exported on …") and the list show it."""
        if self.interview.session is not None:
            self.interview.session.reload()
            self.interview.after_change()

    def open_survivor_copy(self) -> ExportDialog | None:
        session = self.interview.session
        if session is None:
            return None
        self.flush()
        dialog = ExportDialog(self.ws, session.reference, survivor=True, parent=self,
                              workers=self.workers)
        self._open_dialog(dialog)
        return dialog

    # -- closing -------------------------------------------------------------------------------
    def close_for_lock(self) -> None:
        """Close without asking anything (the controller is locking)."""
        self._closing_for_lock = True
        self.sync.stop()
        self.interview.close_case()
        if self.dialog is not None:
            self.dialog.hide()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing_for_lock:
            self.flush()
            self.quit_requested.emit()
        event.accept()
