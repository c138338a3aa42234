"""Helpers for driving the GUI in tests: fill the long route through the application layer,
find widgets by field id, click things."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QRadioButton, QWidget

from firstcontact.domain.model import Value
from tests.walk import sample_value

PROFILE = {"first_name": "Sam", "last_name": "Worker", "role": "Outreach worker",
           "phone": "+44 20 7946 0000", "email": "sam@example.org",
           "organisation": "The Salvation Army", "nation": "england",
           "public_authority": "local-authority"}
ADULT = {"pv-under-age": "no", "does-pv-need-support": "yes", "who-contact": "potential-victim",
         "pv-contact-details": ["email"], "pv-interpreter-requirements": "no",
         "fr-location": "england"}
CHILD = {"pv-under-age": "yes", "fr-location": "england", "pv-dob": "2011-03-04"}
DECLINED = {"pv-under-age": "no", "authorities-cooperation": "no",
            "pv-interpreter-requirements": "no", "fr-location": "england"}


def fill(ws, reference: str, chosen: Mapping[str, Value], *, skip: Iterable[str] = ()) -> int:
    """Answer every visible field of every applicable step (consent is left to the GUI)."""
    skipped = set(skip)
    case = ws.queries.find(reference)
    count = 0
    while True:
        state = ws.queries.state(case.id)
        added = False
        for step in ws.interview.applicable_steps(state):
            for field in ws.interview.visible_fields(step, state):
                if field.id in state.answers or field.id in skipped:
                    continue
                value = chosen[field.id] if field.id in chosen else \
                    sample_value(ws.interview, field)
                ws.cases.answer(reference, field.id, value)
                count += 1
                added = True
        if not added:
            return count


def click(qtbot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    if isinstance(widget, QCheckBox | QRadioButton):  # on its box: a wide row has space after
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton,
                         pos=QPoint(min(8, widget.width() - 1), widget.height() // 2))
        return
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def flush_deletes() -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def key(widget: QWidget, k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
        ) -> None:
    QTest.keyClick(widget, k, mods)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def consent_step(ws, destination: str = "nrm"):
    return next(s for s in ws.checklist.steps if s.consent == destination)


def visible_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def tick_points(qtbot, form) -> None:
    """Tick every point the consent explanation must cover (a yes needs them all)."""
    for box in form.points.values():
        if not box.isChecked():
            click(qtbot, box)
