"""Times on the hub: UTC, ISO 8601 with milliseconds and "Z" (sortable as text)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from firstcontact.sync.envelope import utc_stamp

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(clock: Clock) -> str:
    return utc_stamp(clock())
