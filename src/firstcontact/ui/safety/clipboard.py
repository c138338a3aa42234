"""Text copied from the app: marked secret for clipboard managers, cleared after a while.

The same for the X11/Wayland primary selection, where the platform has one: merely selecting
text there publishes it to every other program (middle-click paste, clipboard managers).

Only our own copies are touched, and only cleared if they still hold what we put there.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication

SECRET_HINT = "x-kde-passwordManagerHint"  # noqa: S105 - a MIME type name, not a secret
CLEAR_AFTER_SECONDS = 30.0
_PROCESS_LOCAL = frozenset({"offscreen", "minimal"})
Mode = QClipboard.Mode


class _Slot:
    """What the guard knows about one clipboard mode (the clipboard, the selection)."""

    def __init__(self, mode: QClipboard.Mode, timer: QTimer) -> None:
        self.mode = mode
        self.timer = timer
        self.ours: str | None = None


class ClipboardGuard(QObject):
    def __init__(self, clear_after: float = CLEAR_AFTER_SECONDS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clipboard = QApplication.clipboard()
        self._busy = False
        modes = [Mode.Clipboard]
        if self._clipboard.supportsSelection():
            modes.append(Mode.Selection)
        self._slots: dict[QClipboard.Mode, _Slot] = {}
        for mode in modes:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(max(1, round(clear_after * 1000)))
            timer.timeout.connect(lambda m=mode: self._clear(m))
            self._slots[mode] = _Slot(mode, timer)
        self._clipboard.dataChanged.connect(self._clipboard_changed)
        if Mode.Selection in self._slots:
            self._clipboard.selectionChanged.connect(self._selection_changed)

    def _owns(self, mode: QClipboard.Mode) -> bool:
        # The window system knows who owns the clipboard; on platforms whose clipboard lives
        # inside this process (offscreen, minimal) every change is ours.
        if QApplication.platformName() in _PROCESS_LOCAL:
            return True
        if mode == Mode.Selection:
            return self._clipboard.ownsSelection()
        return self._clipboard.ownsClipboard()

    def _clipboard_changed(self) -> None:
        self._changed(Mode.Clipboard)

    def _selection_changed(self) -> None:
        self._changed(Mode.Selection)

    def _changed(self, mode: QClipboard.Mode) -> None:
        if self._busy:
            return
        mime = self._clipboard.mimeData(mode)
        if mime is None or mime.hasFormat(SECRET_HINT) or not mime.hasText():
            return
        if not self._owns(mode):
            return
        text = mime.text()
        marked = QMimeData()
        marked.setText(text)
        marked.setData(SECRET_HINT, b"secret")
        self._busy = True
        try:
            self._clipboard.setMimeData(marked, mode)
        finally:
            self._busy = False
        slot = self._slots[mode]
        slot.ours = text
        slot.timer.start()

    @property
    def pending(self) -> bool:
        """A copy of ours is waiting to be cleared."""
        return any(slot.timer.isActive() for slot in self._slots.values())

    def _clear(self, mode: QClipboard.Mode) -> None:
        slot = self._slots[mode]
        slot.timer.stop()
        if slot.ours is not None and self._clipboard.text(mode) == slot.ours:
            self._busy = True
            try:
                self._clipboard.clear(mode)
            finally:
                self._busy = False
        slot.ours = None

    def clear(self) -> None:
        """Clear the clipboard and the selection if they still hold our copy (locking)."""
        for mode in self._slots:
            self._clear(mode)

    def detach(self) -> None:
        self._clipboard.dataChanged.disconnect(self._clipboard_changed)
        if Mode.Selection in self._slots:
            self._clipboard.selectionChanged.disconnect(self._selection_changed)
