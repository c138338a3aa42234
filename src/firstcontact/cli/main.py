"""``firstcontact [--data-dir DIR] COMMAND …`` — every command goes through the application layer.

With no command it starts the desktop app.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from firstcontact import __version__
from firstcontact.app.errors import AppError, StoreError
from firstcontact.cli import (
    commands_case,
    commands_checklist,
    commands_lifecycle,
    commands_pack,
    commands_store,
    exitcodes,
)
from firstcontact.cli.errors import CliError
from firstcontact.i18n import _
from firstcontact.process_hygiene import harden

# Each command module adds its sub-commands: register(subparsers) sets ``func`` on each.
COMMAND_MODULES = [commands_store, commands_case, commands_pack, commands_lifecycle,
                   commands_checklist]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="firstcontact",
        description=_("Guided initial response and referral for potential victims of modern "
                      "slavery. With no command, starts the desktop app."),
        epilog=_("Exit codes: 0 ok, 1 user error, 2 usage, 3 incomplete, 4 refused by a rule."),
    )
    parser.add_argument("--version", action="version", version=f"firstcontact {__version__}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help=_("where the encrypted store lives (default: $FIRSTCONTACT_HOME, "
                               "else the platform's user data directory)"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    harden()  # no core dumps, files 0600/0700 whatever the umask (the desktop app too)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from firstcontact.ui.launch import launch

            return launch(args.data_dir)
        code: int = args.func(args)
        return code
    except CliError as exc:
        print(f"firstcontact: {exc.message}", file=sys.stderr)
        return exc.code
    except AppError as exc:
        print(f"firstcontact: {exc.message}", file=sys.stderr)
        return exitcodes.for_error(exc)
    except StoreError as exc:
        print(f"firstcontact: {exc.message}", file=sys.stderr)
        return exitcodes.USER_ERROR
    except KeyboardInterrupt:
        print("firstcontact: " + _("interrupted; nothing more was changed"), file=sys.stderr)
        return exitcodes.USER_ERROR
    except Exception as exc:
        if os.environ.get("FIRSTCONTACT_DEBUG"):
            raise
        # Never a traceback (it could carry case content): the kind of error only.
        print("firstcontact: " + _("unexpected error ({kind}); set FIRSTCONTACT_DEBUG=1 to see "
                                   "details").format(kind=type(exc).__name__), file=sys.stderr)
        return exitcodes.USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
