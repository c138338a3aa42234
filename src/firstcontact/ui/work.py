"""Slow work off the GUI thread: one small pattern for unlocking, creating the store,
exporting a pack, erasing closed cases and asking the session bus.

A task runs a plain callable on a thread pool; its result (or its error) comes back to the GUI
thread as a call to ``on_done`` (or ``on_failed``), so the window keeps painting and quick exit
keeps working meanwhile. At lock or quick exit, :meth:`Workers.settle` decides each running
task's fate by its policy:

- ``"cancel"`` (unlock, create, the bus): the result is not wanted any more. It is handed to
  ``dispose`` (an opened store is closed and its key zeroed), in whichever thread sees the
  cancellation first, and ``on_done`` is never called;
- ``"finish"`` (export, retention): the work the worker asked for completes, and its result is
  delivered before the store closes (an export is recorded and audited, never half-done).

Tasks never touch widgets; callers pass functions that do only Qt-free work.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Literal

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

Policy = Literal["cancel", "finish"]
log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries a task's outcome to the GUI thread (queued: it lives there)."""

    finished = Signal(object, object)  # result, error


class Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], policy: Policy,
                 dispose: Callable[[Any], None] | None) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.policy = policy
        self.dispose = dispose
        self.relay = _Relay()
        self._lock = threading.Lock()
        self._cancelled = False
        self._disposed = False
        self.done = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True

    def dispose_once(self, result: Any) -> None:
        """Hand a result nobody wants to ``dispose`` exactly once."""
        with self._lock:
            if self._disposed:
                return
            self._disposed = True
        if self.dispose is not None and result is not None:
            try:
                self.dispose(result)
            except Exception:  # disposing must not raise into the pool or the lock
                log.exception("disposing a cancelled task's result failed")

    def run(self) -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = self.fn()
        except Exception as exc:
            error = exc
        try:
            if self.cancelled and error is None:
                self.dispose_once(result)
            else:
                self.relay.finished.emit(result, error)
        finally:
            self.done.set()


class Workers(QObject):
    """The app's one pool for slow work, and what becomes of it at lock."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._tasks: list[Task] = []

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_failed: Callable[[Exception], None], *, policy: Policy = "cancel",
            dispose: Callable[[Any], None] | None = None) -> Task:
        task = Task(fn, policy, dispose)

        def finished(result: Any, error: BaseException | None) -> None:
            self._forget(task)
            if task.cancelled:
                if error is None:
                    task.dispose_once(result)
                return
            if error is not None:
                on_failed(error if isinstance(error, Exception) else RuntimeError())
            else:
                on_done(result)

        task.relay.finished.connect(finished)
        self._tasks.append(task)
        self._pool.start(task)
        return task

    def _forget(self, task: Task) -> None:
        if task in self._tasks:
            self._tasks.remove(task)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def cancel_unwanted(self) -> None:
        """Cancel every task whose result nobody will want after a lock (an unlock)."""
        for task in list(self._tasks):
            if task.policy == "cancel":
                task.cancel()

    def settle(self, timeout_ms: int = 15_000) -> None:
        """At lock: cancel what is not wanted, let the rest finish and deliver its result
        while the store is still open. Waits at most ``timeout_ms``."""
        self.cancel_unwanted()
        pending = [t for t in self._tasks if t.policy == "finish"]
        for task in pending:
            task.done.wait(timeout_ms / 1000)
        QCoreApplication.sendPostedEvents()  # their results, delivered before the lock
        for task in list(self._tasks):
            if task.cancelled:
                self._forget(task)

    def wait(self, timeout_ms: int = 15_000) -> bool:
        """Wait for every task to end (app exit, tests)."""
        return bool(self._pool.waitForDone(timeout_ms))
