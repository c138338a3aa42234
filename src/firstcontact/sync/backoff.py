"""Waiting between tries: exponential backoff with full jitter, honouring ``Retry-After``.

Try n waits a uniformly random time in [0, min(cap, base · 2ⁿ)] (AWS Architecture Blog,
"Exponential Backoff And Jitter"): many laptops coming back online at once spread out instead of
hammering the hub together. A ``Retry-After`` from the hub (seconds or an HTTP date) is a floor,
itself capped.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


class Backoff:
    def __init__(self, base: float = 1.0, cap: float = 600.0,
                 rng: random.Random | None = None) -> None:
        self.base, self.cap = base, cap
        self._rng = rng or random.SystemRandom()
        self.attempt = 0

    def next_delay(self, retry_after: float | None = None) -> float:
        ceiling = min(self.cap, self.base * 2 ** min(self.attempt, 64))
        self.attempt += 1
        delay = self._rng.uniform(0, ceiling)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.cap))
        return delay

    def reset(self) -> None:
        self.attempt = 0


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, or None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
