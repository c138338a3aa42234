"""“Not possible now”: the reason (one of the interview's skip reasons, which a referral may
state as "Not discussed: …") and the worker's own note, which stays in the case record. Never
blocks: the dialog is opened, not exec'd."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from firstcontact.domain.model import SkipReason
from firstcontact.i18n import _
from firstcontact.ui.common import named, neutral_title, plain, wrapped


class SkipDialog(QDialog):
    reason_given = Signal(str, str)  # reason id, the worker's note

    def __init__(self, reasons: tuple[SkipReason, ...], *, sensitive: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        neutral_title(self)
        self.setObjectName("skip-dialog")
        self.reasons = reasons
        layout = QVBoxLayout(self)
        layout.setSpacing(self.fontMetrics().height() // 2)
        box = QGroupBox(_("Why is this step not possible now?"), self)
        box_layout = QVBoxLayout(box)
        self.choice = QButtonGroup(self)
        self.buttons_by_id: dict[str, QRadioButton] = {}
        for index, reason in enumerate(reasons):
            button = named(QRadioButton(plain(_(reason.label)), box), _(reason.label))
            self.choice.addButton(button, index)
            self.buttons_by_id[reason.id] = button
            box_layout.addWidget(button)
        layout.addWidget(box)
        self.sent = wrapped("", parent=self, selectable=False)
        self.sent.setObjectName("skip-sent")
        self.sent.setVisible(sensitive)
        self.sensitive = sensitive
        layout.addWidget(self.sent)
        label = QLabel(_("Your own &note (optional; kept in the case record, never sent in a "
                         "referral):"), self)
        label.setWordWrap(True)
        self.note = named(QPlainTextEdit(self), _("Your own note on why"))
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        label.setBuddy(self.note)
        layout.addWidget(label)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Mark not possible now"))
        ok.setAccessibleName(_("Mark not possible now"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.choice.idClicked.connect(lambda _i: self._update())
        self.note.textChanged.connect(self._update)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self._update()

    def chosen(self) -> SkipReason | None:
        index = self.choice.checkedId()
        return self.reasons[index] if 0 <= index < len(self.reasons) else None

    def _update(self) -> None:
        reason = self.chosen()
        needs_note = reason is not None and reason.id == "other"
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(reason is not None and (not needs_note
                                              or bool(self.note.toPlainText().strip())))
        if self.sensitive:
            words = _(reason.pack_text) if reason else "…"
            self.sent.setText(_("A referral will say of the questions not answered here: "
                                "“Not discussed: {words}”. Your note is not sent.").format(
                                    words=words))

    def _accept(self) -> None:
        reason = self.chosen()
        if reason is None:
            return
        self.reason_given.emit(reason.id, self.note.toPlainText().strip())
        self.accept()
