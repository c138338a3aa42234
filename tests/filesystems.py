"""Real small file systems for tests: a tmpfs of a given size, or an ext4 image on a loop
device. CI runs as root; where mounting is impossible the test is skipped with the reason.
Always unmounted afterwards, even when the test fails."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)


def _unmount(point: Path) -> None:
    if _run("umount", str(point)).returncode != 0:
        _run("umount", "-l", str(point))


def _can_mount() -> str | None:
    if os.geteuid() != 0:
        return "mounting a test file system needs root (CI runs as root)"
    if shutil.which("mount") is None:
        return "no mount command (Debian package 'mount')"
    return None


@contextlib.contextmanager
def tmpfs(point: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (e.g. "4m") mounted on ``point``."""
    reason = _can_mount()
    if reason:
        pytest.skip(reason)
    point.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(point))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield point
    finally:
        _unmount(point)


@contextlib.contextmanager
def ext4_image(image: Path, point: Path, megabytes: int) -> Iterator[Path]:
    """An ext4 file system in ``image`` (block size 4096, as on a laptop), loop-mounted on
    ``point``. Unmount it (``remount``) to read the image as a disk would be read."""
    reason = _can_mount() or (None if shutil.which("mkfs.ext4") else
                              "no mkfs.ext4 (Debian package 'e2fsprogs')")
    if reason:
        pytest.skip(reason)
    with image.open("wb") as fh:
        fh.truncate(megabytes * 1024 * 1024)
    made = _run("mkfs.ext4", "-q", "-F", "-b", "4096", str(image))
    if made.returncode != 0:
        pytest.skip(f"cannot make an ext4 image: {made.stderr.strip()}")
    point.mkdir(parents=True, exist_ok=True)
    mounted = _run("mount", "-o", "loop", str(image), str(point))
    if mounted.returncode != 0:
        pytest.skip(f"cannot loop-mount an image here: {mounted.stderr.strip()}")
    try:
        yield point
    finally:
        if os.path.ismount(point):
            _unmount(point)


def unmount(point: Path) -> None:
    _unmount(point)


def mount_image(image: Path, point: Path) -> None:
    done = _run("mount", "-o", "loop", str(image), str(point))
    assert done.returncode == 0, done.stderr


def fill(point: Path) -> Path:
    """Take every free byte of the file system (a file, then empty inodes' worth)."""
    filler = point / "filler"
    with contextlib.suppress(OSError), filler.open("ab") as fh:
        block = b"\0" * 65536
        while True:
            fh.write(block)
            fh.flush()
    with contextlib.suppress(OSError), filler.open("ab") as fh:
        while True:
            fh.write(b"\0" * 512)
            fh.flush()
    assert shutil.disk_usage(point).free < 64 * 1024
    return filler
