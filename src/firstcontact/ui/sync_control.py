"""Sync in the main window: the Sync button (only when this laptop is enrolled), the status
bar's words, and automatic sync while the hub is reachable.

Everything that touches the network or seals runs on the app's workers (ui/work.py) as a
``"cancel"`` task: at lock or quick exit its result is not wanted, the stop event ends its
waits, and the store is closed (key dropped) at once, whatever the push was doing — what the
hub acknowledged is kept, what it did not is still pending at the next unlock.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from firstcontact.app.errors import USER_ERRORS
from firstcontact.i18n import _, ngettext
from firstcontact.ui.common import named, sync_status_text
from firstcontact.ui.errors import report_unexpected
from firstcontact.ui.labels import local_time
from firstcontact.ui.work import Task, Workers

if TYPE_CHECKING:
    from firstcontact.app.review import PullResult
    from firstcontact.app.sync import PushResult, SyncStatus
    from firstcontact.app.workspace import Workspace

AUTO_SYNC_MS = 5 * 60 * 1000  # while unlocked and enrolled: a push every five minutes
FIRST_AUTO_SYNC_MS = 3 * 1000  # and soon after unlocking
GUI_RETRIES = 1  # the timer tries again later: a worker thread is not held for minutes
GUI_TIMEOUT = 20.0


class _Progress(QObject):
    """Carries the push's progress from the worker thread to the GUI thread (queued)."""

    moved = Signal(int, int)


