"""A button that reads like a link and wraps its text: the completeness panel's items (a long
label cut off, or a panel scrolling sideways, hid what was missing)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

_MARGIN = 4


class LinkButton(QPushButton):
    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._label = QLabel(self)
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setText(text)
        self._label.setWordWrap(True)
        self._label.setStyleSheet("text-decoration: underline;")
        self._label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(_MARGIN, _MARGIN // 2, _MARGIN, _MARGIN // 2)
        layout.addWidget(self._label)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName(text)

    def text(self) -> str:  # the label's text: callers read what the worker reads
        return self._label.text()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._label.heightForWidth(max(1, width - 2 * _MARGIN)) + _MARGIN

    def sizeHint(self) -> QSize:
        width = min(self._label.sizeHint().width(),
                    self.fontMetrics().averageCharWidth() * 50) + 2 * _MARGIN
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        width = self.fontMetrics().averageCharWidth() * 12 + 2 * _MARGIN
        return QSize(width, self.heightForWidth(width))
