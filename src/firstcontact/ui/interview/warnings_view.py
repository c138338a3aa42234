"""What a step's answers call for, shown on the step by level (data: `[[step.warning]]`).

Urgent (an immediate need: someone hurt, in danger, nowhere safe tonight) comes first, above
the script, in red, with what to do in order and, while what was done is not recorded, a line
saying so: acting comes before the next question. Warnings (a companion interpreting, a date of
birth that contradicts the age) are amber; advice (procedures to follow, numbers to call) is a
plain box. A warning may offer to pause the interview (for example to arrange a safer time).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from firstcontact.domain.model import StepWarning
from firstcontact.i18n import _
from firstcontact.ui.common import named, wrapped

_STYLE = {
    "urgent": "#step-urgent { border: 3px solid #b00020; }",
    "warning": "#step-warnings { border: 2px solid #b35900; }",
    "advice": "#step-advice { border: 1px solid #5a6b7d; }",
}
_NAMES = {"urgent": "step-urgent", "warning": "step-warnings", "advice": "step-advice"}
_PREFIX = {"urgent": "⚠ ", "warning": "⚠ ", "advice": "ℹ "}


class WarningsBox(QFrame):
    """The warnings of one level that hold on the step."""

    pause_requested = Signal()

    def __init__(self, level: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = level
        self.setObjectName(_NAMES[level])
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(_STYLE[level])
        self.box = QVBoxLayout(self)
        self.labels: list[QLabel] = []
        self.pause_button: QPushButton | None = None
        self._shown: list[tuple[str, ...]] = []
        self.hide()

    def show_warnings(self, warnings: list[StepWarning],
                      pending: tuple[StepWarning, ...] = ()) -> None:
        """``pending``: the urgent warnings whose action is not recorded yet."""
        shown = [(_(w.text), *(_(a) for a in w.actions), str(w in pending), str(w.pause))
                 for w in warnings]
        self.setVisible(bool(warnings))
        if shown == self._shown:
            return  # unchanged: keep the widgets (and the focus) as they are
        self._shown = shown
        while self.box.count():
            item = self.box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.labels, self.pause_button = [], None
        for w in warnings:
            text = _PREFIX[self.level] + _(w.text)
            label = wrapped(text, parent=self)
            if w.urgent:
                label.setStyleSheet("font-weight: bold;")
            label.setAccessibleName((_("Urgent: {text}") if w.urgent else
                                     _("Warning: {text}")).format(text=_(w.text)))
            self.box.addWidget(label)
            self.labels.append(label)
            for n, action in enumerate(w.actions, 1):
                step = wrapped(f"{n}. {_(action)}", parent=self)
                self.box.addWidget(step)
                self.labels.append(step)
            if w in pending:
                waiting = wrapped(_("Act first: the next question waits until you record "
                                    "below what you did."), parent=self)
                waiting.setObjectName("urgent-waiting")
                self.box.addWidget(waiting)
                self.labels.append(waiting)
        if any(w.pause for w in warnings):
            self.pause_button = named(QPushButton(_("Pause the interview (everything is "
                                                    "saved)"), self), _("Pause the interview"))
            self.pause_button.setAutoDefault(False)
            self.pause_button.clicked.connect(self.pause_requested)
            self.box.addWidget(self.pause_button)
        for widget in (*self.labels, *([self.pause_button] if self.pause_button else [])):
            widget.show()  # added to a box that may be on screen already

    def texts(self) -> list[str]:
        return [label.text() for label in self.labels]
