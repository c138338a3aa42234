"""Lock when the desktop session locks, where the platform reports it over D-Bus.

Listens for the freedesktop / GNOME screen savers' ``ActiveChanged(true)`` on the session bus
and logind's ``Lock`` for this session on the system bus. Where there is no D-Bus (or no
QtDBus), it quietly does nothing. Asking logind for this session's path is a blocking bus call
(up to half a second): it runs on the workers, never on the GUI thread.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import SLOT, QObject, Signal, Slot

if TYPE_CHECKING:
    from firstcontact.ui.work import Workers

_SCREENSAVERS = (
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)
_LOGIN1 = "org.freedesktop.login1"


class SessionLockWatcher(QObject):
    locked = Signal()

    def __init__(self, parent: QObject | None = None, *, session_bus: object | None = None,
                 system_bus: object | None = None, workers: Workers | None = None) -> None:
        super().__init__(parent)
        self.listening = 0
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # a Qt build without D-Bus
            return
        session = session_bus if session_bus is not None else QDBusConnection.sessionBus()
        system = system_bus if system_bus is not None else QDBusConnection.systemBus()
        if isinstance(session, QDBusConnection) and session.isConnected():
            for path, interface in _SCREENSAVERS:
                self.listening += _connect(session, "", path, interface, "ActiveChanged", self,
                                           "_screensaver(bool)")
        if isinstance(system, QDBusConnection) and system.isConnected():
            self._system = system
            if workers is None:
                self._listen_logind(_session_path(system))
            else:
                workers.run(lambda: _session_path(system), self._listen_logind,
                            lambda _exc: None, policy="cancel")

    def _listen_logind(self, session_path: object) -> None:
        if isinstance(session_path, str) and session_path:
            self.listening += _connect(self._system, _LOGIN1, session_path,
                                       f"{_LOGIN1}.Session", "Lock", self, "_logind_lock()")

    @Slot(bool)
    def _screensaver(self, active: bool) -> None:
        if active:
            self.locked.emit()

    @Slot()
    def _logind_lock(self) -> None:
        self.locked.emit()


def _connect(bus: object, service: str, path: str, interface: str, name: str,
             receiver: QObject, slot: str) -> bool:
    """Connect a D-Bus signal to a slot (PySide's stub wants bytes; the call takes SLOT())."""
    return bool(bus.connect(service, path, interface, name, receiver,  # type: ignore[attr-defined]
                            SLOT(slot)))


def _session_path(system: object) -> str | None:
    from PySide6.QtDBus import QDBusConnection, QDBusInterface

    session_id = os.environ.get("XDG_SESSION_ID")
    if not session_id or not isinstance(system, QDBusConnection):
        return None
    manager = QDBusInterface(_LOGIN1, "/org/freedesktop/login1", f"{_LOGIN1}.Manager", system)
    if not manager.isValid():
        return None
    manager.setTimeout(500)
    reply = manager.call("GetSession", session_id)
    args = reply.arguments()
    if not args:
        return None
    value = args[0]
    path = value.path() if hasattr(value, "path") else str(value)
    return path or None
