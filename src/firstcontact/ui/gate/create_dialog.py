"""First run: create the encrypted store with a new passphrase.

Strength feedback while typing, a confirmation, and a plain warning that a forgotten
passphrase cannot be recovered.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from firstcontact.app.passphrase_strength import MIN_LENGTH, assess
from firstcontact.i18n import _
from firstcontact.ui.common import (
    error_style,
    form_layout,
    heading,
    named,
    neutral_title,
    quick_exit_hint,
    quick_exit_look,
    wrapped,
)
from firstcontact.ui.errors import report_unexpected
from firstcontact.ui.gate.gate_dialog import GateDialog
from firstcontact.ui.work import Workers

CreateStore = Callable[[str], object]


class CreateStoreDialog(GateDialog):
    created = Signal(object)  # the new workspace

    def __init__(self, create_store: CreateStore, parent: QWidget | None = None, *,
                 workers: Workers | None = None) -> None:
        super().__init__(parent)
        self._create_store = create_store
        self.workers = workers if workers is not None else Workers(self)
        neutral_title(self)
        self.setObjectName("create-dialog")
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Set up firstcontact")))
        layout.addWidget(wrapped(_(
            "Your notes are kept encrypted on this computer. Choose a passphrase to protect "
            "them: four or more unrelated words are easy to remember and hard to guess."),
            selectable=False))
        warning = wrapped(_(
            "If you forget this passphrase, nobody can recover your notes — not your "
            "organisation, not the makers of this app. Keep it somewhere safe."),
            selectable=False)
        warning.setObjectName("passphrase-warning")
        warning.setStyleSheet("font-weight: bold;")
        layout.addWidget(warning)
        layout.addWidget(wrapped(quick_exit_hint(), selectable=False))

        form = form_layout()
        self.passphrase = self._secret(_("Passphrase"))
        self.confirm = self._secret(_("The same passphrase again"))
        form.addRow(_("&Passphrase:"), self.passphrase)
        self.strength = named(QProgressBar(), _("Passphrase strength"))
        self.strength.setRange(0, 4)
        self.strength.setTextVisible(True)
        form.addRow(_("Strength:"), self.strength)
        form.addRow(_("&Again:"), self.confirm)
        self.show_text = named(QCheckBox(_("&Show what I type")), _("Show what I type"))
        self.show_text.toggled.connect(self._toggle_echo)
        form.addRow("", self.show_text)
        layout.addLayout(form)

        self.message = wrapped("", selectable=False)
        error_style(self.message)
        self.message.setAccessibleName(_("Passphrase feedback"))
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.exit_button = named(QPushButton(_("Quick e&xit")), _("Quick exit"))
        quick_exit_look(self.exit_button)
        self.exit_button.setAutoDefault(False)
        self.exit_button.clicked.connect(self.quick_exit)
        self.create_button = named(QPushButton(_("&Create encrypted store")),
                                   _("Create encrypted store"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.try_create)
        buttons.addWidget(self.exit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)
        self.passphrase.textChanged.connect(self._update)
        self.confirm.textChanged.connect(self._update)
        self._update()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def _secret(self, name: str) -> QLineEdit:
        edit = named(QLineEdit(), name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirm.setEchoMode(mode)

    def _problem(self) -> str:
        text = self.passphrase.text()
        strength = assess(text)
        if len(text) < MIN_LENGTH:
            return _("Use at least {n} characters.").format(n=MIN_LENGTH)
        if not strength.acceptable:
            return _("This passphrase is easy to guess: add more words.")
        if not self.confirm.text():
            return _("Now type it again below.")
        if self.confirm.text() != text:
            return _("The two passphrases are not the same yet.")
        return ""

    def _update(self) -> None:
        strength = assess(self.passphrase.text())
        self.strength.setValue(strength.score)
        self.strength.setFormat(_(strength.label))
        self.strength.setAccessibleDescription(_(strength.label))
        problem = self._problem() if self.passphrase.text() else ""
        self.say(problem)
        self.message.setAccessibleName(problem or _("Passphrase feedback"))
        self.create_button.setEnabled(bool(self.passphrase.text()) and not problem)

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.fit_height()

    def try_create(self) -> None:
        if not self.create_button.isEnabled():
            return
        self.create_button.setEnabled(False)
        self.say(_("Creating the encrypted store…"))
        passphrase = self.passphrase.text()
        self.workers.run(lambda: self._create_store(passphrase), self._created, self._refused,
                         policy="cancel", dispose=lambda ws: getattr(ws, "close", lambda: None)())

    def _created(self, workspace: object) -> None:
        self.passphrase.clear()
        self.confirm.clear()
        self.created.emit(workspace)

    def _refused(self, exc: Exception) -> None:
        from firstcontact.app.errors import USER_ERRORS

        if isinstance(exc, USER_ERRORS):
            self.say(exc.message)
        else:
            report_unexpected(exc)
            self.say(_("Something went wrong while creating the store. Try again."))
        self._update_button_only()

    def _update_button_only(self) -> None:
        self.create_button.setEnabled(not self._problem())
