"""Pieces of the GUI that need no store: the unlock dialog's slowing, the first-run dialog's
feedback, the quick-exit gestures, the idle timer, the clipboard guard."""

from __future__ import annotations

import time

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from firstcontact.app.passphrase_strength import assess
from firstcontact.ui.gate.create_dialog import CreateStoreDialog
from firstcontact.ui.gate.unlock_dialog import UnlockDialog
from firstcontact.ui.safety.clipboard import SECRET_HINT, ClipboardGuard
from firstcontact.ui.safety.idle import IdleTimer
from firstcontact.ui.safety.input_filter import InputFilter


def test_unlock_dialog_says_wrong_passphrase_and_keeps_the_field(qtbot):
    from firstcontact.store.errors import WrongPassphrase

    def opener(passphrase: str) -> object:
        raise WrongPassphrase("wrong passphrase")

    dialog = UnlockDialog(opener)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.unlock_button.isEnabled()
    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    assert dialog.unlock_button.isEnabled()
    QTest.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.isVisible() and "…" not in dialog.message.text())
    assert "not right" in dialog.message.text()
    message = dialog.message  # every line of it shows: the dialog grew to fit
    assert message.height() >= message.heightForWidth(message.width())
    button_top = dialog.unlock_button.mapTo(dialog, dialog.unlock_button.rect().topLeft()).y()
    assert message.geometry().bottom() < button_top
    assert dialog.passphrase.text() == "not the passphrase"
    assert dialog.windowTitle() == "firstcontact"


def test_too_many_attempts_disables_the_button_with_a_countdown(qtbot):
    from firstcontact.store import errors

    def opener(passphrase: str) -> object:
        raise errors.TooManyAttempts("too many wrong passphrases", 1.2)

    dialog = UnlockDialog(opener)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, "guess")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.waiting > 0)
    assert not dialog.unlock_button.isEnabled()
    assert "2" in dialog.message.text()
    qtbot.waitUntil(lambda: dialog.unlock_button.isEnabled(), timeout=4000)
    assert dialog.waiting == 0


def test_a_wrong_passphrase_that_starts_the_wait_still_says_it_was_wrong(qtbot):
    from firstcontact.store.errors import WrongPassphrase

    def opener(passphrase: str) -> object:
        raise WrongPassphrase("wrong passphrase")

    dialog = UnlockDialog(opener, lambda: 1.5)  # the guard now asks for a pause
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.waiting == 0, timeout=4000)
    qtbot.keyClicks(dialog.passphrase, "a wrong one")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.waiting > 0)
    text = dialog.message.text()
    assert "not right" in text and "2 seconds" in text
    assert not dialog.unlock_button.isEnabled()


def test_wait_after_failures_starts_with_the_dialog(qtbot):
    dialog = UnlockDialog(lambda p: object(), lambda: 1.5)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, "guess")
    assert dialog.waiting == 2 and not dialog.unlock_button.isEnabled()


def test_unlock_dialog_ignores_a_single_escape(qtbot):
    dialog = UnlockDialog(lambda p: object())
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClick(dialog.passphrase, Qt.Key.Key_Escape)
    assert dialog.isVisible()


def test_create_dialog_needs_a_fair_matching_passphrase(qtbot):
    created: list[object] = []
    dialog = CreateStoreDialog(lambda p: created.append(p) or "ws")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, "short")
    assert not dialog.create_button.isEnabled()
    assert "10" in dialog.message.text()
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, "aaaaaaaaaaaa")
    assert not dialog.create_button.isEnabled()  # long but trivially guessable
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, "lantern orchard copper mitten")
    assert dialog.strength.value() >= 3
    assert not dialog.create_button.isEnabled()  # not confirmed yet
    qtbot.keyClicks(dialog.confirm, "lantern orchard copper mitten")
    assert dialog.create_button.isEnabled()
    with qtbot.waitSignal(dialog.created):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert created == ["lantern orchard copper mitten"]
    assert dialog.findChild(object, "passphrase-warning") is not None
    assert "cannot" in dialog.findChild(object, "passphrase-warning").text() or \
        "nobody can recover" in dialog.findChild(object, "passphrase-warning").text()


def test_strength_scale():
    assert assess("short").score == 0
    assert assess("password1234").score <= 1
    assert assess("lantern orchard copper mitten").score >= 3


def test_escape_twice_or_ctrl_shift_q_is_panic(qtbot):
    app = QApplication.instance()
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    watcher = InputFilter()
    app.installEventFilter(watcher)
    try:
        with qtbot.waitSignal(watcher.panic, timeout=1000):
            QTest.keyClick(edit, Qt.Key.Key_Escape)
            QTest.keyClick(edit, Qt.Key.Key_Escape)
        with qtbot.waitSignal(watcher.panic, timeout=1000):
            QTest.keyClick(edit, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier
                           | Qt.KeyboardModifier.ShiftModifier)
        with qtbot.assertNotEmitted(watcher.panic, wait=50):
            QTest.keyClick(edit, Qt.Key.Key_Escape)  # one Esc alone: nothing
            QTest.keyClick(edit, Qt.Key.Key_A)
            QTest.keyClick(edit, Qt.Key.Key_Escape)  # another key in between resets it
    finally:
        app.removeEventFilter(watcher)


