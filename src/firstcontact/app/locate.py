"""Light questions about the data directory, answered without opening the store.

The GUI asks them before its first window: importing the database stack (SQLAlchemy,
SQLCipher, the schemas) is left until after that window is shown (brief §6).
"""

from __future__ import annotations

from pathlib import Path

from firstcontact.store.paths import DB_FILE, KEY_FILE
from firstcontact.store.unlock_guard import UnlockGuard


def store_exists(data_dir: Path) -> bool:
    """Same rule as ``Store.exists``: a key file or a database is there."""
    return (data_dir / KEY_FILE).exists() or (data_dir / DB_FILE).exists()


def unlock_wait(data_dir: Path) -> float:
    """Seconds before the next unlock attempt is allowed after failed ones (0: now)."""
    return UnlockGuard(data_dir).seconds_until_next_attempt()
