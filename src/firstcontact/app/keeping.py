"""Keeping the data safe: passphrase changes, backups, recovery and restore — the store's
lifecycle, through the application layer (the command line and the GUI never reach the store
themselves)."""

from __future__ import annotations

from pathlib import Path

from firstcontact.app.context import Context


class Keeping:
    """What needs the open store."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def change_passphrase(self, old: str, new: str) -> None:
        self._ctx.store.change_passphrase(old, new)

    def backup(self, out: Path) -> Path:
        """A consistent, still-encrypted backup file (the app may be running)."""
        from firstcontact.store.lifecycle import backup

        return backup(self._ctx.store, out)

    def has_recovery_key(self) -> bool:
        return self._ctx.store.has_recovery_key()


# What works on a closed store: functions, named for what the worker asks.
def restore(backup_file: Path, data_dir: Path, *, passphrase: str | None = None,
            private_key: Path | None = None, new_passphrase: str | None = None) -> None:
    from firstcontact.store.lifecycle import restore as restore_store

    restore_store(backup_file, data_dir, passphrase=passphrase, private_key=private_key,
                  new_passphrase=new_passphrase)


def recover(data_dir: Path, private_key: Path, new_passphrase: str) -> None:
    from firstcontact.store.lifecycle import recover as recover_store

    recover_store(data_dir, private_key, new_passphrase)


def create_recovery_key(directory: Path) -> tuple[Path, Path]:
    from firstcontact.store.recovery import create_key_pair

    return create_key_pair(directory)
