"""One application-wide event filter for the safety features.

It never consumes an event: it reports user activity (for the idle lock) and the quick-exit
gestures (Esc twice within ``ESC_WINDOW`` seconds, or Ctrl+Shift+Q) as signals.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent

ESC_WINDOW = 0.6
_ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                       QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin,
                       QEvent.Type.TabletPress, QEvent.Type.InputMethod})
_PANIC_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class InputFilter(QObject):
    activity = Signal()
    panic = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last_escape = -1.0
        # One key press is delivered to a widget and then to each parent that ignores it: count
        # it once. A key release (or another key) re-arms the counter.
        self._armed = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVITY:
            self.activity.emit()
        if kind == QEvent.Type.KeyRelease:
            self._armed = True
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self._key(event)
        return False

    def _key(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & (_PANIC_MODIFIERS | Qt.KeyboardModifier.AltModifier
                                    | Qt.KeyboardModifier.MetaModifier)
        if key == Qt.Key.Key_Q and mods == _PANIC_MODIFIERS:
            self.panic.emit()
            return
        if key != Qt.Key.Key_Escape:
            self._armed = True
            self._last_escape = -1.0
            return
        if event.isAutoRepeat() or not self._armed:
            return
        self._armed = False
        now = time.monotonic()
        if self._last_escape >= 0 and now - self._last_escape <= ESC_WINDOW:
            self._last_escape = -1.0
            self.panic.emit()
        else:
            self._last_escape = now
