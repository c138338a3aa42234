"""Text copied from the app: marked secret for clipboard managers, cleared after a while.

Only our own copies are touched, and only cleared if the clipboard still holds what we put
there.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication

SECRET_HINT = "x-kde-passwordManagerHint"  # noqa: S105 - a MIME type name, not a secret
CLEAR_AFTER_SECONDS = 30.0
_PROCESS_LOCAL = frozenset({"offscreen", "minimal"})


class ClipboardGuard(QObject):
    def __init__(self, clear_after: float = CLEAR_AFTER_SECONDS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clipboard = QApplication.clipboard()
        self._ours: str | None = None
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, round(clear_after * 1000)))
        self._timer.timeout.connect(self.clear)
        self._clipboard.dataChanged.connect(self._changed)

    def _copied_here(self) -> bool:
        # The window system knows who owns the clipboard; on platforms whose clipboard lives
        # inside this process (offscreen, minimal) every change is ours.
        if QApplication.platformName() in _PROCESS_LOCAL:
            return True
        return self._clipboard.ownsClipboard()

    def _changed(self) -> None:
        if self._busy:
            return
        mime = self._clipboard.mimeData(QClipboard.Mode.Clipboard)
        if mime is None or mime.hasFormat(SECRET_HINT) or not mime.hasText():
            return
        if not self._copied_here():
            return
        text = mime.text()
        marked = QMimeData()
        marked.setText(text)
        marked.setData(SECRET_HINT, b"secret")
        self._busy = True
        try:
            self._clipboard.setMimeData(marked, QClipboard.Mode.Clipboard)
        finally:
            self._busy = False
        self._ours = text
        self._timer.start()

    @property
    def pending(self) -> bool:
        """A copy of ours is waiting to be cleared."""
        return self._timer.isActive()

    def clear(self) -> None:
        """Clear the clipboard if it still holds our copy."""
        self._timer.stop()
        if self._ours is not None and self._clipboard.text(QClipboard.Mode.Clipboard) == self._ours:
            self._busy = True
            try:
                self._clipboard.clear(QClipboard.Mode.Clipboard)
            finally:
                self._busy = False
        self._ours = None

    def detach(self) -> None:
        self._clipboard.dataChanged.disconnect(self._changed)
