"""What the process itself must not leak: no core dump (it would hold the passphrase, the data
key and case text), no other process of the same user reading its memory where the system can
forbid it, and nothing it writes readable by others whatever the umask it was started with."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import sys

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3


def _prctl(option: int, value: int = 0) -> int | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        return int(libc.prctl(option, value, 0, 0, 0))
    except (OSError, AttributeError):
        return None


def harden() -> None:
    """Core dumps off (``RLIMIT_CORE`` 0, ``PR_SET_DUMPABLE`` 0 on Linux) and umask 077."""
    os.umask(0o077)
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, hard))  # and non-dumpable below
    _prctl(PR_SET_DUMPABLE, 0)


def dumpable() -> bool | None:
    """Whether the process may dump core or be read by a debugger of the same user (Linux)."""
    state = _prctl(PR_GET_DUMPABLE)
    return None if state is None else state != 0
