"""The interview view: autosave with a pause, validation without losing text, branches that
follow answers, not possible now, notes, and keyboard-only work through a stage."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QRadioButton

from firstcontact.ui.interview.choice_editors import ChoiceEditor, MultiChoiceEditor
from firstcontact.ui.interview.date_editor import DateEditor
from firstcontact.ui.interview.editors import (
    CheckboxEditor,
    LongTextEditor,
    NumberEditor,
    TextEditor,
)
from firstcontact.ui.interview.list_editor import ListEditor
from firstcontact.ui.interview.stage_nav import STEP_ROLE
from tests.ui.helpers import click, consent_step, tick_points

ALT = Qt.KeyboardModifier.AltModifier


def open_new_case(qtbot, controller):
    click(qtbot, controller.window.cases.new_button)
    page = controller.window.interview
    qtbot.waitUntil(lambda: page.form is not None)
    return page


def find_field(page, kind, *, plain: bool = True):
    """(step id, field) of the first visible field of that editor type."""
    ws = page.ws
    state = page.session.state
    for step in ws.interview.applicable_steps(state):
        for field in ws.interview.visible_fields(step, state):
            if field.type == kind and (not plain or not field.validate):
                return step.id, field
    raise AssertionError(f"no {kind} field")


def test_widgets_are_generated_from_the_field_types(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    expected = {"text": TextEditor, "longtext": LongTextEditor, "choice": ChoiceEditor,
                "multichoice": MultiChoiceEditor, "checkbox": CheckboxEditor,
                "number": NumberEditor, "date": DateEditor, "list": ListEditor}
    seen = set()
    for step in page.ws.checklist.steps:
        page.show_step(step.id)
        for row in page.form.rows.values():
            assert isinstance(row.editor, expected[row.field.type]), row.field.id
            assert row.editor.focus_target().accessibleName(), row.field.id
            seen.add(row.field.type)
    assert {"text", "longtext", "choice", "list", "checkbox"} <= seen


def test_typing_is_saved_after_a_pause_and_on_leaving(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    step_id, field = find_field(page, "longtext")
    page.go_to_step(step_id)
    edit = page.form.rows[field.id].editor.focus_target()
    edit.setFocus()
    qtbot.keyClicks(edit, "In their own words")
    assert page.indicator.state == "saving"
    qtbot.waitUntil(lambda: page.indicator.text() == "Saved", timeout=3000)
    stored = page.session.ws.queries.state(page.session.case_id)
    assert stored.answers[field.id] == "In their own words"
    # Enter in a multi-line field is a new line, never "next"
    QTest.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "second line")
    assert page.current_step == step_id
    page.flush()
    assert page.session.state.answers[field.id] == "In their own words\nsecond line"


def test_a_value_not_in_the_list_is_explained_and_kept(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    step_id, field = find_field(page, "list", plain=False)
    page.go_to_step(step_id)
    row = page.form.rows[field.id]
    combo = row.editor.focus_target()
    combo.setFocus()
    qtbot.keyClicks(combo.lineEdit(), "Nowhere at all")
    row.editor.committed.emit()
    assert row.message.isVisible() and row.message.text()
    assert page.indicator.state == "failed"
    assert combo.currentText() == "Nowhere at all"
    assert field.id not in page.session.state.answers


def test_a_refused_value_holds_the_step_until_corrected(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    page.ws.cases.answer(page.session.reference, "pv-under-age", "yes")  # the child route shows it
    page.session.reload()
    field_id = "local-authority-contacted-about-child-local-authority-phone"
    step_id = page.ws.checklist.step_of_field(field_id).id
    page.go_to_step(step_id)
    row = page.form.rows[field_id]
    assert not row.isHidden()
    edit = row.editor.focus_target()
    edit.setFocus()
    qtbot.keyClicks(edit, "not valid @@ ~~")
    click(qtbot, page.next_button)
    assert page.current_step == step_id  # not thrown away by moving on
    assert edit.text() == "not valid @@ ~~"
    assert row.message.isVisible() and row.message.text()
    assert page.indicator.state == "failed" and "moving on" in page.indicator.text()
    assert QApplication.focusWidget() is edit
    click(qtbot, page.pause_button)  # nor by pausing
    assert page.session is not None and page.current_step == step_id
    assert field_id not in page.session.state.answers
    page.go_to_step(step_id, field_id)  # nor by a jump to where it already is
    assert page.form.rows[field_id].editor.focus_target().text() == "not valid @@ ~~"
    edit = page.form.rows[field_id].editor.focus_target()
    edit.clear()
    click(qtbot, page.next_button)
    assert page.current_step != step_id


def test_not_possible_now_moves_on_even_with_a_refused_value(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    page.ws.cases.answer(page.session.reference, "pv-under-age", "yes")
    page.session.reload()
    field_id = "local-authority-contacted-about-child-local-authority-phone"
    step_id = page.ws.checklist.step_of_field(field_id).id
    page.go_to_step(step_id)
    edit = page.form.rows[field_id].editor.focus_target()
    edit.setFocus()
    qtbot.keyClicks(edit, "nonsense")
    page.flush()
    assert page.indicator.state == "failed"
    page.skip_with_reason("chose-not-to-say", "The person wanted to stop")
    assert page.current_step != step_id
    assert page.session.state.skips[step_id].note == "The person wanted to stop"


def test_a_failed_write_is_said_not_left_saving(qtbot, unlocked, monkeypatch):
    from firstcontact.store.errors import WriteFailed

    page = open_new_case(qtbot, unlocked)
    step_id, field = find_field(page, "longtext")
    page.go_to_step(step_id)

    def disk_full(*_args, **_kwargs):
        raise WriteFailed("could not save (disk I/O error): the disk may be full")

    monkeypatch.setattr(page.ws.cases, "answer", disk_full)
    edit = page.form.rows[field.id].editor.focus_target()
    edit.setFocus()
    qtbot.keyClicks(edit, "words")
    qtbot.waitUntil(lambda: page.indicator.state != "saving", timeout=3000)
    assert page.indicator.state == "failed"
    assert "disk" in page.indicator.text()
    assert edit.toPlainText() == "words"
    click(qtbot, page.next_button)  # said once, plainly …
    assert page.current_step == step_id and "could not be saved" in page.indicator.text()
    click(qtbot, page.next_button)  # … then the worker is not trapped on a full disk
    assert page.current_step != step_id


def test_list_field_types_ahead_over_the_nrm_list(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    step_id, field = find_field(page, "list", plain=False)
    page.go_to_step(step_id)
    editor = page.form.rows[field.id].editor
    values = page.ws.checklist.list_values(field)
    wanted = values[len(values) // 2]
    completer = editor.combo.completer()
    completer.setCompletionPrefix(wanted[1:6])
    assert completer.completionCount() >= 1
    assert wanted in [completer.completionModel().index(i, 0).data()
                      for i in range(completer.completionCount())]
    editor.focus_target().setFocus()
    with qtbot.waitSignal(editor.committed):
        completer.activated.emit(wanted)
    qtbot.waitUntil(lambda: page.session.state.answers.get(field.id) == wanted)


def test_branch_opens_and_closes_live(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    ws = page.ws
    step = ws.checklist.step_of_field("pv-under-age")
    page.go_to_step(step.id)
    buttons = page.form.rows["pv-under-age"].editor.buttons
    click(qtbot, buttons["yes"])
    qtbot.waitUntil(lambda: page.session.state.answers.get("pv-under-age") == "yes")
    child = set(page.nav.step_ids())
    click(qtbot, buttons["no"])
    qtbot.waitUntil(lambda: page.session.state.answers.get("pv-under-age") == "no")
    adult = set(page.nav.step_ids())
    assert child != adult
    assert consent_step(ws).id in adult and consent_step(ws).id not in child


def test_not_possible_now_asks_for_a_reason(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    first = page.current_step
    click(qtbot, page.skip_button)
    dialog = page.skip_dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    from PySide6.QtWidgets import QDialogButtonBox

    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Mark not possible now" and not ok.isEnabled()
    click(qtbot, dialog.buttons_by_id["other"])
    assert not ok.isEnabled()  # "another reason" needs the worker's note
    qtbot.keyClicks(dialog.note, "The person was tired")
    assert ok.isEnabled()
    click(qtbot, dialog.buttons_by_id["no-time"])
    click(qtbot, ok)
    qtbot.waitUntil(lambda: page.current_step != first)
    skip = page.session.state.skips[first]
    assert (skip.reason, skip.note) == ("no-time", "The person was tired")
    page.go_to_step(first)
    assert page.form.skip_banner.isVisible()
    assert "The person was tired" in page.form.skip_text.text()
    click(qtbot, page.form.resume_button)
    assert first not in page.session.state.skips


def test_a_sensitive_skip_says_what_the_referral_will_say(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    page.go_to_step("treatment")
    click(qtbot, page.skip_button)
    dialog = page.skip_dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    click(qtbot, dialog.buttons_by_id["too-distressing"])
    assert "Not discussed: it was too distressing" in dialog.sent.text()
    assert "Your note is not sent" in dialog.sent.text()
    dialog.reason_given.emit("too-distressing", "")
    dialog.accept()
    page.go_to_step("treatment")
    assert "Not discussed: it was too distressing" in page.form.skip_text.text()


def test_notes_and_follow_ups(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    page.side.setCurrentIndex(2)
    notes = page.notes
    qtbot.keyClicks(notes.text, "Meet again on Friday at the drop-in")
    notes.kind.setCurrentIndex(notes.kind.findData("follow-up"))
    with qtbot.waitSignal(notes.added):
        click(qtbot, notes.add_button)
    assert notes.list.count() == 1
    assert "Follow-up contact" in notes.list.item(0).text()
    assert notes.text.toPlainText() == ""
    # Ctrl+Enter in the text adds a note from the keyboard
    notes.text.setFocus()
    qtbot.keyClicks(notes.text, "Welfare call done")
    with qtbot.waitSignal(notes.added):
        QTest.keyClick(notes.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert notes.list.count() == 2


def test_pause_returns_to_the_list_and_close_reopen(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    ref = page.session.reference
    click(qtbot, page.pause_button)
    cases = unlocked.window.cases
    qtbot.waitUntil(lambda: cases.isVisible())
    assert cases.current_reference() == ref
    # a newer case above it: pausing the older one still comes back to the older one
    click(qtbot, cases.new_button)
    qtbot.waitUntil(lambda: page.form is not None and page.session.reference != ref)
    click(qtbot, page.pause_button)
    qtbot.waitUntil(lambda: cases.isVisible())
    assert cases.select_reference(ref)
    click(qtbot, cases.open_button)
    qtbot.waitUntil(lambda: page.session is not None and page.session.reference == ref)
    click(qtbot, page.pause_button)
    qtbot.waitUntil(lambda: cases.isVisible())
    assert cases.current_reference() == ref
    click(qtbot, cases.status_button)
    assert unlocked.ws.queries.find(ref).status == "closed"
    cases.status_filter.setCurrentIndex(cases.status_filter.findData(None))
    assert cases.select_reference(ref)
    assert "eopen" in cases.status_button.text()
    click(qtbot, cases.status_button)
    assert unlocked.ws.queries.find(ref).status == "open"
    qtbot.keyClicks(cases.search, ref[-3:])
    assert cases.model.rowCount() == 1


def answer_by_keyboard(qtbot, editor) -> None:
    """Answer the focused field with keys only."""
    target = QApplication.focusWidget()
    if isinstance(editor, ChoiceEditor | MultiChoiceEditor | CheckboxEditor):
        QTest.keyClick(target, Qt.Key.Key_Space)
    elif isinstance(editor, ListEditor):
        value = editor.combo.model().index(0, 0).data()
        qtbot.keyClicks(target, value)
        QTest.keyClick(target, Qt.Key.Key_Tab)  # leaving the field saves it
        return
    elif isinstance(editor, DateEditor):
        qtbot.keyClicks(target, "2020-02-03")
    elif isinstance(editor, NumberEditor):
        qtbot.keyClicks(target, "3")
    else:
        rules = set(editor.field.validate)
        text = "sam@example.org" if "email" in rules else "+44 20 7946 0000" \
            if "phone" in rules else "2" if "numeric" in rules else "Said in their words"
        qtbot.keyClicks(target, text)


def tab_to(qtbot, window, widget, limit: int = 60) -> None:
    for _ in range(limit):
        current = QApplication.focusWidget()
        if current is widget or (isinstance(widget, ChoiceEditor | MultiChoiceEditor)
                                 and current in widget.findChildren(QRadioButton)):
            return
        QTest.keyClick(current or window, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget.accessibleName()}")


def tab_until(target, limit: int) -> list:
    """Press Tab until ``target`` has focus (at most ``limit`` times): what got focus, in turn."""
    seen = []
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
        if seen[-1] is target:
            break
    return seen


def test_keyboard_only_through_a_stage(qtbot, unlocked):
    controller = unlocked
    window = controller.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    table = window.cases.table
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_N, ALT)  # Alt+N on the list: New case
    page = window.interview
    qtbot.waitUntil(lambda: page.form is not None)
    ws = page.ws
    first_stage = ws.checklist.step(page.current_step).stage
    visited = []
    while page.current_step and ws.checklist.step(page.current_step).stage == first_stage:
        step_id = page.current_step
        visited.append(step_id)
        answered: set[str] = set()
        while rows := [r for r in page.form.visible_rows() if r.field.id not in answered]:
            row = rows[0]  # an answer may open more (an urgent need: what was done)
            answered.add(row.field.id)
            target = row.editor.focus_target()
            if QApplication.focusWidget() is not target:
                tab_to(qtbot, window, target)
            answer_by_keyboard(qtbot, row.editor)
            if row.isVisible() and row.editor.field.type != "list":
                QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_N, ALT)
        qtbot.waitUntil(lambda s=step_id: page.current_step != s)
        assert ws.interview.step_status(ws.checklist.step(step_id), page.session.state) in (
            "done", "partial"), step_id
    assert visited
    # and back again with Alt+B
    current = page.current_step
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_B, ALT)
    qtbot.waitUntil(lambda: page.current_step != current)
    assert page.current_step == visited[-1]


def test_tab_from_a_steps_last_field_goes_to_back_and_next(qtbot, unlocked):
    """Not to the toolbar: a Space typed there once quit the app mid-interview."""
    window = unlocked.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page = open_new_case(qtbot, unlocked)
    for step in page.session.applicable()[:6]:
        page.go_to_step(step.id)
        rows = page.form.visible_rows()
        if not rows:
            continue
        last = rows[-1].editor.focus_target()
        if isinstance(rows[-1].editor, ChoiceEditor | MultiChoiceEditor):
            last = rows[-1].editor.findChildren(QRadioButton)[-1] \
                if rows[-1].editor.findChildren(QRadioButton) else last
        last.setFocus()
        qtbot.waitUntil(lambda w=last: QApplication.focusWidget() is w)
        seen = tab_until(page.next_button, 4)
        assert page.next_button in seen, (step.id, [w.accessibleName() for w in seen])
        assert window.quick_exit_button not in seen


def test_an_unrecorded_consent_is_kept_and_flagged_not_lost(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    ws = page.ws
    for fid, value in (("pv-under-age", "no"), ("pv-interpreter-requirements", "yes"),
                       ("fc-interpreter-name", "Ardita Interpreter"),
                       ("fc-interpreter-agency", "Accredited agency"),
                       ("fc-interpreter-independent", "yes")):
        ws.cases.answer(page.session.reference, fid, value)
    page.session.reload()
    step_id = consent_step(ws).id
    page.go_to_step(step_id)
    form = page.form.consent
    # the interpreter is one recorded on the case, offered, not typed
    assert form.interpreter.currentData() == "Ardita Interpreter"
    assert form.interpreter.findData("") == 0  # "No interpreter" can still be chosen
    qtbot.keyClicks(form.explained_by, "Sam Worker")
    qtbot.keyClicks(form.language, "Albanian")
    click(qtbot, form.given)
    assert not form.record_button.isEnabled()  # what was explained is still empty
    qtbot.keyClicks(form.explained, "What the NRM is and that it is voluntary")
    assert not form.record_button.isEnabled()  # a yes needs every point ticked
    assert "every point" in form.record_button.toolTip()
    for box in form.points.values():
        click(qtbot, box)
    assert form.record_button.isEnabled()
    other = page.session.applicable()[0].id
    page.go_to_step(other)  # e.g. a click in the stage list
    assert page.current_step == step_id  # said once …
    assert "not recorded" in page.indicator.text()
    assert page.nav.tree.currentItem().data(0, STEP_ROLE) == step_id  # the list agrees
    click(qtbot, page.next_button)
    assert page.current_step != step_id  # … then moving on keeps it as a draft
    assert "nrm" not in page.session.state.consents
    page.go_to_step(step_id)
    form = page.form.consent
    assert form.explained.toPlainText() == "What the NRM is and that it is voluntary"
    assert form.given.isChecked()
    with qtbot.waitSignal(form.recorded):
        click(qtbot, form.record_button)
    assert page.session.state.consents["nrm"].state == "given"
    assert page.indicator.text() == "Saved"  # the warning is gone
    assert not form.record_button.isEnabled()  # nothing new to record until it changes
    qtbot.keyClicks(form.explained, ".")
    assert form.record_button.isEnabled()
    with qtbot.waitSignal(form.recorded):
        click(qtbot, form.record_button)
    click(qtbot, page.next_button)
    assert page.current_step != step_id  # recorded: nothing to warn about
    assert page.session.state.consents["nrm"].interpreter == "Ardita Interpreter"
    # the next consent form offers the same interpreter instead of asking again
    other = next(s for s in page.session.applicable() if s.consent and s.consent != "nrm")
    page.go_to_step(other.id)
    assert page.form.consent.interpreter.currentData() == "Ardita Interpreter"


def test_a_companion_interpreter_is_warned_on_the_step_and_needs_a_reason(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    ws, ref = page.ws, page.session.reference
    for fid, value in (("pv-under-age", "no"), ("pv-interpreter-requirements", "yes"),
                       ("fc-interpreter-name", "Cousin Ana")):
        ws.cases.answer(ref, fid, value)
    page.session.reload()
    page.go_to_step("interpreter")
    assert not page.form.warning_box.isVisible()
    answer = page.form.rows["fc-interpreter-independent"].editor
    no = next(b for b in answer.findChildren(QRadioButton) if b.text().replace("&", "") == "No")
    with qtbot.waitSignal(page.form.saved):
        click(qtbot, no)
    assert page.form.warning_box.isVisible()
    assert any("K18" in text for text in page.form.warning_box.texts())
    page.show_completeness()
    panel = page.completeness
    assert panel.warning_buttons
    warnings = panel.findChild(object, "completeness-warnings")
    assert warnings is not None and "K18" in " ".join(
        label.text() for label in warnings.findChildren(type(page.case_label)))
    page.go_to_step(consent_step(ws).id)
    form = page.form.consent
    assert form.interpreter.currentData() == "Cousin Ana"
    assert form.interpreter_reason.isVisible()
    qtbot.keyClicks(form.explained, "What the NRM is")
    qtbot.keyClicks(form.explained_by, "Sam Worker")
    qtbot.keyClicks(form.language, "Romanian")
    click(qtbot, form.given)
    assert not form.record_button.isEnabled()  # a reason is needed for this interpreter
    qtbot.keyClicks(form.interpreter_reason, "No accredited interpreter could be reached")
    tick_points(qtbot, form)
    with qtbot.waitSignal(form.recorded):
        click(qtbot, form.record_button)
    record = page.session.state.consents["nrm"]
    assert record.interpreter_independent is False
    assert record.interpreter_reason == "No accredited interpreter could be reached"


def test_a_list_value_typed_whole_is_saved_when_moving_on(qtbot, unlocked):
    """Typed to the end while its matches were showing, then Next: kept, not dropped."""
    page = open_new_case(qtbot, unlocked)
    step_id, field = find_field(page, "list", plain=False)
    page.go_to_step(step_id)
    editor = page.form.rows[field.id].editor
    wanted = page.ws.checklist.list_values(field)[3]
    editor.combo.setFocus()
    qtbot.keyClicks(editor.combo.lineEdit(), wanted)
    click(qtbot, page.next_button)
    assert page.session.state.answers.get(field.id) == wanted


def test_questions_an_answer_opens_are_scrolled_into_view(qtbot, unlocked):
    window = unlocked.window
    page = open_new_case(qtbot, unlocked)
    window.resize(900, 420)  # a small laptop screen: the step scrolls
    page.go_to_step("risk")
    qtbot.waitUntil(lambda: page.step_area.viewport().height() < 300)
    bar = page.step_area.verticalScrollBar()
    concerns = page.form.rows["future-exploitation-concerns"].editor
    yes = concerns.buttons["yes"]
    bar.setValue(0)
    page.step_area.ensureWidgetVisible(yes, 0, 0)  # "yes" at the bottom edge of the view
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton, pos=QPoint(6, yes.height() // 2))
    opened = page.form.rows["future-exploitation-reasons"]
    qtbot.waitUntil(lambda: opened.isVisible())
    viewport = page.step_area.viewport()

    def in_view() -> bool:
        top = opened.mapTo(viewport, QPoint(0, 0)).y()
        return top >= 0 and top + opened.height() <= viewport.height()

    qtbot.waitUntil(in_view)
    assert bar.maximum() > 0  # it did have to scroll


def test_tab_never_lands_on_quick_exit(qtbot, unlocked):
    """A stray Tab then Space must not quit mid-interview: Quick exit stays out of the Tab
    order (Alt+X, Esc twice, Ctrl+Shift+Q and a click still work)."""
    window = unlocked.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page = open_new_case(qtbot, unlocked)
    page.next_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.next_button)
    seen = tab_until(page.next_button, 120)
    assert seen[-1] is page.next_button  # the chain goes round …
    assert window.lock_button in seen  # … through the toolbar …
    assert window.quick_exit_button not in seen  # … but never onto Quick exit
    with qtbot.waitSignal(unlocked.quick_exited):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_X, ALT)


def test_coming_back_to_a_step_does_not_select_the_answer_for_overtyping(qtbot, unlocked):
    window = unlocked.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page = open_new_case(qtbot, unlocked)
    state = page.session.state
    step, field = next((s, f) for s in page.session.applicable()
                       for f in page.ws.interview.visible_fields(s, state)[:1]
                       if f.type == "text" and not f.validate)
    page.ws.cases.answer(page.session.reference, field.id, "An answer given earlier")
    page.session.reload()
    page.go_to_step(step.id)
    edit = page.form.rows[field.id].editor.focus_target()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    assert not edit.hasSelectedText()  # a key typed now adds to it, never replaces it


def test_stage_lines_and_long_tick_boxes_fit_without_sideways_scrolling(qtbot, unlocked):
    window = unlocked.window
    window.resize(1024, 700)  # a small laptop screen
    page = open_new_case(qtbot, unlocked)
    tree = page.nav.tree
    room = tree.viewport().width()
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        needed = tree.fontMetrics().horizontalAdvance(item.text(0)) + tree.indentation()
        assert needed <= room, item.text(0)  # "… — 3 of 12" is not cut off
    longest = max((f for s in page.ws.checklist.steps for f in s.fields if f.type == "checkbox"),
                  key=lambda f: len(f.label))
    page.go_to_step(page.ws.checklist.step_of_field(longest.id).id)
    qtbot.waitUntil(lambda: page.form.rows[longest.id].isVisible())
    assert page.step_area.horizontalScrollBar().maximum() == 0


def test_questions_an_answer_opens_never_move_the_control_under_the_pointer(qtbot, unlocked,
                                                                             monkeypatch):
    page = open_new_case(qtbot, unlocked)
    unlocked.window.resize(900, 420)  # a short window: the step scrolls
    page.go_to_step("companions")
    qtbot.waitUntil(lambda: page.step_area.verticalScrollBar().maximum() >= 0)
    form = page.form
    target = page.next_button  # outside the form: nothing to keep in place …
    assert page._pointer_target(form) is None or not form.isAncestorOf(target)
    # … but a control of the form below the answered question stays where it was
    below = form.rows["fc-accompanied"].editor.buttons["not-sure"]
    monkeypatch.setattr(type(page), "_pointer_target", staticmethod(lambda _form: below))
    before = below.mapToGlobal(QPoint(0, 0)).y()
    click(qtbot, form.rows["fc-accompanied"].editor.buttons["yes"])
    qtbot.waitUntil(lambda: form.rows["fc-companions-identity"].isVisible())
    qtbot.waitUntil(lambda: below.mapToGlobal(QPoint(0, 0)).y() == before, timeout=2000)


def test_choosing_from_a_list_moves_on_to_the_next_question(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    page.go_to_step("about-person")
    editor = page.form.rows["pv-nationality"].editor
    editor.combo.setFocus()
    qtbot.keyClicks(editor.combo, "Eritre")
    completer = editor.combo.completer()
    completer.activated.emit("Eritrean")  # the match chosen with Enter
    qtbot.waitUntil(lambda: page.session.state.answers.get("pv-nationality") == "Eritrean")
    assert QApplication.focusWidget() is not editor.combo
    assert not editor.combo.isAncestorOf(QApplication.focusWidget())


def test_text_that_is_no_list_entry_is_refused_and_explained(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    page.go_to_step("about-person")
    row = page.form.rows["pv-nationality"]
    row.editor.combo.setFocus()
    qtbot.keyClicks(row.editor.combo, "She said near the border")
    QTest.keyClick(row.editor.combo, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: row.message.isVisible())
    assert "choose from the matches" in row.message.text()
    assert "pv-nationality" not in page.session.state.answers
    assert page.indicator.state == "failed"


def test_an_urgent_warning_says_it_was_acted_on_once_the_action_is_recorded(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    ws, ref = page.ws, page.session.reference
    ws.cases.answer(ref, "fc-safe-tonight", "no")
    page.session.reload()

    def said() -> str:
        page.show_completeness()
        box = page.completeness.findChild(object, "completeness-warnings")
        return " ".join(label.text() for label in box.findChildren(type(page.case_label)))

    assert "Urgent: The person has nowhere safe to stay tonight" in said()
    ws.cases.answer(ref, "fc-urgent-action", "Emergency accommodation arranged, taxi at 17:00")
    page.session.reload()
    words = said()
    assert "Urgent:" not in words
    assert "Acted on (what was done is recorded on the step): The person has nowhere safe" \
        in words
    detail = ws.queries.detail(ref)
    assert not any(w.urgent for w in detail.warnings)


def test_the_lawyer_consent_form_shows_only_when_the_person_wants_one(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    ws, ref = page.ws, page.session.reference
    ws.cases.answer(ref, "pv-under-age", "no")
    ws.cases.answer(ref, "fc-legal-representation", "not-now")
    page.session.reload()
    page.go_to_step("legal-representation")
    assert page.form.consent is not None and page.form.consent.isHidden()
    click(qtbot, page.next_button)  # "Not now" is an answer: nothing to decide, moving on
    assert page.current_step != "legal-representation"
    ws.cases.answer(ref, "fc-legal-representation", "wants-one")
    page.session.reload()
    page.go_to_step("legal-representation")
    assert page.form.consent.isVisible()
