"""“Not possible now”: ask for the reason (never blocks: the dialog is opened, not exec'd)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from firstcontact.i18n import _
from firstcontact.ui.common import named, neutral_title


class SkipDialog(QDialog):
    reason_given = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        neutral_title(self)
        self.setObjectName("skip-dialog")
        layout = QVBoxLayout(self)
        label = QLabel(_("Why is this step &not possible now? (for example: the person was "
                         "tired, or it was not safe to talk)"))
        label.setWordWrap(True)
        self.reason = named(QPlainTextEdit(self), _("Reason the step is not possible now"))
        self.reason.setTabChangesFocus(True)
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Mark not possible now"))
        ok.setAccessibleName(_("Mark not possible now"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason.toPlainText().strip()))

    def _accept(self) -> None:
        text = self.reason.toPlainText().strip()
        if text:
            self.reason_given.emit(text)
            self.accept()
