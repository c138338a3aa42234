"""Who has the store open: every open store holds a shared lock on ``cases.lock``; changing the
data key needs it alone (an exclusive lock), because a window still using the old key would
write pages the new key cannot read.

``flock`` locks belong to one open file and are independent of SQLite's own ``fcntl`` locks on
the database. Where there is no ``flock`` (or the lock file cannot be created, e.g. on a full
disk), the store works without it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from firstcontact.i18n import _
from firstcontact.store.errors import StoreBusy
from firstcontact.store.paths import LOCK_FILE

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux or macOS
    fcntl = None  # type: ignore[assignment]

WAIT_SECONDS = 60.0  # a key change in another process: wait this long for it to finish


class StoreLock:
    def __init__(self, data_dir: Path) -> None:
        self._fd: int | None = None
        if fcntl is None:
            return
        try:
            self._fd = os.open(data_dir / LOCK_FILE,
                               os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError:
            self._fd = None

    def _try(self, operation: int) -> bool:
        if self._fd is None:
            return True
        try:
            fcntl.flock(self._fd, operation | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def try_exclusive(self) -> bool:
        """Take the store alone if nobody else has it open (never waits)."""
        return self._try(fcntl.LOCK_EX) if fcntl is not None else True

    def exclusive(self) -> None:
        if not self.try_exclusive():
            raise StoreBusy(_("the store is open in another window or command: close it, then "
                              "try again; nothing was changed"))

    def shared(self, wait: float = WAIT_SECONDS) -> None:
        """Share the store, waiting a while for a key change elsewhere to finish."""
        if fcntl is None:
            return
        deadline = time.monotonic() + wait
        while not self._try(fcntl.LOCK_SH):
            if time.monotonic() > deadline:
                raise StoreBusy(_("the store is busy (its key is being changed in another "
                                  "window or command); try again in a moment"))
            time.sleep(0.1)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None
