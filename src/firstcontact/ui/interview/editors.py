"""Field editors: one widget per field type, generated from the checklist data.

Every editor shows a typed value and reports two things: ``edited`` (the person is typing: save
after a short pause) and ``committed`` (a choice was made or the field was left: save now).
``set_value`` never emits either.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDoubleValidator, QFocusEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from firstcontact.domain.model import Field, Value
from firstcontact.ui.common import named


class FieldEditor(QWidget):
    edited = Signal()
    committed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def value(self) -> Value | None:
        """The typed value, or None when empty."""
        raise NotImplementedError

    def set_value(self, value: Value | None) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        """The widget a label's mnemonic and "jump to this field" focus."""
        return self


class _CommitOnFocusOut(QLineEdit):
    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        parent = self.parentWidget()
        if isinstance(parent, FieldEditor):
            parent.committed.emit()


class TextEditor(FieldEditor):
    """text → a one-line entry; also used for numbers (with a validator) and dates."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = named(_CommitOnFocusOut(self), field.label, field.help)
        self._layout.addWidget(self.edit)
        self.edit.textEdited.connect(self.edited)
        self.edit.returnPressed.connect(self.committed)
        for rule in field.validate:
            name, _sep, arg = rule.partition(":")
            if name == "maxlength" and arg.isdigit():
                self.edit.setMaxLength(int(arg))

    def value(self) -> Value | None:
        text = self.edit.text()
        return text if text.strip() else None

    def set_value(self, value: Value | None) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_target(self) -> QWidget:
        return self.edit


class NumberEditor(TextEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        validator = QDoubleValidator(self.edit)
        validator.setNotation(QDoubleValidator.Notation.StandardNotation)
        self.edit.setValidator(validator)
        self.edit.setMaximumWidth(self.fontMetrics().averageCharWidth() * 16)
        self._layout.addStretch(1)

    def value(self) -> Value | None:
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return text  # refused by the application layer with a message
        return int(number) if number.is_integer() and "." not in text else number


class _LongText(QPlainTextEdit):
    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        parent = self.parentWidget()
        if isinstance(parent, FieldEditor):
            parent.committed.emit()


class LongTextEditor(FieldEditor):
    """long text → a multi-line entry; Enter is a new line, Tab leaves the field."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = named(_LongText(self), field.label, field.help)
        self.edit.setTabChangesFocus(True)
        lines = self.fontMetrics().lineSpacing()
        self.edit.setMinimumHeight(lines * 4)
        self.edit.setMaximumHeight(lines * 9)
        self._layout.addWidget(self.edit)
        self._loading = False
        self.edit.textChanged.connect(self._changed)

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def value(self) -> Value | None:
        text = self.edit.toPlainText()
        return text if text.strip() else None

    def set_value(self, value: Value | None) -> None:
        self._loading = True
        try:
            self.edit.setPlainText("" if value is None else str(value))
        finally:
            self._loading = False

    def focus_target(self) -> QWidget:
        return self.edit


class BoxLabel(QLabel):
    """A tick box's text that wraps (a QCheckBox's own text never does, and a long one
    pushed the whole step sideways); clicking it ticks the box, as the box's text would."""

    def __init__(self, text: str, box: QCheckBox, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._box = box
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self._box.click()
        super().mouseReleaseEvent(event)


def wrapping_check(text: str, name: str, parent: QWidget | None = None
                   ) -> tuple[QWidget, QCheckBox]:
    """A tick box whose long text wraps: the row to lay out, and the box."""
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    box = named(QCheckBox(row), name)
    layout.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
    layout.addWidget(BoxLabel(text, box, row), 1)
    return row, box


class CheckboxEditor(FieldEditor):
    """checkbox → a tick box carrying the field's label (wrapped when long)."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.box = named(QCheckBox(self), field.label, field.help)
        self.text = BoxLabel(field.label, self.box, self)
        self._layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        self._layout.addWidget(self.text, 1)
        self.box.clicked.connect(self.committed)

    def value(self) -> Value | None:
        return self.box.isChecked()

    def set_value(self, value: Value | None) -> None:
        self.box.setChecked(value is True)

    def focus_target(self) -> QWidget:
        return self.box
