"""Auto-lock after a period with no input."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal


class IdleTimer(QObject):
    """Emits ``idle`` once ``seconds`` pass with no call to :meth:`poke` while running."""

    idle = Signal()

    def __init__(self, seconds: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self._last_restart = 0.0
        self.set_seconds(seconds)

    def set_seconds(self, seconds: float) -> None:
        self._timer.setInterval(max(1, round(seconds * 1000)))
        if self._timer.isActive():
            self._timer.start()

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def start(self) -> None:
        self._last_restart = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def poke(self) -> None:
        """User activity: restart the countdown (at most every 50 ms; mouse moves are many)."""
        if not self._timer.isActive():
            return
        now = time.monotonic()
        if now - self._last_restart >= 0.05 or self._timer.interval() < 1000:
            self._last_restart = now
            self._timer.start()
