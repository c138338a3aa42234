"""Write an export atomically to the chosen path only: temp file beside it, fsync, rename."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> str:
    """Write ``data`` (already encrypted) to ``path``; return its SHA-256 (hex).

    Never leaves a partial file at ``path``; on failure the temp file is removed and the
    OSError propagates (its message names the path, never the content).
    """
    directory = path.parent if str(path.parent) else Path(".")
    tmp = directory / f".{path.name}.part-{os.getpid()}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return hashlib.sha256(data).hexdigest()
