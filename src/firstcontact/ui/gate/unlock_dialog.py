"""The unlock dialog: the only thing on screen while the store is locked.

Kept light (Qt and our i18n only) so it shows fast; the store is opened by the callable it is
given, on a worker thread (key derivation, the integrity check and migrations take a second or
more): the dialog keeps painting, and quick exit works meanwhile. Failed attempts are counted
by the store, which says how long to wait: the button stays disabled with a countdown (a
timer, never a sleep).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from firstcontact.i18n import _, ngettext
from firstcontact.ui.common import (
    error_style,
    heading,
    named,
    neutral_title,
    quick_exit_look,
    wrapped,
)
from firstcontact.ui.errors import report_unexpected
from firstcontact.ui.gate.gate_dialog import GateDialog
from firstcontact.ui.work import Workers

# open_store(passphrase) returns the opened workspace, or raises a StoreError (with
# ``wait_seconds`` for too many attempts); wait_for_next() says how long the store makes the
# next attempt wait after failed ones.
OpenStore = Callable[[str], object]
WaitForNext = Callable[[], float]


class UnlockDialog(GateDialog):
    unlocked = Signal(object)  # the opened workspace

    def __init__(self, open_store: OpenStore, wait_for_next: WaitForNext | None = None,
                 parent: QWidget | None = None, *, workers: Workers | None = None) -> None:
        super().__init__(parent)
        self._open_store = open_store
        self.workers = workers if workers is not None else Workers(self)
        self._wait_for_next = wait_for_next
        self._wait_left = 0
        self._was_wrong = False
        neutral_title(self)
        self.setObjectName("unlock-dialog")
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Unlock")))
        layout.addWidget(wrapped(_("Enter your passphrase to open your notes."),
                                 selectable=False))
        label = QLabel(_("&Passphrase:"))
        self.passphrase = named(QLineEdit(), _("Passphrase"))
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        label.setBuddy(self.passphrase)
        layout.addWidget(label)
        layout.addWidget(self.passphrase)
        self.message = named(wrapped("", selectable=False), _("Unlock status"))
        self.message.setAccessibleName(_("Unlock status"))
        error_style(self.message)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.exit_button = named(QPushButton(_("Quick e&xit")), _("Quick exit"),
                                 _("Hide everything and close the app"))
        quick_exit_look(self.exit_button)
        self.exit_button.setAutoDefault(False)
        self.exit_button.clicked.connect(self.quick_exit)
        box = QDialogButtonBox()
        self.unlock_button = named(QPushButton(_("&Unlock")), _("Unlock"))
        self.unlock_button.setDefault(True)
        box.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addWidget(self.exit_button)
        buttons.addStretch(1)
        buttons.addWidget(box)
        layout.addLayout(buttons)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.passphrase.textChanged.connect(self._update_button)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self._update_button()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)
        pending = _ceil(wait_for_next()) if wait_for_next is not None else 0
        if pending > 0:
            self._start_wait(pending)

    # -- behaviour ---------------------------------------------------------------------------
    def _update_button(self) -> None:
        self.unlock_button.setEnabled(bool(self.passphrase.text()) and self._wait_left <= 0)

    def say(self, text: str, *, error: bool = True) -> None:
        if error:
            error_style(self.message)
        else:
            self.message.setStyleSheet("")
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.message.setVisible(bool(text))
        self.fit_height()

    def try_unlock(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        self.unlock_button.setEnabled(False)
        self.passphrase.setEnabled(False)
        self.say(_("Unlocking…"), error=False)
        passphrase = self.passphrase.text()
        self.workers.run(lambda: self._open_store(passphrase), self._opened, self._refused,
                         policy="cancel", dispose=_close)

    def _opened(self, opened: object) -> None:
        self.passphrase.setEnabled(True)
        self.passphrase.clear()
        self.say("")
        self.unlocked.emit(opened)

    def _refused(self, exc: Exception) -> None:
        from firstcontact.app.errors import USER_ERRORS, WrongPassphrase

        self.passphrase.setEnabled(True)
        self.passphrase.selectAll()
        self.passphrase.setFocus()
        if not isinstance(exc, USER_ERRORS):
            report_unexpected(exc)  # logged without content; the worker is told plainly
            self.say(_("Something went wrong while unlocking. Nothing was changed; try again."))
            self._update_button()
            return
        wait = _wait_seconds(exc)
        if wait <= 0 and self._wait_for_next is not None:
            wait = _ceil(self._wait_for_next())
        self._was_wrong = isinstance(exc, WrongPassphrase)
        if wait > 0:
            self._start_wait(wait)
        elif self._was_wrong:
            self.say(_("That passphrase is not right. Check it and try again."))
        else:
            self.say(exc.message)
        self._update_button()

    def _start_wait(self, seconds: int) -> None:
        self._wait_left = seconds
        self._countdown.start()
        self._render_wait()

    def _tick(self) -> None:
        self._wait_left -= 1
        if self._wait_left <= 0:
            self._countdown.stop()
            self.say(_("You can try again now."), error=False)
        else:
            self._render_wait()
        self._update_button()

    def _render_wait(self) -> None:
        if self._was_wrong:
            text = ngettext("That passphrase is not right. After several tries, each new try "
                            "waits: try again in {n} second.",
                            "That passphrase is not right. After several tries, each new try "
                            "waits: try again in {n} seconds.", self._wait_left)
        else:
            text = ngettext("Too many attempts. Try again in {n} second.",
                            "Too many attempts. Try again in {n} seconds.", self._wait_left)
        self.say(text.format(n=self._wait_left))

    @property
    def waiting(self) -> int:
        return self._wait_left

    def focus_passphrase(self) -> None:
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)


def _close(opened: object) -> None:
    """An opened store nobody wants any more (quick exit or lock during unlock)."""
    close = getattr(opened, "close", None)
    if callable(close):
        close()


def _ceil(seconds: float) -> int:
    return max(1, math.ceil(seconds)) if seconds > 0 else 0


def _wait_seconds(exc: Exception) -> int:
    value = getattr(exc, "wait_seconds", None)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _ceil(float(value))
    return 0
