"""choice → radio buttons (yes / no / not sure …); multiple choice → tick boxes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from firstcontact.domain.model import Field, Value
from firstcontact.i18n import _
from firstcontact.ui.common import named
from firstcontact.ui.interview.editors import FieldEditor

_SHORT = 24  # option labels up to this length sit in one row when there are few of them


def _options_layout(field: Field) -> QBoxLayout:
    short = len(field.options) <= 4 and all(len(o.label) <= _SHORT for o in field.options)
    layout: QBoxLayout = QHBoxLayout() if short else QVBoxLayout()
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


class ChoiceEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.setAccessibleName(field.label)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QRadioButton] = {}
        inner = _options_layout(field)
        for option in field.options:
            button = named(QRadioButton(_(option.label).replace("&", "&&"), self),
                           f"{field.label}: {_(option.label)}")
            self.group.addButton(button)
            self.buttons[option.value] = button
            inner.addWidget(button)
            button.clicked.connect(self.committed)
        if isinstance(inner, QHBoxLayout):
            inner.addStretch(1)
        self._layout.addLayout(inner)

    def value(self) -> Value | None:
        return next((v for v, b in self.buttons.items() if b.isChecked()), None)

    def set_value(self, value: Value | None) -> None:
        self.group.setExclusive(False)
        for v, button in self.buttons.items():
            button.setChecked(v == value)
        self.group.setExclusive(True)

    def focus_target(self) -> QWidget:
        checked = self.group.checkedButton()
        return checked or next(iter(self.buttons.values()), self)


class MultiChoiceEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.setAccessibleName(field.label)
        self.boxes: dict[str, QCheckBox] = {}
        inner = _options_layout(field)
        for option in field.options:
            box = named(QCheckBox(_(option.label).replace("&", "&&"), self),
                        f"{field.label}: {_(option.label)}")
            self.boxes[option.value] = box
            inner.addWidget(box)
            box.clicked.connect(self.committed)
        if isinstance(inner, QHBoxLayout):
            inner.addStretch(1)
        self._layout.addLayout(inner)

    def value(self) -> Value | None:
        chosen = [v for v, b in self.boxes.items() if b.isChecked()]
        return chosen or None

    def set_value(self, value: Value | None) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        for v, box in self.boxes.items():
            box.setChecked(v in chosen)

    def focus_target(self) -> QWidget:
        return next(iter(self.boxes.values()), self)
