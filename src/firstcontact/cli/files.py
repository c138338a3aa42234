"""What commands read and write besides the store: values from standard input within a limit
(case text need not appear in the process list), outputs that never land on the store and
never replace a file without ``--force``, and progress on long work."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path
from typing import BinaryIO

from firstcontact.app.keeping import output_in_store, refuse_output_in_store
from firstcontact.cli.errors import CliError
from firstcontact.i18n import _

STDIN = "-"
MAX_STDIN_BYTES = 1024 * 1024


def read_limited(stream: BinaryIO, limit: int, what: str) -> bytes:
    """At most ``limit`` bytes; more is refused without reading on."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise CliError(_("{what} is larger than {limit} bytes; nothing was changed").format(
            what=what, limit=f"{limit:,}"))
    return data


def text_value(value: str) -> str:
    """``value`` as given, or standard input's text when it is ``-`` (one final newline
    dropped)."""
    if value != STDIN:
        return value
    raw = read_limited(sys.stdin.buffer, MAX_STDIN_BYTES, _("the text on standard input"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CliError(_("the text on standard input is not UTF-8; nothing was changed")) \
            from None
    return text.removesuffix("\n").removesuffix("\r")


def output_path(value: str, force: bool, data_dir: Path) -> Path:
    """An output file: never inside the data directory, never an existing file unless
    ``force``."""
    path = Path(value)
    refuse_output_in_store(path, data_dir)
    if os.path.lexists(path) and not force:
        raise CliError(_("{path} already exists; nothing was written (add --force to replace "
                         "it)").format(path=path))
    return path


def refuse_stdout_in_store(data_dir: Path) -> None:
    """Standard output redirected to a file in the data directory is refused before anything is
    written (the shell has already emptied a file redirected with ``>``)."""
    try:
        fd = sys.stdout.fileno()
        st = os.fstat(fd)
    except (OSError, ValueError, AttributeError):
        return  # not a file descriptor (tests, embedding): nothing to check
    if not stat.S_ISREG(st.st_mode):
        return
    try:  # Linux names the file; elsewhere compare it with the data directory's files
        refuse_output_in_store(Path(os.readlink(f"/proc/self/fd/{fd}")), data_dir)
        return
    except OSError:
        pass
    try:
        named = [os.stat(p) for p in data_dir.iterdir() if p.is_file()]
    except OSError:
        return
    if any(os.path.samestat(st, other) for other in named):
        raise output_in_store(_("standard output"), data_dir)


REKEY_LABEL = _("Re-encrypting the store with a new data key:")


class Progress:
    """A one-line percentage on standard error while long work runs (on a terminal only)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._shown = -1
        self._tty = sys.stderr.isatty()
        self._started = time.monotonic()

    def __call__(self, fraction: float) -> None:
        percent = int(fraction * 100)
        if not self._tty or percent == self._shown:
            return
        self._shown = percent
        end = "\n" if percent >= 100 else ""
        print(f"\r{self.label} {percent:3d} %", end=end, file=sys.stderr, flush=True)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self._started
