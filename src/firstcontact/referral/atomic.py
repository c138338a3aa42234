"""Write an export atomically to the chosen path only: temp file beside it, fsync, rename."""

from __future__ import annotations

import hashlib
from pathlib import Path

from firstcontact.safe_files import write_private_atomic


def write_atomic(path: Path, data: bytes, *, replace: bool = True) -> str:
    """Write ``data`` (already encrypted) to ``path``; return its SHA-256 (hex).

    Never leaves a partial file at ``path``; on failure the temp file is removed and the
    OSError propagates (its message names the path, never the content). ``replace=False``
    refuses to replace an existing file (``FileExistsError``).
    """
    write_private_atomic(path, data, replace=replace)
    return hashlib.sha256(data).hexdigest()
