"""The one way records are stamped: UTC, ISO 8601 with microseconds and "Z"
("2026-11-27T05:59:50.994853Z"), sortable as text. Shown to people through
:mod:`firstcontact.dates`."""

from __future__ import annotations

import datetime as dt


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
