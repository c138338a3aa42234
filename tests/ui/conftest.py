"""Each GUI test gets a fresh 0700 data directory, a controller, and a clean teardown."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import FAST_KDF_ENV, PASSPHRASE


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    os.chmod(home, 0o700)
    monkeypatch.setenv("FIRSTCONTACT_HOME", str(home))
    for name, value in FAST_KDF_ENV.items():
        monkeypatch.setenv(name, value)
    return home


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
