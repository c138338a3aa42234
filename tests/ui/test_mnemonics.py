"""Alt shortcuts: on every screen, no two visible controls share a letter (a clash makes
Alt+letter cycle focus instead of acting: Alt+K must lock, whatever tab is open)."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QTabBar, QWidget

from firstcontact import i18n
from tests.ui.helpers import click

_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def _letter(text: str) -> str | None:
    m = _MNEMONIC.search(text)
    return m.group(1).lower() if m else None


def clashes(window: QWidget) -> dict[str, list[str]]:
    """Letters used by more than one visible control in ``window``."""
    owners: dict[str, list[str]] = defaultdict(list)
    for w in window.findChildren(QWidget):
        if not w.isVisibleTo(window) or not w.isEnabled():
            continue
        texts: list[str] = []
        if isinstance(w, QAbstractButton) or (isinstance(w, QLabel) and w.buddy() is not None):
            texts = [w.text()]
        elif isinstance(w, QTabBar):
            texts = [w.tabText(i) for i in range(w.count()) if w.isTabVisible(i)]
        for text in texts:
            letter = _letter(text)
            if letter:
                owners[letter].append(text)
    return {k: v for k, v in owners.items() if len(v) > 1}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_no_shortcut_clashes_on_any_screen(qtbot, unlocked, language):
    i18n.set_language(language)  # Welsh words have other letters to choose from
    unlocked.window.retranslate()
    window = unlocked.window
    assert clashes(window) == {}, "case list"
    click(qtbot, window.cases.new_button)
    page = window.interview
    qtbot.waitUntil(lambda: page.form is not None)
    found = {}
    for step in page.ws.checklist.steps:
        page.show_step(step.id)
        for tab in range(page.side.count()):
            page.side.setCurrentIndex(tab)
            c = clashes(window)
            if c:
                found[(step.id, page.side.tabText(tab))] = c
    assert found == {}
