"""Failed unlocks: counted in a small file outside the database, slowed progressively.

The database and key files are never touched by a wrong passphrase.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from firstcontact.store.paths import ATTEMPTS_FILE, write_private_atomic

FREE_ATTEMPTS = 3
MAX_DELAY = 30.0


def delay_after(failures: int) -> float:
    """Seconds to wait before the next attempt after ``failures`` failures in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return float(min(MAX_DELAY, 2 ** (failures - FREE_ATTEMPTS)))


class UnlockGuard:
    def __init__(self, data_dir: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = data_dir / ATTEMPTS_FILE
        self.clock = clock

    def _read(self) -> tuple[int, float]:
        try:
            doc = json.loads(self.path.read_text("utf-8"))
            return int(doc["failures"]), float(doc["last"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0, 0.0

    @property
    def failures(self) -> int:
        return self._read()[0]

    def seconds_until_next_attempt(self) -> float:
        failures, last = self._read()
        return max(0.0, last + delay_after(failures) - self.clock())

    def record_failure(self) -> None:
        failures, _last = self._read()
        write_private_atomic(self.path, json.dumps(
            {"failures": failures + 1, "last": self.clock()}).encode())

    def reset(self) -> int:
        """Forget the failures; returns how many there were."""
        failures, _last = self._read()
        if failures:
            self.path.unlink(missing_ok=True)
        return failures
