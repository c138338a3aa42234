"""Every string on every screen goes through a catalog, and none is cut off: the app is walked
in a pseudo-locale (tests/i18n/pseudo.py: every string accented, 40 % longer, bracketed ⟦…⟧) —
the case list, every step of a case with each side tab, Settings, export, the copy for the
person and "Not possible now". A text without ⟦ that has words in it did not go through a
catalog (dates, references, criterion ids and the NRM form's own value lists aside)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTableView,
    QWidget,
)

from tests.ui.helpers import ADULT, PROFILE, click, fill

# what may stand untranslated: references, criterion ids, dates, times, counts, key names
ALLOWED = re.compile(
    r"FC-[A-Z0-9]+|\b(?:PC|K)\d+\b|\d{1,2} \w+ \d{4}|\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}"
    r"|\b(?:Alt|Ctrl|Shift|Esc|Tab|Enter)\b|SHA-256|AES-256|PDF|NRM|SFJ BE2|\bqps\b")
# combo boxes of the NRM form's own value lists (organisations, countries) and of languages
# named in themselves are data, not the app's words
DATA_COMBOS = ("organisation", "screen-language", "explanation-language", "letter-language")


def _untranslated(text: str) -> bool:
    if not text or "⟦" in text:
        return False
    return bool(re.search(r"[A-Za-z]{2,}", ALLOWED.sub("", text)))


def texts_of(widget: QWidget) -> list[str]:
    if isinstance(widget, QLabel):
        return [widget.text()] if not widget.text().startswith("<") else []
    if isinstance(widget, QAbstractButton):
        return [widget.text()]
    if isinstance(widget, QGroupBox):
        return [widget.title()]
    if isinstance(widget, QTabBar):
        return [widget.tabText(i) for i in range(widget.count())]
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        return [widget.placeholderText()]
    if isinstance(widget, QComboBox) and not widget.isEditable():
        if widget.objectName() in DATA_COMBOS:
            return []
        return [widget.itemText(i) for i in range(widget.count())]
    if isinstance(widget, QTableView):
        model = widget.model()
        from PySide6.QtCore import Qt
        return [str(model.headerData(c, Qt.Orientation.Horizontal) or "")
                for c in range(model.columnCount())]
    return []


def problems(window: QWidget, where: str) -> list[str]:
    found = []
    for w in [window, *window.findChildren(QWidget)]:
        if not w.isVisibleTo(window) and w is not window:
            continue
        for text in texts_of(w):
            if _untranslated(text):
                found.append(f"{where}: {type(w).__name__} {w.objectName()!r}: {text!r}")
        if isinstance(w, QLabel) and not w.wordWrap() and w.text() and w.isVisible() \
                and w.width() + 1 < w.sizeHint().width():
            found.append(f"{where}: clipped label {w.text()!r} ({w.width()} < "
                         f"{w.sizeHint().width()})")
        if isinstance(w, QAbstractButton) and w.isVisible() and w.text() \
                and w.width() + 1 < w.minimumSizeHint().width():
            found.append(f"{where}: clipped button {w.text()!r}")
    return found


def test_every_screen_and_step_is_translated_and_nothing_clips(qtbot, pseudo_locale, unlocked):
    controller = unlocked
    window = controller.window
    window.resize(1700, 1000)
    ws = controller.ws
    found = problems(window, "case list")
    ws.settings.set_profile(**PROFILE)
    click(qtbot, window.cases.new_button)
    page = window.interview
    qtbot.waitUntil(lambda: page.form is not None)
    reference = page.session.reference
    fill(ws, reference, ADULT)
    page.session.reload()
    page.session.explain_language = pseudo_locale  # the words for the person, translated too
    for step in ws.checklist.steps:
        page.show_step(step.id)
        for tab in range(page.side.count()):
            page.side.setCurrentIndex(tab)
            qtbot.wait(0)
            found += problems(window, f"{step.id} / tab {tab}")
    page.show_step(ws.checklist.steps[-1].id)
    click(qtbot, page.skip_button)
    qtbot.waitUntil(lambda: page.skip_dialog is not None and page.skip_dialog.isVisible())
    found += problems(page.skip_dialog, "not possible now")
    page.skip_dialog.close()
    for open_dialog in (window.open_settings, lambda: window.open_export("nrm"),
                        window.open_survivor_copy):
        dialog = open_dialog()
        qtbot.waitUntil(dialog.isVisible)
        found += problems(dialog, dialog.objectName())
        dialog.close()
    unique = {re.sub(r"^[^:]*: ", "", f): f for f in found}
    assert unique == {}, "\n".join(unique.values())


def test_the_first_run_and_unlock_screens_are_translated(qtbot, pseudo_locale, controller):
    gate = controller.show_gate()  # no store yet: the first run
    qtbot.waitExposed(gate)
    found = problems(gate, "first run")
    controller._close_gate()
    from firstcontact.app.workspace import Workspace
    from tests.conftest import PASSPHRASE

    Workspace.create(controller.data_dir, PASSPHRASE).close()
    gate = controller.show_gate()
    qtbot.waitExposed(gate)
    found += problems(gate, "unlock")
    assert found == []
