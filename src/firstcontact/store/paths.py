"""Where the store lives, which files are its own, and files that only the user can read."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from firstcontact.i18n import _
from firstcontact.safe_files import TEMP_SUFFIX, private_dir, write_private_atomic
from firstcontact.store.errors import OutputInStore

ENV_HOME = "FIRSTCONTACT_HOME"
KEY_FILE = "keys.json"
DB_FILE = "cases.db"
ATTEMPTS_FILE = "unlock-attempts.json"
LOCK_FILE = "cases.lock"
RESTORE_PREFIX = ".restore-"
# Every file the store itself creates in the data directory (services.toml is the
# organisation's own): SQLite's companions, the failed-unlock counter, the lock.
STORE_FILES = (DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm", DB_FILE + "-journal", KEY_FILE,
               ATTEMPTS_FILE, LOCK_FILE)


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
    private_dir(path)


def is_temp_leftover(name: str) -> bool:
    """A temporary file of an atomic write (``.NAME.xxxx.tmp``; ``.NAME.tmp-PID`` before)."""
    return name.startswith(".") and (name.endswith(TEMP_SUFFIX) or ".tmp-" in name)


def leftovers(data_dir: Path) -> list[Path]:
    """Interrupted restores' staging folders and atomic writes' temporary files."""
    try:
        entries = sorted(data_dir.iterdir())
    except OSError:
        return []
    return [p for p in entries if p.name.startswith(RESTORE_PREFIX) or is_temp_leftover(p.name)]


def store_files(data_dir: Path) -> list[str]:
    """The names of every store file and leftover in ``data_dir`` (empty: nothing of a store)."""
    names = [n for n in STORE_FILES if os.path.lexists(data_dir / n)]
    return names + [p.name for p in leftovers(data_dir)]


def _inside(path: Path, directory: Path) -> bool:
    try:
        real = Path(os.path.realpath(path))
        return real.is_relative_to(os.path.realpath(directory))
    except (OSError, ValueError):
        return False


def _same_file_as_one_in(path: Path, directory: Path) -> bool:
    try:
        target = os.stat(path)
        return any(os.path.samestat(target, os.stat(p)) for p in directory.iterdir()
                   if p.is_file())
    except OSError:
        return False


def refuse_output_in_store(path: Path, data_dir: Path) -> None:
    """Refuse an output path inside the data directory, or another name for one of its files
    (a hard link or a symlink): writing there could destroy the store."""
    if _inside(path, data_dir) or _same_file_as_one_in(path, data_dir):
        raise output_in_store(str(path), data_dir)


def output_in_store(what: str, data_dir: Path) -> OutputInStore:
    return OutputInStore(_("{path} is inside the data directory {dir}: writing there could "
                           "destroy the store; nothing was written — choose a place outside "
                           "it").format(path=what, dir=data_dir))


__all__ = ["ensure_private_dir", "refuse_output_in_store", "resolve_data_dir",
           "store_files", "write_private_atomic"]
