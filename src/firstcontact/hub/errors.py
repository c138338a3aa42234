"""A refusal the hub answers with: HTTP status, a stable error code, a one-line message."""

from __future__ import annotations

from typing import Any


class HubError(Exception):
    def __init__(self, status: int, error: str, message: str,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.extra = extra or {}  # more of the answer (e.g. a signed wipe order)
