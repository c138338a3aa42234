"""Store errors: each has a ``message`` safe to show and log (ids and kinds, never content)."""

from __future__ import annotations


class StoreError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NoStore(StoreError):
    pass


class StoreExists(StoreError):
    pass


class WrongPassphrase(StoreError):
    pass


class TooManyAttempts(StoreError):
    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class KeyFileDamaged(StoreError):
    pass


class StoreDamaged(StoreError):
    pass


class StoreClosed(StoreError):
    pass


class CaseNotFound(StoreError):
    pass


class InvalidValue(StoreError):
    pass


class WriteFailed(StoreError):
    """The disk refused a write (full, read-only, size limit); nothing of it was kept."""


class DiskFull(WriteFailed):
    """The disk (or the user's quota) is full: nothing of the change was kept."""


class StoreBusy(StoreError):
    """Another window or command holds the store in a way this action cannot share."""


class OutputInStore(StoreError):
    """An output path that would land on the store's own files."""


class Unsynced(StoreError):
    """The case holds changes the organisation's hub has not acknowledged: erasing it would
    lose them (ask first, then erase with ``discard_unsynced``)."""


class ReadOnlyCase(StoreError):
    """A pulled copy, or a case handed over to another worker: it is not changed here."""
