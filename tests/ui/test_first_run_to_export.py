"""The whole adult route through the widgets alone, as a new worker meets it: first run (create
the store), the worker's details in Settings, a new case, every step answered in its own
widgets with Next, consent recorded on its screen, the completeness panel's links followed
until the NRM pack is complete, then the export dialog writes the encrypted PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from firstcontact.ui.gate.create_dialog import CreateStoreDialog
from firstcontact.ui.interview.choice_editors import ChoiceEditor, MultiChoiceEditor
from firstcontact.ui.interview.editors import CheckboxEditor, LongTextEditor
from firstcontact.ui.interview.list_editor import ListEditor
from firstcontact.ui.interview.page import TAB_COMPLETENESS, InterviewPage
from tests.conftest import PASSPHRASE
from tests.ui.helpers import ADULT, PROFILE, click
from tests.walk import sample_value

PDF_PASSWORD = "a password for the pack"
OWN_WORDS = "He said the work started before dawn"


def tick(qtbot, button) -> None:
    """Click a radio button or tick box on its indicator (a click on the empty part of a wide
    button, right of its text, does nothing, as for a person)."""
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton,
                     pos=QPoint(button.height() // 2, button.height() // 2))


def enter(qtbot, page: InterviewPage, row) -> None:
    """Answer one field in its widget, as a person would."""
    editor, field = row.editor, row.field
    value = ADULT.get(field.id, sample_value(page.ws.interview, field))
    if isinstance(editor, ChoiceEditor):
        tick(qtbot, editor.buttons[str(value)])
    elif isinstance(editor, MultiChoiceEditor):
        assert isinstance(value, list)
        for v in value:
            tick(qtbot, editor.boxes[v])
    elif isinstance(editor, CheckboxEditor):
        if not editor.box.isChecked():
            tick(qtbot, editor.box)
    elif isinstance(editor, ListEditor):
        editor.combo.setFocus()
        qtbot.keyClicks(editor.combo.lineEdit(), str(value))
        QTest.keyClick(editor.combo.lineEdit(), Qt.Key.Key_Tab)  # leaving the field saves it
    else:
        text = OWN_WORDS if isinstance(editor, LongTextEditor) and not field.validate \
            else str(value)
        target = editor.focus_target()
        target.setFocus()
        qtbot.keyClicks(target, text)


def answer_step(qtbot, page: InterviewPage) -> None:
    """Every shown, unanswered field of the current step (branches open more: repeat)."""
    done: set[str] = set()
    while True:
        page.flush()
        todo = [r for r in page.form.visible_rows()
                if r.field.id not in done and r.field.id not in page.session.state.answers]
        if not todo:
            break
        for row in todo:
            done.add(row.field.id)
            enter(qtbot, page, row)
            page.flush()
            assert page.indicator.state != "failed", (row.field.id, page.indicator.text())
            assert row.field.id in page.session.state.answers, row.field.id
    consent = page.form.consent
    if consent is not None and not consent.isHidden() \
            and consent.destination not in page.session.state.consents:
        consent.explained.setFocus()
        qtbot.keyClicks(consent.explained, "What the referral is, who sees it, that it is "
                                           "voluntary and they can change their mind")
        for box in consent.points.values():  # each point of the explanation, explained
            tick(qtbot, box)
        tick(qtbot, consent.given)
        with qtbot.waitSignal(consent.recorded):
            click(qtbot, consent.record_button)


def test_first_run_to_an_exported_nrm_pack_through_the_widgets(qtbot, controller, tmp_path):
    # first run: create the store
    controller.start()
    gate = controller.gate
    assert isinstance(gate, CreateStoreDialog)
    qtbot.keyClicks(gate.passphrase, PASSPHRASE)
    qtbot.keyClicks(gate.confirm, PASSPHRASE)
    with qtbot.waitSignal(controller.unlocked, timeout=20_000):
        click(qtbot, gate.create_button)
    window = controller.window

    # the case list asks for the worker's details first
    cases = window.cases
    assert cases.profile_hint.isVisible()
    click(qtbot, cases.profile_button)
    settings = window.dialog
    qtbot.waitUntil(lambda: settings is not None and settings.isVisible())
    for name in ("first_name", "last_name", "role", "phone", "email"):
        qtbot.keyClicks(getattr(settings, name), PROFILE[name])
    qtbot.keyClicks(settings.organisation.lineEdit(), PROFILE["organisation"])
    settings.nation.setCurrentIndex(settings.nation.findData(PROFILE["nation"]))
    with qtbot.waitSignal(settings.saved):
        click(qtbot, settings.save_button)
    assert not cases.profile_hint.isVisible()

    # a new case, every step in order with Next
    click(qtbot, cases.new_button)
    page = window.interview
    qtbot.waitUntil(lambda: page.form is not None)
    seen: list[str] = []
    while page.current_step not in seen:
        seen.append(page.current_step)
        answer_step(qtbot, page)
        click(qtbot, page.next_button)
        assert len(seen) < 80
    assert page.side.currentIndex() == TAB_COMPLETENESS  # after the last step

    # follow the completeness panel's links until the NRM pack is complete
    panel = page.completeness
    for _ in range(20):
        nrm = panel.checks["nrm"]
        if nrm.complete:
            break
        assert not nrm.refusals, nrm.refusals
        item = nrm.missing[0]
        click(qtbot, panel.item_buttons[("nrm", item.key)])
        qtbot.waitUntil(lambda: page.form is not None)
        answer_step(qtbot, page)
        page.show_completeness()
    assert panel.checks["nrm"].complete, [m.key for m in panel.checks["nrm"].missing]

    # export from the panel
    click(qtbot, panel.export_buttons["nrm"])
    dialog = window.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert dialog.destination.currentData() == "nrm"
    qtbot.keyClicks(dialog.password, PDF_PASSWORD)
    qtbot.keyClicks(dialog.confirm, PDF_PASSWORD)
    out = tmp_path / "nrm.pdf"
    dialog.path.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        click(qtbot, dialog.export_button)

    from pypdf import PdfReader

    reader = PdfReader(str(Path(out)))
    assert reader.is_encrypted and reader.decrypt(PDF_PASSWORD)
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    assert PROFILE["last_name"] in text and "Salvation Army" in text
