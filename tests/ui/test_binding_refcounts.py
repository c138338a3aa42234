"""The Qt binding must not drop references to None, True or False.

PySide6 6.12 does on many ordinary calls (a void method, a signal with a bool). On Python 3.11
these singletons are not immortal, so after a few thousand keystrokes their count reached zero
and the app died mid-interview ("Fatal Python error: bool_dealloc"), losing the last typing.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QItemSelectionModel, QStringListModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton

CALLS = 400


def _drops(singleton: object, action) -> int:
    before = sys.getrefcount(singleton)
    for _ in range(CALLS):
        action()
    return before - sys.getrefcount(singleton)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None/True/False are immortal")
def test_ordinary_calls_keep_the_singletons_alive(qtbot):
    button = QPushButton("x")
    qtbot.addWidget(button)
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    model = QStringListModel(["a", "b"])
    selection = QItemSelectionModel(model)
    a, b = model.index(0, 0), model.index(1, 0)
    # a leak is one reference a call; noise from other objects is far smaller than CALLS
    assert _drops(None, lambda: button.setEnabled(True)) < CALLS // 2
    assert _drops(True, lambda: selection.currentRowChanged.emit(a, b)) < CALLS // 2
    assert _drops(None, lambda: QTest.keyClick(edit, Qt.Key.Key_A)) < CALLS // 2
