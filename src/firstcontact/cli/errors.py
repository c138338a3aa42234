"""The one exception commands raise to stop with a message and an exit code."""

from firstcontact.cli import exitcodes


class CliError(Exception):
    def __init__(self, message: str, code: int = exitcodes.USER_ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
