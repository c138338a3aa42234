"""The Qt application: creates the QApplication and the controller, shows the unlock dialog.

Only Qt and light modules are imported on the way to the first window; the store, SQLAlchemy,
the checklist schemas and the PDF renderer are imported after it is shown (brief §6).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from firstcontact.ui.heap import settle_heap

BENCH_ENV = "FIRSTCONTACT_BENCH_EXIT_ON_SHOW"
APP_ID = "org.firstcontact.FirstContact"  # packaging/linux/APP_ID.desktop, .metainfo.xml


def _warm_up() -> None:
    """Import the heavy modules in the background while the passphrase is typed."""
    try:
        from firstcontact.app.workspace import Workspace  # noqa: F401
        from firstcontact.checklists import load_checklist

        load_checklist()
        settle_heap()
    except Exception:  # noqa: S110 - a real error shows up again when unlocking
        pass


def create_application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv)
    app.setApplicationName("firstcontact")
    app.setDesktopFileName(APP_ID)  # the desktop entry: its icon and name on Wayland
    app.setQuitOnLastWindowClosed(False)  # the controller decides when to quit
    return app


def resolve(data_dir: str | None) -> Path:
    from firstcontact.app.locate import resolve_data_dir

    return resolve_data_dir(data_dir)


def run(data_dir: str | None) -> int:
    os.umask(0o077)  # exported files and anything else we write: owner only
    app = create_application()
    from firstcontact import logs
    from firstcontact.ui import errors
    from firstcontact.ui.controller import AppController

    directory = resolve(data_dir)
    logs.configure(directory)
    errors.install()  # an error in a slot is logged without content and said plainly
    controller = AppController(directory)
    controller.quick_exited.connect(app.quit)
    controller.quit_requested.connect(app.quit)
    if os.environ.get(BENCH_ENV):
        controller.gate_shown.connect(lambda: QTimer.singleShot(0, app.quit))
    else:
        controller.gate_shown.connect(
            lambda: threading.Thread(target=_warm_up, name="warm-up", daemon=True).start())
    controller.start()
    code = int(app.exec())
    controller.shutdown()
    return code
