"""Where the store lives, and files that only the user can read."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from firstcontact.safe_files import write_private_atomic

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


__all__ = ["ensure_private_dir", "resolve_data_dir", "write_private_atomic"]
