"""Reading passphrases: from the environment, else from the terminal; never hang without one."""

from __future__ import annotations

import getpass
import hmac
import os
import sys

from firstcontact.app.passphrase_strength import MIN_LENGTH
from firstcontact.cli.errors import CliError
from firstcontact.i18n import _

ENV = "FIRSTCONTACT_PASSPHRASE"
ENV_NEW = "FIRSTCONTACT_NEW_PASSPHRASE"


def _terminal() -> bool:
    """A terminal to ask on: standard input, or the controlling terminal when standard input
    carries something else (``case note CASE - < note.txt``)."""
    if sys.stdin is not None and sys.stdin.isatty():
        return True
    try:
        with open("/dev/tty", "rb"):  # what getpass asks on; fails without a terminal
            return True
    except OSError:
        return False


def read_passphrase(prompt: str | None = None) -> str:
    """The store passphrase: $FIRSTCONTACT_PASSPHRASE, else asked on the terminal."""
    value = os.environ.get(ENV)
    if value:
        return value
    if not _terminal():
        raise CliError(_("no passphrase: set FIRSTCONTACT_PASSPHRASE or run in a terminal"))
    return getpass.getpass(prompt or _("Passphrase: "))


def read_new_passphrase(env: str = ENV) -> str:
    """A new passphrase: from ``env``, else asked twice on the terminal; checked for length."""
    value = os.environ.get(env)
    if not value:
        if not _terminal():
            raise CliError(_("no new passphrase: set {env} or run in a terminal").format(env=env))
        value = getpass.getpass(_("New passphrase: "))
        again = getpass.getpass(_("The same passphrase again: "))
        if not hmac.compare_digest(value.encode(), again.encode()):
            raise CliError(_("the two passphrases differ; nothing was changed"))
    if len(value) < MIN_LENGTH:
        raise CliError(_("a passphrase needs at least {n} characters; nothing was changed")
                       .format(n=MIN_LENGTH))
    return value
