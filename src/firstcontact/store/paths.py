"""Where the store lives, and files that only the user can read."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_HOME = "FIRSTCONTACT_HOME"
KEY_FILE = "keys.json"
DB_FILE = "cases.db"
ATTEMPTS_FILE = "unlock-attempts.json"


def resolve_data_dir(cli_value: str | None) -> Path:
    """``--data-dir``, else ``$FIRSTCONTACT_HOME``, else the platform's user data directory."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("firstcontact", appauthor=False))


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` 0700 (and tighten an existing one)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)


def write_private_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, 0600: temp file in the same folder, fsync, rename."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
