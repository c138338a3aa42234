"""Errors the application layer raises for things a user can get wrong. Each says its kind
(the command line turns kinds into exit codes; the GUI shows the message).

Messages are safe to print and log: ids and rules only, never case content.
"""


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


# The store's own refusals (wrong passphrase, disk full, damaged file, …) reach the screens as
# they are: each carries a translated ``message`` with ids and kinds only.
from firstcontact.store.errors import (  # noqa: E402 - re-exported for the screens
    InvalidValue,
    StoreError,
    TooManyAttempts,
    WrongPassphrase,
)

#: Everything a user's action can fail with; ``exc.message`` is safe to show.
USER_ERRORS: tuple[type[AppError], type[StoreError]] = (AppError, StoreError)
#: Of those, the ones that reject the value itself (correcting it helps; retrying does not).
VALUE_ERRORS: tuple[type[Invalid], type[InvalidValue]] = (Invalid, InvalidValue)

__all__ = ["USER_ERRORS", "VALUE_ERRORS", "AppError", "Incomplete", "Invalid", "InvalidValue",
           "NotFound", "Refused", "StoreError", "TooManyAttempts", "WrongPassphrase"]
