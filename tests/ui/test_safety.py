"""Quick exit, auto-lock, screen-lock, neutral titles: locking drops the key and every case
widget."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from firstcontact.ui.gate.unlock_dialog import UnlockDialog
from firstcontact.ui.interview.page import InterviewPage
from firstcontact.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE
from tests.ui.helpers import click, flush_deletes, visible_windows


def open_new_case(qtbot, controller):
    click(qtbot, controller.window.cases.new_button)
    page = controller.window.interview
    qtbot.waitUntil(lambda: page.form is not None)
    return page


def type_into_first_text_field(qtbot, page) -> tuple[str, str]:
    from firstcontact.ui.interview.editors import LongTextEditor, TextEditor

    for step in page.session.applicable():
        page.go_to_step(step.id)
        for fid, row in page.form.rows.items():
            editor = row.editor
            if row.isVisible() and type(editor) in (TextEditor, LongTextEditor) \
                    and not editor.field.validate:
                target = editor.focus_target()
                target.setFocus()
                qtbot.keyClicks(target, "typed just before")
                return step.id, fid
    raise AssertionError("no free-text field")


def no_case_widgets() -> bool:
    flush_deletes()
    return not [w for w in QApplication.allWidgets() if isinstance(w, InterviewPage | MainWindow)]


@pytest.mark.parametrize("gesture", ["escape-twice", "ctrl-shift-q", "button"])
def test_quick_exit_hides_everything_and_locks(qtbot, unlocked, gesture):
    controller = unlocked
    ws = controller.ws
    page = open_new_case(qtbot, controller)
    ref = page.session.reference
    _step, fid = type_into_first_text_field(qtbot, page)
    target = QApplication.focusWidget() or page
    with qtbot.waitSignal(controller.quick_exited, timeout=2000):
        if gesture == "escape-twice":
            QTest.keyClick(target, Qt.Key.Key_Escape)
            QTest.keyClick(target, Qt.Key.Key_Escape)
        elif gesture == "ctrl-shift-q":
            QTest.keyClick(target, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier
                           | Qt.KeyboardModifier.ShiftModifier)
        else:
            click(qtbot, controller.window.quick_exit_button)
    assert visible_windows() == []
    assert controller.ws is None and not ws.is_open
    assert controller.gate is None  # quits: nothing left to bring back
    qtbot.waitUntil(no_case_widgets)
    # what was typed a moment before was saved before the key was dropped
    from firstcontact.app.workspace import Workspace

    again = Workspace.unlock(controller.data_dir, PASSPHRASE)
    try:
        state = again.queries.state(again.queries.find(ref).id)
        assert state.answers.get(fid) == "typed just before"
    finally:
        again.close()


@pytest.mark.parametrize("how", ["lock", "quick-exit"])
def test_locking_frees_the_engine_and_zeroes_the_key(qtbot, unlocked, how):
    """No object that could reopen the database outlives a lock: the key buffer is zeroed and
    the engine (whose connections are keyed from it) is garbage, not parked in memory."""
    import weakref

    controller = unlocked
    store = controller.ws._ctx.store  # the test looks inside: the key and the engine
    key = store._key
    engine = weakref.ref(store.engine)
    open_new_case(qtbot, controller)
    assert any(key)
    del store
    if how == "lock":
        click(qtbot, controller.window.lock_button)
    else:
        click(qtbot, controller.window.quick_exit_button)
    assert controller.ws is None
    assert not any(key), "the data key is still in memory"
    qtbot.waitUntil(no_case_widgets)
    import gc

    gc.collect()
    assert engine() is None, "the closed store's engine is still alive"


def test_auto_lock_after_idle_time(qtbot, unlocked):

    controller = unlocked
    ws = controller.ws
    assert ws.settings.preferences().idle_lock_seconds == 300
    open_new_case(qtbot, controller)
    ws.settings.save_preferences(idle_lock_seconds=0.2)
    controller.apply_preferences()
    with qtbot.waitSignal(controller.locked, timeout=3000):
        pass
    assert not ws.is_open and controller.ws is None
    assert isinstance(controller.gate, UnlockDialog)
    qtbot.waitUntil(no_case_widgets)
    assert visible_windows() == [controller.gate]
    gate = controller.gate
    qtbot.keyClicks(gate.passphrase, PASSPHRASE)
    with qtbot.waitSignal(controller.unlocked, timeout=10_000):
        click(qtbot, gate.unlock_button)
    assert controller.idle.interval_ms == 200  # the preference lives in the store
    controller.idle.stop()


def test_activity_postpones_auto_lock(qtbot, unlocked):

    controller = unlocked
    controller.ws.settings.save_preferences(idle_lock_seconds=0.4)
    controller.apply_preferences()
    table = controller.window.cases.table
    typing = QTimer()
    typing.setInterval(100)
    typing.timeout.connect(lambda: QTest.keyClick(table, Qt.Key.Key_Down))
    typing.start()
    try:
        with qtbot.assertNotEmitted(controller.locked, wait=900):
            pass  # 900 ms of activity against an idle time of 400 ms
    finally:
        typing.stop()
    assert controller.ws is not None
    with qtbot.waitSignal(controller.locked, timeout=3000):
        pass  # and once the activity stops, it locks


def test_lock_button_and_titles_never_show_case_content(qtbot, unlocked):
    controller = unlocked
    page = open_new_case(qtbot, controller)
    titles = {w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()}
    assert titles == {"firstcontact"}
    page.open_settings.emit()
    qtbot.waitUntil(lambda: controller.window.dialog is not None)
    assert controller.window.dialog.windowTitle() == "firstcontact"
    controller.window.dialog.close()
    with qtbot.waitSignal(controller.locked):
        click(qtbot, controller.window.lock_button)
    assert controller.ws is None
    qtbot.waitUntil(no_case_widgets)


@pytest.fixture
def private_bus():
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed")
    proc = subprocess.Popen([daemon, "--session", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        address = proc.stdout.readline().strip()
        if not address:
            pytest.skip("dbus-daemon did not start")
        from PySide6.QtDBus import QDBusConnection

        bus = QDBusConnection.connectToBus(address, f"test-{proc.pid}")
        if not bus.isConnected():
            pytest.skip("cannot connect to the private bus")
        yield bus
        QDBusConnection.disconnectFromBus(f"test-{proc.pid}")
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_screen_lock_signal_locks(qtbot, unlocked, private_bus):
    from PySide6.QtDBus import QDBusMessage

    from firstcontact.ui.safety.session_lock import SessionLockWatcher

    controller = unlocked
    watcher = SessionLockWatcher(controller, session_bus=private_bus, system_bus=object())
    assert watcher.listening >= 1
    watcher.locked.connect(controller.lock)
    signal = QDBusMessage.createSignal("/org/freedesktop/ScreenSaver",
                                       "org.freedesktop.ScreenSaver", "ActiveChanged")
    signal.setArguments([True])
    with qtbot.waitSignal(controller.locked, timeout=3000):
        assert private_bus.send(signal)
    assert controller.ws is None
