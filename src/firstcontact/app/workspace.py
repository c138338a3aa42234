"""The application layer's one way in: an unlocked store, seen through its parts.

A :class:`Workspace` is opened with :meth:`Workspace.create` or :meth:`Workspace.unlock` and
closed with :meth:`Workspace.close` (the key is zeroed). Its parts, each a module of its own:

- ``ws.cases`` (app/case_commands.py): every change to a case;
- ``ws.queries`` (app/case_queries.py): reading cases, the case list, the case as JSON;
- ``ws.settings`` (app/settings.py): profile, preferences, retention, services directory;
- ``ws.packs`` (app/packs.py): completeness, referral packs, the survivor copy;
- ``ws.keeping`` (app/keeping.py): passphrase, backup, recovery key;
- ``ws.sync`` (app/sync.py): enrolment with the organisation's hub, pushing, sync status;
- ``ws.review`` (app/review.py): a supervisor's pull, review and sign-off of workers' cases.

``ws.checklist`` and ``ws.destinations`` are the read-only interview and referral data. The
store itself is private to app/: the command line and the GUI never reach it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from firstcontact.app.case_commands import CaseCommands
from firstcontact.app.case_queries import CaseQueries
from firstcontact.app.context import Context
from firstcontact.app.errors import Invalid, NotFound
from firstcontact.app.keeping import Keeping
from firstcontact.app.packs import Packs
from firstcontact.app.review import Review
from firstcontact.app.settings import Settings
from firstcontact.app.sync import Sync
from firstcontact.checklists import load_checklist
from firstcontact.domain.interview import Interview
from firstcontact.domain.model import Checklist
from firstcontact.i18n import _
from firstcontact.referral.model import Destinations
from firstcontact.store.errors import DiskFull
from firstcontact.store.facade import Store


class Workspace:
    """One unlocked store. Close it to drop the key."""

    def __init__(self, store: Store, data_dir: Path, checklist: Checklist | None = None) -> None:
        self._ctx = Context(store, data_dir, checklist or load_checklist())
        self.data_dir = data_dir
        self.queries = CaseQueries(self._ctx)
        self.cases = CaseCommands(self._ctx, self.queries)
        self.settings = Settings(self._ctx)
        self.packs = Packs(self._ctx, self.queries, self.cases, self.settings)
        self.keeping = Keeping(self._ctx)
        self.sync = Sync(self._ctx)
        self.review = Review(self._ctx, self.queries)

    # -- read-only data ------------------------------------------------------------------------
    @property
    def checklist(self) -> Checklist:
        """The interview data in the worker's language (ids and rules as written)."""
        return self._ctx.checklist

    @property
    def source_checklist(self) -> Checklist:
        """The interview data as written (English): what the texts for the person and the
        packs are checked against."""
        return self._ctx.source

    @property
    def interview(self) -> Interview:
        return self._ctx.interview

    @property
    def destinations(self) -> Destinations:
        return self._ctx.destinations

    # -- opening and closing -------------------------------------------------------------------
    @staticmethod
    def exists(data_dir: Path) -> bool:
        return Store.exists(data_dir)

    @staticmethod
    def require_store(data_dir: Path) -> None:
        if not Store.exists(data_dir):
            raise NotFound(_("no store in {dir}: create one with `firstcontact init`").format(
                dir=data_dir))

    @staticmethod
    def refuse_existing(data_dir: Path) -> None:
        if Store.exists(data_dir):
            raise Invalid(_("a store already exists in {dir}; it was left untouched").format(
                dir=data_dir))

    @classmethod
    def create(cls, data_dir: Path, passphrase: str,
               recovery_public_key: Path | None = None) -> Workspace:
        return cls._opened(Store.create(data_dir, passphrase, recovery_public_key), data_dir,
                           retention=False)

    @classmethod
    def unlock(cls, data_dir: Path, passphrase: str) -> Workspace:
        return cls._opened(Store.unlock(data_dir, passphrase), data_dir, retention=True)

    @classmethod
    def _opened(cls, store: Store, data_dir: Path, *, retention: bool) -> Workspace:
        """Finish opening; on any failure after the store opened, close it (key zeroed)."""
        try:
            ws = cls(store, data_dir)
            if retention:
                with contextlib.suppress(DiskFull):  # a full disk: applied at a later unlock
                    ws.settings.apply_retention()
        except BaseException:
            store.close()
            raise
        return ws

    def close(self) -> None:
        self._ctx.store.close()

    @property
    def is_open(self) -> bool:
        return self._ctx.store.is_open