class SyncControl(QObject):
    """Owns the Sync button and the status words; started and stopped with the window."""

    finished = Signal()  # a sync ended (the case list may have changed)
    wiped_by_hub = Signal(str)  # the hub's signed wipe order: the store is to be erased now

    def __init__(self, ws: Workspace, workers: Workers, parent: QWidget) -> None:
        super().__init__(parent)
        self.ws = ws
        self.workers = workers
        self.button = QPushButton()
        self.button.setAutoDefault(False)
        self.button.clicked.connect(lambda: self.sync_now())
        self.label = QLabel(parent)
        self.label.setObjectName("sync-status")
        self.timer = QTimer(self)
        self.timer.setInterval(AUTO_SYNC_MS)
        self.timer.timeout.connect(lambda: self.sync_now(auto=True))
        self._progress = _Progress(self)
        self._progress.moved.connect(self._moved)
        self._task: Task | None = None
        self._stop = threading.Event()
        self._stopped = False
        self._status: SyncStatus | None = None
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        """The button's words in the worker's language now."""
        named(self.button, _("Sync now"),
              _("Send the cases' latest changes, sealed, to your organisation's hub"))
        self.button.setText(_("Sync now"))

    # -- what is shown ---------------------------------------------------------------------------
    @property
    def enrolled(self) -> bool:
        return self._status is not None and self._status.enrolled

    @property
    def revoked(self) -> bool:
        """The organisation revoked or retired this laptop: no more tries."""
        return self._status is not None and bool(self._status.revoked)

    @property
    def running(self) -> bool:
        return self._task is not None

    def refresh(self, message: str | None = None) -> None:
        """Read the sync status again: the button usable only when enrolled (the window shows
        it only then), the words always."""
        try:
            self._status = self.ws.sync.status()
        except USER_ERRORS:
            self._status = None
        self.button.setEnabled(self.enrolled and not self.running and not self.revoked)
        if self.revoked:  # the organisation stopped this laptop: no more tries, and why in words
            self.timer.stop()
            if self._status is not None and self._status.stopped_words:
                self._say(_("Sync stopped: {why}").format(why=self._status.stopped_words))
            return
        if self.enrolled and not self._stopped:
            if not self.timer.isActive():
                self.timer.start()
                QTimer.singleShot(FIRST_AUTO_SYNC_MS, self, lambda: self.sync_now(auto=True))
        else:
            self.timer.stop()
        if message is None and self.running:
            return  # "Syncing: …" stays until the push ends
        self._say(message if message is not None else self._words())

    def _words(self) -> str:
        status = self._status
        if status is None or not status.enrolled:
            return sync_status_text()
        parts = []
        waiting = status.cases.get("pending", 0)
        attention = status.cases.get("attention", 0)
        if waiting:
            parts.append(ngettext("{n} case waiting to sync", "{n} cases waiting to sync",
                                  waiting).format(n=waiting))
        if attention:
            parts.append(ngettext("{n} case needs attention", "{n} cases need attention",
                                  attention).format(n=attention))
        last = status.last_result if isinstance(status.last_result, dict) else {}
        if status.last_sync_at and "error" in last:
            parts.append(_("the last try ({when}) did not reach the hub").format(
                when=local_time(status.last_sync_at)) if last["error"] == "unreachable" else
                _("the last try ({when}) failed").format(when=local_time(status.last_sync_at)))
        elif status.last_sync_at:
            parts.append(_("last synced {when}").format(when=local_time(status.last_sync_at)))
        elif not parts:
            parts.append(_("not synced yet"))
        return _("Sync: {state}").format(state="; ".join(parts))

    def _say(self, text: str) -> None:
        self.label.setText(text)
        self.label.setAccessibleName(text)

    # -- syncing ---------------------------------------------------------------------------------
    def sync_now(self, *, auto: bool = False) -> Task | None:
        """Push on a worker: by the button (progress and the result said in words), or by the
        timer (only when the hub answers its health check; quiet when it does not)."""
        if self.running or self._stopped or not self.enrolled or self.revoked:
            return None
        ws, stop, progress = self.ws, self._stop, self._progress

        def work() -> tuple[PushResult, PullResult | None] | None:
            if auto and not ws.sync.reachable(timeout=5.0):
                return None  # offline: nothing sealed, nothing tried; the timer comes back
            # a wipe order is run on the GUI thread, once the window let go of the store
            pushed = ws.sync.push(stop=stop, retries=GUI_RETRIES, timeout=GUI_TIMEOUT,
                                  on_progress=lambda done, total: progress.moved.emit(done,
                                                                                      total),
                                  erase_here=False)
            # a supervisor's sync also pulls the workers' cases and sends the reviews
            pulled = ws.review.pull(retries=GUI_RETRIES, stop=stop, erase_here=False) \
                if ws.review.is_supervisor else None
            return pushed, pulled

        self.button.setEnabled(False)
        if not auto:
            self._say(_("Syncing: sealing the latest changes…"))
        self._task = self.workers.run(work, lambda result: self._done(result, auto),
                                      lambda exc: self._failed(exc, auto), policy="cancel")
        return self._task

    def _moved(self, done: int, total: int) -> None:
        if self.running and total:
            self._say(_("Syncing: {done} of {total} sent…").format(done=done, total=total))

    def _done(self, outcome: Any, auto: bool) -> None:
        self._task = None
        if outcome is None:  # the automatic sync found the hub out of reach
            self.refresh(_("Sync: the hub is not reachable now; changes wait on this laptop"))
            return
        result, pulled = outcome
        s = result.summary
        news = ([ngettext("{n} review received", "{n} reviews received",
                          result.records).format(n=result.records)] if result.records else [])
        if pulled is not None and pulled.kept + pulled.parallel:
            news.append(ngettext("{n} case revision pulled", "{n} case revisions pulled",
                                 pulled.kept + pulled.parallel).format(
                                     n=pulled.kept + pulled.parallel))
        if pulled is not None and pulled.refused:
            news.append(ngettext("{n} refused (did not check out)",
                                 "{n} refused (did not check out)", pulled.refused).format(
                                     n=pulled.refused))
        if auto and not (s.pushed or s.duplicates or s.quarantined or news):
            self.refresh()  # nothing happened worth saying: the usual words
            self.finished.emit()
            return
        words = [ngettext("{n} sent", "{n} sent", s.pushed).format(n=s.pushed)]
        if s.duplicates:
            words.append(ngettext("{n} already there", "{n} already there",
                                  s.duplicates).format(n=s.duplicates))
        if s.pending:
            words.append(ngettext("{n} still waiting", "{n} still waiting",
                                  s.pending).format(n=s.pending))
        if s.quarantined:
            words.append(ngettext("{n} refused: see the case list",
                                  "{n} refused: see the case list",
                                  s.quarantined).format(n=s.quarantined))
        self.refresh(_("Synced: {what}").format(what=", ".join(words + news)))
        self.finished.emit()

    def _failed(self, exc: Exception, auto: bool) -> None:
        from firstcontact.app.errors import SyncFailed

        self._task = None
        if isinstance(exc, SyncFailed) and exc.code == "wipe-ordered":
            self._stopped = True
            self.timer.stop()
            self.wiped_by_hub.emit(exc.message)
            return
        if isinstance(exc, USER_ERRORS):
            self.refresh(_("Not synced: {reason}").format(reason=exc.message))
        else:
            self.refresh(_("Not synced: something went wrong"))
            if not auto:
                report_unexpected(exc, "sync")
        self.finished.emit()

    def stop(self) -> None:
        """At lock or quick exit: no more syncing; a push in flight stops its waits and its
        result is dropped (the worker pool settles it)."""
        self._stopped = True
        self._stop.set()
        self.timer.stop()
        if self._task is not None:
            self._task.cancel()
