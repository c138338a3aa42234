"""Telling a full disk from other failures, and saying so plainly."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from firstcontact.i18n import _
from firstcontact.store.errors import DiskFull

SQLITE_IOERR = 10
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
# SQLite reports a shared-memory file it cannot grow, or a journal it cannot create, as an I/O
# error without the cause: with less than this free, the cause is taken to be the full disk.
LOW_SPACE_BYTES = 4 * 1024 * 1024


def free_bytes(directory: Path) -> int:
    try:
        st = os.statvfs(directory)
    except OSError:
        return 0
    return st.f_bavail * st.f_frsize


def _sqlite_code(exc: BaseException) -> int | None:
    orig = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's exception
    code = getattr(orig if orig is not None else exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_disk_full(exc: BaseException, directory: Path) -> bool:
    """Did ``exc`` happen because the disk holding ``directory`` is full?"""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    code = _sqlite_code(exc)
    if code == SQLITE_FULL:
        return True
    return code in (SQLITE_IOERR, SQLITE_CANTOPEN) and free_bytes(directory) < LOW_SPACE_BYTES


def disk_full() -> DiskFull:
    return DiskFull(_("the disk is full; everything saved before is intact — free some space, "
                      "then save again"))
