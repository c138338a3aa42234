"""A refusal the hub answers with: HTTP status, a stable error code, a one-line message."""

from __future__ import annotations


class HubError(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
