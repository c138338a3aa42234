"""Writing files only the user can read, atomically, and destroying them.

Every file the app writes goes through :func:`atomic_file`: a temporary file with an
unpredictable name beside the target, created with ``O_EXCL|O_NOFOLLOW`` and mode 0600
(``tempfile.mkstemp``: a planted file or symlink is never followed or reused), written, fsynced,
renamed over the target, then the folder is fsynced. A reader never sees a partial file, and a
failed write leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"  # temporary files are ".NAME.<random>.tmp" in the target's folder


def fsync_dir(directory: Path) -> None:
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _install(tmp: Path, path: Path, replace: bool) -> None:
    if replace:
        os.replace(tmp, path)
        return
    try:  # a hard link never replaces an existing file: atomic "create if absent"
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:  # no hard links here (FAT, some network shares): check, then rename
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                             errno.EMLINK, errno.ENOSYS):
            raise
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


@contextlib.contextmanager
def atomic_file(path: Path, *, replace: bool = True) -> Iterator[BinaryIO]:
    """Yield a binary file that becomes ``path`` (0600) when the block ends without error.

    ``replace=False`` refuses (``FileExistsError``) to replace an existing ``path``.
    """
    directory = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o600)  # whatever the umask
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _install(tmp, path, replace)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(directory)


def write_private_atomic(path: Path, data: bytes, *, replace: bool = True) -> None:
    with atomic_file(path, replace=replace) as fh:
        fh.write(data)


def overwrite_open_file(fd: int) -> None:
    """Overwrite an open file's bytes in place with random data and sync them (the blocks it
    holds now, not a copy: a file system that writes in place keeps nothing of it)."""
    size = os.fstat(fd).st_size
    written = 0
    while written < size:
        chunk = secrets.token_bytes(min(65536, size - written))
        written += os.pwrite(fd, chunk, written)
    os.fsync(fd)


def shred(path: Path) -> None:
    """Overwrite a regular file in place, then delete it; a symlink is only removed."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return
    except OSError as exc:
        if exc.errno != errno.ELOOP:  # ELOOP: a symlink, whose target is not ours to touch
            raise
        path.unlink(missing_ok=True)
        return
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            overwrite_open_file(fd)
    finally:
        os.close(fd)
    path.unlink(missing_ok=True)


def private_dir(path: Path) -> None:
    """Create ``path`` 0700 (and tighten an existing one), whatever the umask."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
