"""Light questions about the data directory, answered without opening the store.

The GUI asks them before its first window: importing the database stack (SQLAlchemy,
SQLCipher, the schemas) is left until after that window is shown (brief §6).
"""

from __future__ import annotations

from pathlib import Path

from firstcontact.app.errors import Invalid
from firstcontact.i18n import _
from firstcontact.store.paths import DB_FILE, KEY_FILE
from firstcontact.store.unlock_guard import UnlockGuard


def resolve_data_dir(given: str | None) -> Path:
    """``--data-dir``, else ``$FIRSTCONTACT_HOME``, else the platform's user data folder."""
    from firstcontact.store.paths import resolve_data_dir as resolve

    return Path(resolve(given))


def store_exists(data_dir: Path) -> bool:
    """Same rule as ``Store.exists``: a key file or a database is there."""
    return (data_dir / KEY_FILE).exists() or (data_dir / DB_FILE).exists()


def unlock_wait(data_dir: Path) -> float:
    """Seconds before the next unlock attempt is allowed after failed ones (0: now)."""
    return UnlockGuard(data_dir).seconds_until_next_attempt()


def emergency_wipe(data_dir: Path) -> float:
    """Destroy the wrapped keys, then the files (the store must be closed). Returns seconds.

    A file system that refuses raises :class:`Invalid`: what was destroyed stays destroyed
    (the key file goes first, so the data is unreadable as soon as that step succeeded)."""
    from firstcontact.store.lifecycle import wipe

    try:
        seconds = wipe(data_dir)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if not (data_dir / KEY_FILE).exists():
            raise Invalid(_("the keys are destroyed, so nothing here can be read any more, but "
                            "the wipe could not finish ({reason}): delete {dir} by hand").format(
                                reason=reason, dir=data_dir)) from None
        raise Invalid(_("the wipe could not finish ({reason}); try again, or delete {dir} "
                        "by hand").format(reason=reason, dir=data_dir)) from None
    from firstcontact.app.sync import forget_token_in_keyring

    forget_token_in_keyring(data_dir)  # the sync token's copy, if a keyring held one
    return seconds