def test_escapes_far_apart_are_not_panic(qtbot, monkeypatch):
    import firstcontact.ui.safety.input_filter as module

    clock = iter([100.0, 101.0])
    monkeypatch.setattr(module.time, "monotonic", lambda: next(clock))
    app = QApplication.instance()
    edit = QLineEdit()
    qtbot.addWidget(edit)
    watcher = InputFilter()
    app.installEventFilter(watcher)
    try:
        with qtbot.assertNotEmitted(watcher.panic, wait=20):
            QTest.keyClick(edit, Qt.Key.Key_Escape)
            QTest.keyClick(edit, Qt.Key.Key_Escape)
    finally:
        app.removeEventFilter(watcher)


def test_idle_timer_fires_and_activity_postpones_it(qtbot):
    timer = IdleTimer(0.15)
    timer.start()
    started = time.monotonic()
    with qtbot.waitSignal(timer.idle, timeout=2000):
        pass
    assert time.monotonic() - started >= 0.14
    timer.start()
    timer.poke()
    assert timer.running
    timer.stop()
    with qtbot.assertNotEmitted(timer.idle, wait=250):
        pass


def test_clipboard_copy_is_marked_secret_and_cleared(qtbot):
    guard = ClipboardGuard(0.2)
    try:
        edit = QLineEdit("copied text")
        qtbot.addWidget(edit)
        edit.show()
        edit.setFocus()
        edit.selectAll()
        QTest.keyClick(edit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        clipboard = QApplication.clipboard()
        qtbot.waitUntil(lambda: clipboard.mimeData().hasFormat(SECRET_HINT))
        assert bytes(clipboard.mimeData().data(SECRET_HINT)) == b"secret"
        assert clipboard.text() == "copied text"
        qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3000)
    finally:
        guard.detach()


def test_clipboard_is_left_alone_when_something_else_was_copied_since(qtbot):
    guard = ClipboardGuard(0.2)
    clipboard = QApplication.clipboard()
    try:
        edit = QLineEdit("ours")
        qtbot.addWidget(edit)
        edit.show()
        edit.setFocus()
        edit.selectAll()
        edit.copy()
        qtbot.waitUntil(lambda: clipboard.mimeData().hasFormat(SECRET_HINT))
        other = QMimeData()
        other.setText("theirs")
        other.setData(SECRET_HINT, b"secret")  # already marked: the guard leaves it
        clipboard.setMimeData(other)
        qtbot.waitUntil(lambda: not guard.pending, timeout=3000)
        assert clipboard.text() == "theirs"
    finally:
        guard.detach()
        clipboard.clear()


def test_arrow_keys_in_a_list_field_never_replace_what_was_typed(qtbot):
    """Typing part of a value that is not in the list and pressing Down must not silently
    pick the list's first entry."""
    from PySide6.QtCore import QStringListModel

    from firstcontact.ui.interview.list_editor import searchable_combo

    model = QStringListModel(["Aberdeenshire", "Kent", "South Yorkshire", "Surrey"])
    combo = searchable_combo(model, "Region")
    qtbot.addWidget(combo)
    combo.show()
    combo.setFocus()
    qtbot.keyClicks(combo, "South E")
    QTest.keyClick(combo, Qt.Key.Key_Down)
    QTest.keyClick(combo, Qt.Key.Key_Return)
    assert combo.currentText() == "South E"  # refused later with a message, not replaced
    combo.setEditText("")
    qtbot.keyClicks(combo, "york")
    popup = combo.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert combo.currentText() == "South Yorkshire"


def test_selected_text_is_marked_and_cleared_from_the_primary_selection(qtbot):
    """X11/Wayland: selecting text publishes it (middle-click paste) without any copy."""
    import pytest

    clipboard = QApplication.clipboard()
    if not clipboard.supportsSelection():
        pytest.skip("this platform has no primary selection (offscreen, Windows, macOS)")
    from PySide6.QtGui import QClipboard

    guard = ClipboardGuard(0.2)
    try:
        edit = QLineEdit("selected text")
        qtbot.addWidget(edit)
        edit.show()
        qtbot.waitExposed(edit)
        edit.setFocus()
        QTest.keyClick(edit, Qt.Key.Key_End)
        QTest.keyClick(edit, Qt.Key.Key_Home, Qt.KeyboardModifier.ShiftModifier)  # select
        mode = QClipboard.Mode.Selection
        assert clipboard.text(mode) == "selected text"
        qtbot.waitUntil(lambda: clipboard.mimeData(mode).hasFormat(SECRET_HINT))
        qtbot.waitUntil(lambda: clipboard.text(mode) == "", timeout=3000)
    finally:
        guard.detach()


def test_stored_utc_times_are_shown_in_local_time(monkeypatch):
    import time as time_module

    from firstcontact.ui.labels import local_time

    monkeypatch.setenv("TZ", "XST-5:30")  # POSIX rule, UTC+05:30: needs no tz database
    time_module.tzset()
    try:
        assert local_time("2026-11-22T18:38:07.123456Z") == "23 Nov 2026, 00:08"
        assert local_time("2026-11-22T18:38:07Z", date_only=True) == "23 November 2026"
    finally:
        monkeypatch.undo()  # TZ as it was, then the C library told so
        time_module.tzset()


def _contrast(a, b) -> float:
    def lum(c):
        def ch(v):
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_error_text_stays_readable_on_light_and_dark_themes(qtbot):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QLabel

    from firstcontact.ui.common import error_colour

    for background in ("#ffffff", "#efefef", "#2a2a2a", "#000000"):
        label = QLabel("Not saved")
        qtbot.addWidget(label)
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        label.setPalette(palette)
        ratio = _contrast(QColor(error_colour(label)), QColor(background))
        assert ratio >= 4.5, (background, ratio)  # WCAG AA for body text
