"""Keeping the data safe: passphrase changes, backups, recovery and restore — the store's
lifecycle, through the application layer (the command line and the GUI never reach the store
themselves)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from firstcontact.app.context import Context
    from firstcontact.store.audit_chain import ChainCheck


class Keeping:
    """What needs the open store."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def change_passphrase(self, old: str, new: str,
                          progress: Callable[[float], None] | None = None,
                          recovery_public_key: Path | None = None) -> None:
        """A new passphrase and a new data key: the store is re-encrypted (``progress`` is told
        the fraction done)."""
        self._ctx.store.change_passphrase(old, new, progress, recovery_public_key)

    def verify_audit(self) -> ChainCheck:
        """Whether the audit log's hash chain is intact (and where it breaks)."""
        return self._ctx.store.verify_audit()

    def backup(self, out: Path, *, replace: bool = True) -> Path:
        """A consistent, still-encrypted backup file (the app may be running)."""
        from firstcontact.store.lifecycle import backup

        return backup(self._ctx.store, out, replace=replace)

    def unwritten_audit(self) -> int:
        """Audit events a full disk kept from being recorded by the time the store closed."""
        return self._ctx.store.unwritten_audit

    def has_recovery_key(self) -> bool:
        return self._ctx.store.has_recovery_key()


# What works on a closed store: functions, named for what the worker asks.
Progress = Callable[[float], None]  # told the fraction done while the store is re-encrypted


def restore(backup_file: Path, data_dir: Path, *, passphrase: str | None = None,
            private_key: Path | None = None, new_passphrase: str | None = None,
            recovery_public_key: Path | None = None, progress: Progress | None = None) -> None:
    """Restore a backup into a data directory holding no store file, with a new data key."""
    from firstcontact.store.lifecycle import restore as restore_store

    restore_store(backup_file, data_dir, passphrase=passphrase, private_key=private_key,
                  new_passphrase=new_passphrase, recovery_public_key=recovery_public_key,
                  progress=progress)


def recover(data_dir: Path, private_key: Path, new_passphrase: str,
            progress: Progress | None = None) -> None:
    """A new passphrase (and data key) with the organisation's private recovery key."""
    from firstcontact.store.lifecycle import recover as recover_store

    recover_store(data_dir, private_key, new_passphrase, progress)


def refuse_output_in_store(out: Path, data_dir: Path) -> None:
    """Refuse an output path inside the data directory (or another name for one of its
    files): writing there could destroy the store."""
    from firstcontact.store.paths import refuse_output_in_store as refuse

    refuse(out, data_dir)


def output_in_store(what: str, data_dir: Path) -> Exception:
    """The refusal for an output that would land in the store (e.g. redirected stdout)."""
    from firstcontact.store.paths import output_in_store as refusal

    return refusal(what, data_dir)


def create_recovery_key(directory: Path) -> tuple[Path, Path]:
    from firstcontact.store.recovery import create_key_pair

    return create_key_pair(directory)
