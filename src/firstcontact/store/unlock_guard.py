"""Failed unlocks: counted in a small file outside the database, slowed progressively.

The database and key files are never touched by a wrong passphrase. The counter slows
guessing through the app only: anyone who can write the data directory can delete it, and
anyone who copies the files guesses offline — the passphrase and Argon2id stop them. A time
in the future (a clock set back, or an edited file) counts as now, so the wait is never longer
than :data:`MAX_DELAY`; a counter that cannot be written (a full disk) is skipped.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Callable
from pathlib import Path

from firstcontact.store.paths import ATTEMPTS_FILE, write_private_atomic

FREE_ATTEMPTS = 3
MAX_DELAY = 30.0
MAX_FAILURES = 1_000_000


def delay_after(failures: int) -> float:
    """Seconds to wait before the next attempt after ``failures`` failures in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return float(min(MAX_DELAY, 2 ** min(failures - FREE_ATTEMPTS, 16)))


class UnlockGuard:
    def __init__(self, data_dir: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = data_dir / ATTEMPTS_FILE
        self.clock = clock

    def _read(self) -> tuple[int, float]:
        try:
            with self.path.open("rb") as fh:
                doc = json.loads(fh.read(4096))
            failures, last = int(doc["failures"]), float(doc["last"])
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return 0, 0.0
        if not math.isfinite(last):
            last = 0.0
        failures, now = max(0, min(failures, MAX_FAILURES)), self.clock()
        if last > now:  # recorded "in the future": counts from now, and is written so
            last = now
            with contextlib.suppress(OSError):
                write_private_atomic(self.path, json.dumps(
                    {"failures": failures, "last": now}).encode())
        return failures, last

    @property
    def failures(self) -> int:
        return self._read()[0]

    def seconds_until_next_attempt(self) -> float:
        failures, last = self._read()
        return max(0.0, last + delay_after(failures) - self.clock())

    def record_failure(self) -> None:
        failures, _last = self._read()
        with contextlib.suppress(OSError):
            write_private_atomic(self.path, json.dumps(
                {"failures": failures + 1, "last": self.clock()}).encode())

    def reset(self) -> int:
        """Forget the failures; returns how many there were."""
        failures, _last = self._read()
        if failures:
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)
        return failures
