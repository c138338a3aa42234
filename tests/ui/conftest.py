"""Each GUI test gets a controller over the test's data directory (tests/conftest.py) and a
clean teardown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from tests.conftest import PASSPHRASE


@pytest.fixture
def controller(qtbot, data_dir: Path) -> Iterator[object]:
    from firstcontact.ui.controller import AppController

    c = AppController(data_dir, clipboard_seconds=0.5)
    yield c
    c.shutdown()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.clipboard().clear()


@pytest.fixture
def unlocked(qtbot, controller):
    """An unlocked app on a new store (created through the application layer)."""
    from firstcontact.app.workspace import Workspace

    controller.open_workspace(Workspace.create(controller.data_dir, PASSPHRASE))
    qtbot.waitExposed(controller.window)
    return controller
