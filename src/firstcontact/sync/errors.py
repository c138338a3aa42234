"""Why a sync step stopped: a code for programs, a one-line message for people (no content)."""

from __future__ import annotations

from typing import Any


class SyncError(Exception):
    def __init__(self, code: str, message: str, answer: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.answer = answer or {}  # the hub's whole refusal (e.g. a signed wipe order)


class HubUnreachable(SyncError):
    """The hub could not be reached, or did not answer as the hub (tries used up)."""


class HubRefused(SyncError):
    """The hub answered and said no (``code``: its error, e.g. ``unauthorised``)."""


class HubNotTrusted(SyncError):
    """The answer does not carry the pinned hub's signature or the enrolled keys."""
