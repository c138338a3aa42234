"""Sync in the GUI against a real hub: nothing about sync shows as working before enrolment;
enrolling through Settings › Sync shows the fingerprint to compare; Sync now pushes off the GUI
thread and the case list says "synced at …"; automatic sync while the hub answers; quick exit
during a slowed push closes the store at once and loses nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from firstcontact.app.workspace import Workspace
from firstcontact.ui import sync_control
from firstcontact.ui.common import sync_status_text
from tests.conftest import PASSPHRASE
from tests.hub.proxy import FaultProxy
from tests.hub.support import Hub, serving
from tests.ui.helpers import click, visible_windows


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with serving(tmp_path_factory.mktemp("hub")) as running:
        yield running


@pytest.fixture(autouse=True)
def no_surprise_auto_sync(monkeypatch):
    """Automatic sync only where a test asks for it."""
    monkeypatch.setattr(sync_control, "FIRST_AUTO_SYNC_MS", 3_600_000)
    monkeypatch.setattr(sync_control, "AUTO_SYNC_MS", 3_600_000)


def sync_column(window) -> int:
    return window.cases.model.column_of("sync")


def sync_cell(window, reference: str) -> str:
    model = window.cases.model
    row = model.row_of(window.ws.queries.find(reference).id)
    return str(model.index(row, sync_column(window)).data())


def enrol_through_settings(qtbot, window, url: str, code: str):
    dialog = window.open_settings(sync=True)
    page = dialog.sync_page
    qtbot.waitUntil(lambda: page.isVisible())
    assert dialog.focusWidget() is page.url  # where typing goes once the dialog is active
    qtbot.keyClicks(page.url, url)
    qtbot.keyClicks(page.code, code)
    click(qtbot, page.enrol_button)
    qtbot.waitUntil(lambda: page.confirm_box.isVisible(), timeout=30_000)
    return dialog, page


def test_not_set_up_shows_nothing_working(qtbot, unlocked):
    window = unlocked.window
    ref = unlocked.ws.cases.new().reference
    window.show_cases(ref)
    assert not window.sync_action.isVisible()
    assert window.sync_label.text() == sync_status_text()
    assert window.cases.table.isColumnHidden(sync_column(window))
    assert window.sync.sync_now() is None  # nothing to push to
    dialog = window.open_settings(sync=True)
    qtbot.waitUntil(lambda: dialog.sync_page.isVisible())
    assert "Not set up" in dialog.sync_page.state.text()
    assert dialog.sync_page.enrol_box.isVisible()


def test_enrol_in_settings_then_sync_now_shows_synced_at(qtbot, unlocked, hub: Hub):
    window = unlocked.window
    ws = unlocked.ws
    ref = ws.cases.new().reference
    ws.cases.add_note(ref, "Met at the day centre")
    window.show_cases(ref)

    dialog, page = enrol_through_settings(qtbot, window, hub.url, hub.issue_code())
    fingerprint = hub.org_key().public.fingerprint()
    assert page.fingerprint_value.text() == fingerprint  # to compare before anything is kept
    assert not ws.sync.enrolled
    with qtbot.waitSignal(dialog.sync_changed):
        click(qtbot, page.accept_button)
    assert page.state.text().startswith("Enrolled")
    assert page.detail_labels["hub"].text() == hub.url
    assert page.detail_labels["fingerprint"].text() == fingerprint
    assert "passphrase only" in page.message.text()  # no trusted keyring here: said once
    dialog.close()

    assert window.sync_action.isVisible()
    assert not window.cases.table.isColumnHidden(sync_column(window))
    assert sync_cell(window, ref) == "pending"
    assert "1 case waiting to sync" in window.sync_label.text()
    qtbot.waitUntil(window.sync.button.isVisible)  # the toolbar lays it out
    with qtbot.waitSignal(window.sync.finished, timeout=60_000):
        click(qtbot, window.sync.button)
        assert window.sync.label.text().startswith("Syncing")  # said while it works
        assert not window.sync.button.isEnabled()
    assert window.sync_label.text() == "Synced: 1 sent"
    assert sync_cell(window, ref).startswith("synced at ")
    assert window.sync.button.isEnabled()
    device = ws.sync.status().device_id
    case_id = ws.queries.find(ref).id
    assert hub.pairs(device) == {(case_id, ws.queries.find(ref).revision): 1}


def test_different_fingerprints_keep_nothing(qtbot, unlocked, hub: Hub):
    window = unlocked.window
    _dialog, page = enrol_through_settings(qtbot, window, hub.url, hub.issue_code())
    click(qtbot, page.decline_button)
    assert "Nothing was kept" in page.message.text()
    assert page.enrol_box.isVisible() and "Not set up" in page.state.text()
    assert not unlocked.ws.sync.enrolled and not window.sync_action.isVisible()


def test_a_wrong_code_is_said_on_the_page(qtbot, unlocked, hub: Hub):
    dialog = unlocked.window.open_settings(sync=True)
    page = dialog.sync_page
    qtbot.keyClicks(page.url, hub.url)
    qtbot.keyClicks(page.code, "ABCD-EFGH-JKMN-PQRS")
    click(qtbot, page.enrol_button)
    qtbot.waitUntil(lambda: "code" in page.message.text(), timeout=30_000)
    assert page.enrol_button.isEnabled() and not page.confirm_box.isVisible()


def test_automatic_sync_while_the_hub_answers(qtbot, unlocked, hub: Hub, monkeypatch):
    monkeypatch.setattr(sync_control, "FIRST_AUTO_SYNC_MS", 50)
    window = unlocked.window
    ws = unlocked.ws
    ref = ws.cases.new().reference
    window.show_cases(ref)
    _dialog, page = enrol_through_settings(qtbot, window, hub.url, hub.issue_code())
    click(qtbot, page.accept_button)
    qtbot.waitUntil(lambda: sync_cell(window, ref).startswith("synced at "), timeout=60_000)


def test_quick_exit_during_a_slowed_push_closes_the_store(qtbot, unlocked, hub: Hub):
    controller = unlocked
    window, ws = controller.window, controller.ws
    ref = ws.cases.new().reference
    proxy = FaultProxy(hub.port)
    try:
        _dialog, page = enrol_through_settings(qtbot, window, proxy.url, hub.issue_code())
        click(qtbot, page.accept_button)
        device = ws.sync.status().device_id
        proxy.add_fault("hold")  # the hub stores the push; its answer is held
        qtbot.waitUntil(window.sync.button.isVisible)
        click(qtbot, window.sync.button)
        assert proxy.held.wait(30)
        store = ws._ctx.store
        with qtbot.waitSignal(controller.quick_exited):
            controller.quick_exit()
        assert visible_windows() == []
        assert controller.ws is None and not ws.is_open  # closed with the push in flight
        assert not any(store._key)  # and its key zeroed
        proxy.release()
        assert controller.workers.wait(60_000)
        QApplication.processEvents()

        again = Workspace.unlock(controller.data_dir, PASSPHRASE)
        try:
            (row,) = again.queries.list_cases()
            assert row.reference == ref and row.sync_state == "pending"  # nothing lost
            sent_before = len(proxy.requests)
            result = again.sync.push(retries=0)
            # the hub had it: acknowledged from the status call, not sent again
            assert (result.summary.pushed, result.summary.duplicates) == (0, 1)
            assert proxy.sent_envelope_ids(sent_before) == []
            assert again.queries.list_cases()[0].sync_state == "synced"
        finally:
            again.close()
        assert set(hub.pairs(device).values()) == {1}
    finally:
        proxy.release()
        proxy.close()


def test_settings_tabs_have_no_shortcut_clashes(qtbot, unlocked, hub: Hub):
    from tests.ui.test_mnemonics import clashes

    window = unlocked.window
    dialog = window.open_settings()
    qtbot.waitUntil(dialog.isVisible)
    assert clashes(dialog) == {}, "General"
    dialog.show_sync()
    assert clashes(dialog) == {}, "Sync, not set up"
    _dialog, page = enrol_through_settings(qtbot, window, hub.url, hub.issue_code())
    assert clashes(_dialog) == {}, "Sync, comparing the fingerprint"
    click(qtbot, page.accept_button)
    _dialog.close()
    qtbot.waitUntil(window.sync.button.isVisible)
    assert clashes(window) == {}, "case list with Sync now"
