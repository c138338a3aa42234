"""Exit codes, the same for every command (documented in the README)."""

OK = 0
USER_ERROR = 1  # wrong passphrase, no store, bad input: one line on stderr, nothing changed
USAGE = 2  # argparse's own code for a malformed command line
INCOMPLETE = 3  # a referral pack is missing items
REFUSED = 4  # a rule forbids it (e.g. consent)


def for_error(error: Exception) -> int:
    """The exit code for an error the application layer raised (by its kind)."""
    from firstcontact.app.errors import Incomplete, Refused

    if isinstance(error, Refused):
        return REFUSED
    if isinstance(error, Incomplete):
        return INCOMPLETE
    return USER_ERROR
