"""Errors the application layer raises for things a user can get wrong. Each says its kind
(the command line turns kinds into exit codes; the GUI shows the message).

Messages are safe to print and log: ids and rules only, never case content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any


class AppError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(AppError):
    """No such case, field, step or destination."""


class Invalid(AppError):
    """A value or a file that cannot be accepted; nothing was changed."""


class Refused(AppError):
    """A rule forbids it (e.g. consent)."""


class Incomplete(AppError):
    """A referral pack is missing items."""


class UnsyncedChanges(Refused):
    """Erasing the case would lose changes the organisation's hub has not acknowledged."""


class SyncFailed(AppError):
    """Sync stopped: the hub could not be reached, refused, or did not prove it is the hub.
    ``code`` says which (docs/sync-protocol.md); nothing acknowledged is lost."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


# The store's own refusals (wrong passphrase, disk full, damaged file, …) reach the screens as
# they are: each carries a translated ``message`` with ids and kinds only. They are re-exported
# here on first use, so that the command line's `--help` imports no store module.
if TYPE_CHECKING:
    from firstcontact.store.errors import InvalidValue, StoreError, TooManyAttempts, WrongPassphrase

    #: Everything a user's action can fail with; ``exc.message`` is safe to show.
    USER_ERRORS: tuple[type[AppError], type[StoreError]]
    #: Of those, the ones that reject the value itself (correcting it helps; retrying does not).
    VALUE_ERRORS: tuple[type[Invalid], type[InvalidValue]]

_FROM_STORE = ("InvalidValue", "StoreError", "TooManyAttempts", "WrongPassphrase")


def __getattr__(name: str) -> Any:
    if name not in (*_FROM_STORE, "USER_ERRORS", "VALUE_ERRORS"):
        raise AttributeError(name)  # (also the import system asking for e.g. `__path__`)
    from firstcontact.store import errors as store_errors

    if name in _FROM_STORE:
        return getattr(store_errors, name)
    if name == "USER_ERRORS":
        return (AppError, store_errors.StoreError)
    return (Invalid, store_errors.InvalidValue)


__all__ = ["USER_ERRORS", "VALUE_ERRORS", "AppError", "Incomplete", "Invalid", "InvalidValue",
           "NotFound", "Refused", "StoreError", "SyncFailed", "TooManyAttempts",
           "UnsyncedChanges", "WrongPassphrase"]
