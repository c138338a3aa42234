"""First run creates the store; later runs unlock it; a wrong passphrase says so."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from firstcontact.ui.gate.create_dialog import CreateStoreDialog
from firstcontact.ui.gate.unlock_dialog import UnlockDialog
from tests.conftest import PASSPHRASE
from tests.ui.helpers import click, visible_windows


def test_first_run_creates_the_store_and_opens_the_case_list(qtbot, controller):
    from firstcontact.app.workspace import Workspace

    controller.start()
    gate = controller.gate
    assert isinstance(gate, CreateStoreDialog)
    assert gate.windowTitle() == "firstcontact"
    warning = gate.findChild(object, "passphrase-warning")
    assert "nobody can recover" in warning.text()
    qtbot.keyClicks(gate.passphrase, PASSPHRASE)
    qtbot.keyClicks(gate.confirm, PASSPHRASE)
    with qtbot.waitSignal(controller.unlocked, timeout=10_000):
        click(qtbot, gate.create_button)
    assert Workspace.exists(controller.data_dir)
    assert controller.window.isVisible()
    assert visible_windows() == [controller.window]
    assert controller.window.cases.model.rowCount() == 0


def test_unlock_wrong_then_right_passphrase(qtbot, controller):
    from firstcontact.app.workspace import Workspace

    Workspace.create(controller.data_dir, PASSPHRASE).close()
    controller.start()
    gate = controller.gate
    assert isinstance(gate, UnlockDialog)
    qtbot.keyClicks(gate.passphrase, "not my passphrase")
    QTest.keyClick(gate.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gate.message.isVisible() and "…" not in gate.message.text(),
                    timeout=10_000)
    assert controller.ws is None
    assert gate.passphrase.text() == "not my passphrase"  # kept, selected for retyping
    gate.passphrase.clear()
    qtbot.waitUntil(lambda: gate.waiting == 0, timeout=30_000)
    qtbot.keyClicks(gate.passphrase, PASSPHRASE)
    with qtbot.waitSignal(controller.unlocked, timeout=10_000):
        QTest.keyClick(gate.passphrase, Qt.Key.Key_Return)
    assert controller.ws is not None and controller.ws.is_open
