"""The app's log: one rotating file in the data directory (0600), configured once, holding
event names, ids and error kinds — never case content, passphrases or keys.

What could carry content never reaches the file: an error is written as its type and the
place in the code (file, line, function) of each frame, never its message (a message may
quote a value) nor local variables. Log calls in the code pass ids and kinds only.
"""

from __future__ import annotations

import logging
import os
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

LOG_FILE = "firstcontact.log"
MAX_BYTES = 256 * 1024
BACKUPS = 2
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_configured: list[Path] = []


def content_free(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """An error as its type and where it happened: no message, no values."""
    frames = [f"  {Path(f.filename).name}:{f.lineno} in {f.name}"
              for f in traceback.extract_tb(tb)]
    return "\n".join([f"{exc_type.__module__}.{exc_type.__qualname__}", *frames])


class ContentFreeFormatter(logging.Formatter):
    """Formats exceptions with :func:`content_free`; a record's arguments are never
    interpolated from exception text."""

    def formatException(self, ei: object) -> str:
        if isinstance(ei, tuple) and len(ei) == 3 and isinstance(ei[0], type):
            return content_free(ei[0], ei[2])
        return ""

    def formatStack(self, stack_info: str) -> str:
        return ""


def _private_file(path: Path) -> None:
    """Create the log 0600 before the handler opens it (whatever the umask)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def configure(data_dir: Path) -> Path | None:
    """Log to ``data_dir/firstcontact.log`` (once per process; later calls change nothing).
    Returns the file, or None when the folder cannot hold it (logging then stays off)."""
    if _configured:
        return _configured[0]
    path = data_dir / LOG_FILE
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        _private_file(path)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                      encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(ContentFreeFormatter(_FORMAT))
    root = logging.getLogger("firstcontact")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _configured.append(path)
    return path


def log_error(where: str, exc_type: type[BaseException], tb: TracebackType | None) -> None:
    """An unexpected error, without content."""
    logging.getLogger("firstcontact").error("%s: %s", where, content_free(exc_type, tb))
