"""What the two locked-state windows (first run and unlock) share: Esc never closes them (it is
half of the quick-exit gesture) and closing the window is a quick exit."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDialog


class GateDialog(QDialog):
    quick_exit = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Cancel):
            event.accept()
            return
        super().keyPressEvent(event)

    def say(self, text: str) -> None:
        """Show ``text`` in the dialog's message line."""
        raise NotImplementedError

    def fit_height(self) -> None:
        """Grow to show every line of a message that wrapped (a shown window keeps its
        size otherwise, and a two-line message was cut in half)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() \
            else layout.totalSizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.quick_exit.emit()
        event.accept()
