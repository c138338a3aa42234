"""Opening the store for a command: data directory, passphrase, clean errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from firstcontact.i18n import ngettext

if TYPE_CHECKING:
    from firstcontact.app.workspace import Workspace


def data_dir(args: argparse.Namespace) -> Path:
    from firstcontact.app.locate import resolve_data_dir

    return resolve_data_dir(args.data_dir)


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Workspace]:
    """Unlock the store with the passphrase; close it (dropping the key) afterwards."""
    from firstcontact.app.workspace import Workspace
    from firstcontact.cli.passphrase import read_passphrase

    directory = data_dir(args)
    Workspace.require_store(directory)
    ws = Workspace.unlock(directory, read_passphrase())
    try:
        yield ws
    finally:
        ws.close()
    # after a success only: an error is one line of its own
    unwritten = ws.keeping.unwritten_audit()
    if unwritten:
        print("firstcontact: " + ngettext(
            "note: the disk is full; {n} audit event could not be recorded",
            "note: the disk is full; {n} audit events could not be recorded",
            unwritten).format(n=unwritten), file=sys.stderr)
