"""``firstcontact [--data-dir DIR] COMMAND …`` — every command goes through the application layer.

With no command it starts the desktop app.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from firstcontact import __version__
from firstcontact.cli import (
    commands_case,
    commands_checklist,
    commands_lifecycle,
    commands_pack,
    commands_review,
    commands_store,
    commands_sync,
    exitcodes,
)
from firstcontact.cli.errors import CliError
from firstcontact.cli.terminal import VisibleWriter
from firstcontact.i18n import _
from firstcontact.process_hygiene import harden

# Each command module adds its sub-commands: register(subparsers) sets ``func`` on each.
COMMAND_MODULES = [commands_store, commands_case, commands_pack, commands_lifecycle,
                   commands_sync, commands_review, commands_checklist]


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
    args = parser.parse_args(argv)  # `--help`, `--version` and usage errors end here
    from firstcontact.app.errors import AppError, StoreError

    stdout = sys.stdout
    try:
        if args.command is None:
            from firstcontact.ui.launch import launch

            return launch(args.data_dir)
        sys.stdout = VisibleWriter(stdout)  # human output: escaped (JSON goes out raw)
        code: int = args.func(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # the reader went away (`firstcontact case list | head`): end quietly, as a pipeline's
        # writer does, and keep Python's own flush at exit from complaining
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
        return 128 + signal.SIGPIPE
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
        # Never a traceback (it could carry case content): the kind of error only, and the
        # content-free log in the data directory (if there is one) where it happened.
        log = _log_unexpected(args, exc)
        message = _("unexpected error ({kind}); set FIRSTCONTACT_DEBUG=1 to see details").format(
            kind=type(exc).__name__)
        if log is not None:
            message += "\n" + _("It was logged, without case content, in {path}").format(path=log)
        print(f"firstcontact: {message}", file=sys.stderr)
        return exitcodes.USER_ERROR
    finally:
        sys.stdout = stdout


def _log_unexpected(args: argparse.Namespace, exc: Exception) -> Path | None:
    """Log an unexpected error (type and code places only) to the data directory's log, when
    that directory exists: a command never creates it just to log."""
    from firstcontact import logs
    from firstcontact.app.locate import resolve_data_dir

    try:
        directory = resolve_data_dir(args.data_dir)
    except Exception:
        return None
    if not directory.is_dir():
        return None
    path = logs.configure(directory)
    if path is not None:
        logs.log_error(f"command {args.command}", type(exc), exc.__traceback__)
    return path


if __name__ == "__main__":
    sys.exit(main())
