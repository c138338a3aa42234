"""Slow work off the GUI thread: quick exit acts at once during a slowed unlock and during an
export; an unexpected error in a slot is logged without content and said plainly."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from firstcontact.app.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.ui.helpers import PROFILE, click, visible_windows
from tests.walk import walk


def test_quick_exit_acts_at_once_during_a_slow_unlock(qtbot, controller):
    Workspace.create(controller.data_dir, PASSPHRASE).close()
    started, release = threading.Event(), threading.Event()
    opened: list[Workspace] = []
    real = controller._unlock

    def slow_unlock(passphrase: str) -> Workspace:
        started.set()
        release.wait(30)
        ws = real(passphrase)
        opened.append(ws)
        return ws

    controller._unlock = slow_unlock
    controller.start()
    gate = controller.gate
    gate._open_store = slow_unlock
    qtbot.keyClicks(gate.passphrase, PASSPHRASE)
    click(qtbot, gate.unlock_button)
    qtbot.waitUntil(started.is_set)
    assert gate.isVisible() and "Unlocking" in gate.message.text()  # the dialog still paints
    with qtbot.waitSignal(controller.quick_exited):
        controller.quick_exit()
    assert visible_windows() == []  # at once, while the key derivation still runs
    release.set()
    assert controller.workers.wait()
    QApplication.processEvents()
    assert controller.ws is None and controller.window is None  # nothing opened after all
    assert opened and not opened[0].is_open  # the store it opened was closed, its key zeroed


def test_quick_exit_during_an_export_hides_at_once_and_the_export_is_kept(
        qtbot, unlocked, monkeypatch, tmp_path):
    from firstcontact.app import packs

    controller = unlocked
    ws = controller.ws
    ws.settings.set_profile(**PROFILE)
    ref = ws.cases.new().reference
    state = walk(ws.interview, {"pv-under-age": "no", "fr-location": "england",
                                "pv-interpreter-requirements": "no"})
    for fid, value in state.answers.items():
        ws.cases.answer(ref, fid, value)
    controller.window.open_case(ref)
    dialog = controller.window.open_export("case-record")
    qtbot.waitUntil(lambda: dialog.isVisible())
    started, release = threading.Event(), threading.Event()
    real = packs.write_document

    def slow_write(document, out: Path, password: str) -> str:
        started.set()
        release.wait(30)
        return real(document, out, password)

    monkeypatch.setattr(packs, "write_document", slow_write)
    hidden_when_settling: list[bool] = []
    settle = controller.workers.settle

    def settle_after_hiding(timeout_ms: int = 15_000) -> None:
        hidden_when_settling.append(visible_windows() == [])
        release.set()  # the export may finish now: it was asked for, and is kept
        settle(timeout_ms)

    monkeypatch.setattr(controller.workers, "settle", settle_after_hiding)
    out = tmp_path / "record.pdf"
    qtbot.keyClicks(dialog.password, "a long pdf password")
    qtbot.keyClicks(dialog.confirm, "a long pdf password")
    dialog.path.setText(str(out))
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(started.is_set)
    assert "Making the encrypted PDF" in dialog.message.text()
    with qtbot.waitSignal(controller.quick_exited):
        controller.quick_exit()
    assert hidden_when_settling == [True]  # everything was hidden before anything waited
    assert controller.ws is None
    assert out.exists() and out.read_bytes().startswith(b"%PDF")
    again = Workspace.unlock(controller.data_dir, PASSPHRASE)
    try:
        assert [e.destination for e in again.queries.detail(ref).exports] == ["case-record"]
    finally:
        again.close()


class _Emitter(QObject):
    fired = Signal()


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_is_logged_without_content_and_said_plainly(qtbot, tmp_path,
                                                                        monkeypatch):
    import sys

    from firstcontact import logs
    from firstcontact.ui import errors

    monkeypatch.setattr(logs, "_configured", [])
    log_file = logs.configure(tmp_path / "data")
    assert log_file is not None and (log_file.stat().st_mode & 0o777) == 0o600
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install()
    canary = "CANARY-Survivor-Name 12 Example Street"
    emitter = _Emitter()

    def broken() -> None:
        raise ValueError(f"could not parse {canary}")

    emitter.fired.connect(broken)
    emitter.fired.emit()
    qtbot.waitUntil(lambda: bool(errors.shown_messages()))
    box = errors.shown_messages()[0]
    assert "Your work up to the last “Saved” is kept" in box.text()
    assert "Traceback" not in box.text() and canary not in box.text()
    for handler in logs.logging.getLogger("firstcontact").handlers:
        handler.flush()
    text = log_file.read_text("utf-8")
    assert "ValueError" in text and "test_workers.py" in text  # what and where …
    assert canary not in text and "could not parse" not in text  # … never the content
    box.close()
    for handler in list(logs.logging.getLogger("firstcontact").handlers):
        logs.logging.getLogger("firstcontact").removeHandler(handler)
        handler.close()
