"""What an interrupted restore or write leaves in the data directory, settled at the next open:
a restore stopped between its two renames is finished; anything else is destroyed (a staged or
temporary key file overwritten first)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from firstcontact.safe_files import shred
from firstcontact.store.paths import DB_FILE, KEY_FILE, leftovers


def destroy(path: Path) -> None:
    """Overwrite every file of a leftover (a key file may be among them), then remove it."""
    if path.is_dir() and not path.is_symlink():
        for inner in path.iterdir():
            destroy(inner)
        shutil.rmtree(path, ignore_errors=True)
    else:
        shred(path)


def settle(data_dir: Path) -> None:
    """Finish or clear what interrupted work left here. Call it only while holding the store
    alone (no other window or command could be writing these files)."""
    for path in leftovers(data_dir):
        staged_key = path / KEY_FILE
        if path.is_dir() and staged_key.is_file() and not (path / DB_FILE).exists() \
                and (data_dir / DB_FILE).exists() and not (data_dir / KEY_FILE).exists():
            os.replace(staged_key, data_dir / KEY_FILE)  # the database went first: finish
        try:
            destroy(path)
        except OSError:
            continue  # settled at a later open
