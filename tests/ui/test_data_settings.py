"""Settings › Keeping data: retention shown and set; the emergency wipe, confirmed, leaves a
first run."""

from __future__ import annotations

import pytest

from firstcontact.store.facade import Store
from firstcontact.ui.gate.create_dialog import CreateStoreDialog
from tests.ui.helpers import click


def open_settings(qtbot, controller):
    dialog = controller.window.open_settings()
    qtbot.waitUntil(lambda: dialog.isVisible())
    return dialog


def test_retention_is_shown_off_and_can_be_set(qtbot, unlocked):
    controller = unlocked
    dialog = open_settings(qtbot, controller)
    assert dialog.retention_days.value() == 0
    assert dialog.retention_days.text().startswith("Off")
    dialog.retention_days.setValue(90)
    with qtbot.waitSignal(dialog.saved):
        click(qtbot, dialog.save_button)
    assert controller.ws.settings.retention_days() == 90
    again = open_settings(qtbot, controller)
    assert again.retention_days.value() == 90


def test_emergency_wipe_needs_confirmation_then_destroys_everything(qtbot, unlocked, data_dir):
    controller = unlocked
    controller.ws.cases.new()
    dialog = open_settings(qtbot, controller)
    click(qtbot, dialog.wipe_button)
    box = dialog.confirm_box
    qtbot.waitUntil(lambda: box.isVisible())
    assert "not yet synced" in box.text()
    click(qtbot, box.button(box.StandardButton.Cancel))
    assert Store.exists(data_dir)  # cancelled: nothing happened
    click(qtbot, dialog.wipe_button)
    box = dialog.confirm_box
    qtbot.waitUntil(lambda: box.isVisible())
    wipe = next(b for b in box.buttons() if box.buttonRole(b) == box.ButtonRole.DestructiveRole)
    click(qtbot, wipe)
    qtbot.waitUntil(lambda: not Store.exists(data_dir))
    assert controller.ws is None
    assert isinstance(controller.gate, CreateStoreDialog)  # the next screen is a first run


def test_a_wipe_the_disk_refuses_still_locks_and_says_why(qtbot, unlocked, monkeypatch):
    import firstcontact.store.lifecycle as lifecycle
    from firstcontact.ui.gate.unlock_dialog import UnlockDialog

    def refused(_data_dir):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lifecycle, "wipe", refused)
    controller = unlocked
    dialog = open_settings(qtbot, controller)
    click(qtbot, dialog.wipe_button)
    box = dialog.confirm_box
    qtbot.waitUntil(lambda: box.isVisible())
    wipe = next(b for b in box.buttons() if box.buttonRole(b) == box.ButtonRole.DestructiveRole)
    click(qtbot, wipe)
    qtbot.waitUntil(lambda: controller.gate is not None)
    assert controller.ws is None  # locked whatever happened
    gate = controller.gate
    assert isinstance(gate, UnlockDialog)
    assert "could not finish" in gate.message.text() and "Permission denied" in gate.message.text()


def test_a_wipe_stopped_after_the_keys_went_says_the_data_is_unreadable(unlocked, monkeypatch):
    import firstcontact.store.lifecycle as lifecycle
    from firstcontact.app.errors import Invalid
    from firstcontact.app.locate import emergency_wipe
    from firstcontact.store.paths import KEY_FILE

    data_dir = unlocked.data_dir

    def keys_then_refused(directory):
        (directory / KEY_FILE).unlink()
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lifecycle, "wipe", keys_then_refused)
    unlocked.lock()
    with pytest.raises(Invalid) as raised:
        emergency_wipe(data_dir)
    assert "nothing here can be read any more" in raised.value.message
    assert "by hand" in raised.value.message and "try again" not in raised.value.message
