"""Save after a short pause in typing, and at once when a field is left or a choice is made."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

DEBOUNCE_MS = 500


class Autosave(QObject):
    """One single-shot timer per field; ``save(field_id)`` does the work."""

    def __init__(self, save: Callable[[str], None], delay_ms: int = DEBOUNCE_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._delay = delay_ms
        self._timers: dict[str, QTimer] = {}

    def edited(self, field_id: str) -> None:
        timer = self._timers.get(field_id)
        if timer is None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(self._delay)
            timer.timeout.connect(lambda fid=field_id: self._save(fid))
            self._timers[field_id] = timer
        timer.start()

    def committed(self, field_id: str) -> None:
        timer = self._timers.get(field_id)
        if timer is not None:
            timer.stop()
        self._save(field_id)

    def pending(self) -> list[str]:
        return [fid for fid, t in self._timers.items() if t.isActive()]

    def flush(self) -> None:
        """Save every field still waiting for its pause (before leaving, pausing or locking)."""
        for field_id in self.pending():
            self.committed(field_id)

    def cancel(self) -> None:
        for timer in self._timers.values():
            timer.stop()
