"""The application's states: locked (only the unlock dialog exists) and unlocked (the main
window over an open workspace), and the safety features that move between them.

Locking closes the store (the key is dropped) and destroys every case widget. Quick exit
hides every window at once first, then locks, then asks the app to quit. Slow work runs on
the controller's workers (ui/work.py); locking settles it first: an unlock still running is
cancelled and its store closed, an export still running finishes and is recorded.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from firstcontact.app.locate import store_exists, unlock_wait
from firstcontact.app.preferences import DEFAULT_IDLE_LOCK_SECONDS
from firstcontact.i18n import set_language
from firstcontact.ui.gate.create_dialog import CreateStoreDialog
from firstcontact.ui.gate.gate_dialog import GateDialog
from firstcontact.ui.gate.unlock_dialog import UnlockDialog
from firstcontact.ui.heap import release_heap, settle_heap
from firstcontact.ui.safety.clipboard import ClipboardGuard
from firstcontact.ui.safety.idle import IdleTimer
from firstcontact.ui.safety.input_filter import InputFilter
from firstcontact.ui.work import Workers

if TYPE_CHECKING:
    from firstcontact.app.workspace import Workspace
    from firstcontact.ui.main_window import MainWindow



class AppController(QObject):
    gate_shown = Signal()  # the unlock / first-run dialog is on screen
    unlocked = Signal()
    locked = Signal()
    quick_exited = Signal()  # everything hidden and locked: the app should quit now
    quit_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None, *,
                 clipboard_seconds: float | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.ws: Workspace | None = None
        self.window: MainWindow | None = None
        self.gate: GateDialog | None = None
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            raise RuntimeError("create the QApplication first")
        self._app = app
        self.workers = Workers(self)
        self.input_filter = InputFilter(self)
        app.installEventFilter(self.input_filter)
        self.idle = IdleTimer(DEFAULT_IDLE_LOCK_SECONDS, self)
        self.input_filter.activity.connect(self.idle.poke)
        self.input_filter.panic.connect(self.quick_exit)
        self.idle.idle.connect(self.lock)
        self.clipboard = ClipboardGuard(parent=self) if clipboard_seconds is None \
            else ClipboardGuard(clipboard_seconds, parent=self)
        self._session_watch_started = False

    # -- the locked state ----------------------------------------------------------------------
    def store_exists(self) -> bool:
        return store_exists(self.data_dir)

    def start(self) -> None:
        self.show_gate()

    def show_gate(self) -> GateDialog:
        if self.gate is not None:
            return self.gate
        gate: UnlockDialog | CreateStoreDialog
        if self.store_exists():
            gate = UnlockDialog(self._unlock, lambda: unlock_wait(self.data_dir),
                                workers=self.workers)
            gate.unlocked.connect(self.open_workspace)
        else:
            gate = CreateStoreDialog(self._create, workers=self.workers)
            gate.created.connect(self.open_workspace)
        gate.quick_exit.connect(self.quick_exit)
        self.gate = gate
        gate.show()
        gate.raise_()
        gate.activateWindow()
        if isinstance(gate, UnlockDialog):
            gate.focus_passphrase()
        self.gate_shown.emit()
        return gate

    def _unlock(self, passphrase: str) -> Workspace:
        from firstcontact.app.workspace import Workspace

        return Workspace.unlock(self.data_dir, passphrase)

    def _create(self, passphrase: str) -> Workspace:
        from firstcontact.app.workspace import Workspace

        Workspace.refuse_existing(self.data_dir)
        return Workspace.create(self.data_dir, passphrase)

    def _close_gate(self) -> None:
        gate, self.gate = self.gate, None
        if gate is not None:
            gate.blockSignals(True)
            gate.hide()
            gate.deleteLater()

    # -- the unlocked state --------------------------------------------------------------------
    def open_workspace(self, ws: object) -> None:
        """Enter the unlocked state with an opened workspace (from the gate, or tests)."""
        from firstcontact.app.workspace import Workspace
        from firstcontact.ui.main_window import MainWindow

        if not isinstance(ws, Workspace):
            raise TypeError("expected an opened Workspace")
        self.ws = ws
        self._close_gate()
        set_language(ws.settings.screen_language())  # the saved choice (the gate: the system's)
        settle_heap()  # the store and checklist are loaded: keep full GC passes short
        window = MainWindow(ws, self.workers)
        window.lock_requested.connect(self.lock)
        window.quick_exit_requested.connect(self.quick_exit)
        window.quit_requested.connect(self._window_closed)
        window.settings_saved.connect(self.apply_preferences)
        window.wipe_requested.connect(self.wipe)
        window.wiped_by_hub.connect(self._wiped_by_hub)
        self.window = window
        self.apply_preferences()
        self._watch_session_lock()
        window.show()
        window.raise_()
        window.activateWindow()
        window.cases.table.setFocus()
        self.unlocked.emit()

    def apply_preferences(self) -> None:
        if self.ws is None:
            return
        self.idle.set_seconds(self.ws.settings.preferences().idle_lock_seconds)
        self.idle.start()

    def _watch_session_lock(self) -> None:
        if self._session_watch_started:
            return
        self._session_watch_started = True
        from firstcontact.ui.safety.session_lock import SessionLockWatcher

        self.session_watcher = SessionLockWatcher(self, workers=self.workers)
        self.session_watcher.locked.connect(self.lock)

    # -- locking -------------------------------------------------------------------------------
    def _drop_workspace(self, *, save: bool) -> None:
        """Close every case widget and the store. ``save``: flush typing first. Slow work is
        settled first: an export finishes and is recorded, an unlock is cancelled."""
        self.idle.stop()
        self.workers.settle()
        window, self.window = self.window, None
        if window is not None:
            if save:
                # Locking must never be stopped by a failed save: the lock matters more.
                with contextlib.suppress(Exception):
                    window.flush()
            window.blockSignals(True)
            window.close_for_lock()
            window.deleteLater()
        ws, self.ws = self.ws, None
        if ws is not None:
            ws.close()
            release_heap()  # the closed store and its engine are freed now (widgets: once
            # their deleteLater runs)
        self.clipboard.clear()

    def lock(self) -> None:
        """Auto-lock, screen lock or the Lock button: close the store, show only the unlock."""
        if self.ws is None:
            return
        self.workers.cancel_unwanted()
        self._drop_workspace(save=True)
        self.locked.emit()
        self.show_gate()

    def wipe(self) -> None:
        """Emergency wipe (confirmed in Settings): lock, destroy the keys, then the files; the
        next screen is a first run."""
        from firstcontact.app.errors import USER_ERRORS
        from firstcontact.app.locate import emergency_wipe

        self._drop_workspace(save=False)
        try:
            emergency_wipe(self.data_dir)
        except USER_ERRORS as exc:
            self.show_gate().say(exc.message)  # locked either way; the reason is on screen
            return
        self.show_gate()

    def _wiped_by_hub(self, message: str) -> None:
        """The hub's signed wipe order (verified): let go of the store, destroy the keys, then
        the files, as the emergency wipe does; the first screen says why."""
        from firstcontact.app.errors import USER_ERRORS
        from firstcontact.app.locate import emergency_wipe

        self._drop_workspace(save=False)
        try:
            emergency_wipe(self.data_dir)
        except USER_ERRORS as exc:
            self.show_gate().say(exc.message)
            return
        self.show_gate().say(message)

    def quick_exit(self) -> None:
        """Hide every window at once, then lock; the app quits (start it again to unlock)."""
        self.workers.cancel_unwanted()  # an unlock finishing now must not open a window
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                widget.hide()
        QApplication.processEvents()  # gone from the screen now, before any waiting below
        self._close_gate()
        self._drop_workspace(save=True)
        self.quick_exited.emit()

    def _window_closed(self) -> None:
        self._drop_workspace(save=True)
        self.quit_requested.emit()

    def shutdown(self) -> None:
        """Tear down (tests, app exit): lock without showing anything, remove the filter."""
        self._drop_workspace(save=True)
        self._close_gate()
        self.workers.settle()
        self.workers.wait()
        self._app.removeEventFilter(self.input_filter)
        self.clipboard.detach()
