"""What the worker sees change on screen with the practice content: immediate needs first and
an urgent answer that moves the worker to act; a child who never sees an adult advocate, sees
the procedures of their nation and has their views recorded; the words for the person fitted to
the case; K items with a practical note; reminders in the case list."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QRadioButton

from firstcontact.ui.cases.case_list import CaseListPage
from firstcontact.ui.interview.stage_nav import STEP_ROLE
from tests.ui.helpers import click

# the first step of a new case, and what an urgent answer opens
FIRST = "immediate-needs"
ACTION = "fc-urgent-action"


def open_new_case(qtbot, controller):
    click(qtbot, controller.window.cases.new_button)
    page = controller.window.interview
    qtbot.waitUntil(lambda: page.form is not None)
    return page


def choose(qtbot, page, field_id: str, value: str) -> None:
    """Click the option in the field's widget, as the worker would, and wait for the save."""
    editor = page.form.rows[field_id].editor
    button = editor.buttons[value]
    assert isinstance(button, QRadioButton)
    with qtbot.waitSignal(page.form.saved):
        click(qtbot, button)


def answer(page, answers: dict[str, object]) -> None:
    for fid, value in answers.items():
        page.ws.cases.answer(page.session.reference, fid, value)
    page.session.reload()


def test_immediate_needs_come_first_and_an_urgent_answer_moves_the_worker_to_act(qtbot,
                                                                                unlocked):
    page = open_new_case(qtbot, unlocked)
    assert page.current_step == FIRST  # before anything else, even the worker's own notes
    form = page.form
    assert not form.urgent_box.isVisible() and page.next_button.text() == "&Next"
    assert not form.rows[ACTION].isVisible()
    choose(qtbot, page, "fc-danger-now", "yes")
    # the screen now offers acting first: what to do, where to record it, pausing
    assert form.urgent_box.isVisible()
    texts = " ".join(form.urgent_box.texts())
    assert "Call 999" in texts and "Act first" in texts
    assert form.urgent_box.pause_button is not None and form.urgent_box.pause_button.isVisible()
    assert form.rows[ACTION].isVisible()
    assert page.next_button.text() == "&Next: act first"
    # Next leads to acting, not to the next question
    click(qtbot, page.next_button)
    assert page.current_step == FIRST
    assert "urgent need first" in page.indicator.text()
    target = form.rows[ACTION].editor.focus_target()
    qtbot.waitUntil(lambda: target.hasFocus())
    # once what was done is recorded, Next goes on
    qtbot.keyClicks(target, "Called 999 at 14:05; police came; she went with them to the "
                            "station, with her agreement.")
    page.flush()
    page.after_change()
    assert ACTION in page.session.state.answers
    assert page.next_button.text() == "&Next"
    assert "Act first" not in " ".join(form.urgent_box.texts())
    click(qtbot, page.next_button)
    assert page.current_step != FIRST


def test_a_calm_answer_changes_nothing_and_the_urgent_box_can_pause(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    choose(qtbot, page, "fc-danger-now", "no")
    choose(qtbot, page, "fc-safe-tonight", "yes")
    assert not page.form.urgent_box.isVisible()
    choose(qtbot, page, "fc-food-water", "yes")  # advice: offer water and food, not a block
    assert page.form.advice_box.isVisible() and not page.form.urgent_box.isVisible()
    assert page.next_button.text() == "&Next"
    choose(qtbot, page, "fc-safe-tonight", "no")  # nowhere safe tonight: arrange it first
    assert page.form.urgent_box.isVisible()
    assert any("children's services" in t for t in page.form.urgent_box.texts())
    reference = page.session.reference
    with qtbot.waitSignal(page.paused) as paused:
        click(qtbot, page.form.urgent_box.pause_button)
    assert paused.args == [reference]
    assert unlocked.window.stack.currentWidget() is unlocked.window.cases


def test_could_not_see_the_person_alone_offers_advice_and_a_pause(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    answer(page, {"fc-accompanied": "yes"})
    page.go_to_step("companions")
    choose(qtbot, page, "fc-spoke-alone", "no")
    box = page.form.warning_box
    assert box.isVisible() and "arrange a safer time" in " ".join(box.texts())
    assert box.pause_button is not None and box.pause_button.isVisible()
    assert page.form.rows["fc-safer-time"].isVisible()


def applicable(page) -> set[str]:
    return {s.id for s in page.session.applicable()}


def test_a_child_never_sees_an_adult_advocate_and_has_a_guardian_of_their_nation(qtbot,
                                                                                 unlocked):
    page = open_new_case(qtbot, unlocked)
    assert "advocate" in applicable(page)  # not known yet to be a child
    answer(page, {"fr-location": "scotland", "pv-under-age": "not-sure"})
    page.go_to_step("age")  # the stage list follows the answers
    steps = applicable(page)
    assert "advocate" not in steps and "guardian" in steps
    listed = {page.nav.tree.topLevelItem(i).child(j).data(0, STEP_ROLE)
              for i in range(page.nav.tree.topLevelItemCount())
              for j in range(page.nav.tree.topLevelItem(i).childCount())}
    assert "advocate" not in listed and "guardian" in listed
    page.go_to_step("guardian")
    rows = page.form.rows
    assert rows["fc-guardian-scotland"].isVisible()
    assert not rows["fc-guardian"].isVisible() and not rows["fc-guardian-ni"].isVisible()
    assert "Scottish Guardianship Service" in page.form.prompt.text()
    # Scotland: social work and an inter-agency referral discussion
    page.go_to_step("local-authority")
    assert "inter-agency referral discussion" in page.form.prompt.text()
    assert page.form.rows["fc-ird"].isVisible() and not page.form.rows["fc-hsc-trust"].isVisible()
    # the child's views and wishes are recorded, in their words
    page.go_to_step("child-referral")
    assert page.form.rows["fc-child-views"].isVisible()
    assert page.form.explanation.isVisible()
    assert any("what you want matters" in t for t in page.form.explanation.texts())


def test_northern_ireland_names_the_trust_and_england_the_ictg(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    answer(page, {"fr-location": "northern-ireland", "pv-under-age": "yes"})
    page.go_to_step("local-authority")
    assert "Health and Social Care Trusts, not by district councils" in page.form.prompt.text()
    assert page.form.rows["fc-hsc-trust"].isVisible()
    page.go_to_step("guardian")
    assert page.form.rows["fc-guardian-ni"].isVisible()
    answer(page, {"fr-location": "england"})
    page.go_to_step("own-words")
    page.go_to_step("guardian")
    assert page.form.rows["fc-guardian"].isVisible()
    assert "Independent Child Trafficking Guardian" in page.form.prompt.text()
    # a child's account steps: only what the referral needs
    page.go_to_step("treatment")
    assert page.form.prompt.text().startswith("For a child: ask only what the referral needs")


def test_an_adult_with_an_accompanying_adult_sees_no_child_warning(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    answer(page, {"fc-accompanied": "yes", "pv-under-age": "yes"})
    page.go_to_step("companions")
    assert any("even a parent" in t for t in page.form.advice_box.texts())
    answer(page, {"pv-under-age": "no"})
    page.go_to_step("safe-place")
    page.go_to_step("companions")
    assert not page.form.advice_box.isVisible()


def test_the_words_for_the_person_fit_the_case_and_the_organisation(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    ws = page.ws
    ws.settings.set_profile(public_authority="local-authority")
    answer(page, {"fr-location": "england", "pv-under-age": "no"})
    page.go_to_step("confidentiality-again")
    words = " ".join(page.form.explanation.texts())
    assert "I still have to tell the Home Office" in words  # the Duty to Notify, honestly
    assert "children's services" not in words
    ws.settings.set_profile(public_authority="none")
    page.go_to_step("cooperation")
    page.go_to_step("confidentiality-again")
    words = " ".join(page.form.explanation.texts())
    assert "Home Office" not in words and "unless someone is in serious danger" in words
    answer(page, {"pv-under-age": "yes"})
    page.go_to_step("cooperation")
    page.go_to_step("confidentiality-again")
    assert "children's services" in " ".join(page.form.explanation.texts())
    # before the age is known, the first explanation states every limit
    page.go_to_step("confidentiality")
    first = " ".join(page.form.explanation.texts())
    assert "I cannot promise to keep everything secret" in first
    assert "If you are under 18" in first


def test_guidance_gives_each_k_item_a_practical_note(qtbot, unlocked):
    page = open_new_case(qtbot, unlocked)
    page.go_to_step("companions")
    note = page.guidance.findChild(object, "practice-K7")
    assert note is not None and note.text().startswith("In practice: Anyone with the person")


def test_the_case_list_says_a_decision_is_due_and_a_follow_up_is_overdue(qtbot, unlocked):
    ws = unlocked.ws
    waiting = ws.cases.new().reference
    for fid, value in (("pv-under-age", "yes"), ("fc-nrm-reference", "NRM-26-1"),
                       ("fc-rg-date", "2026-11-20")):
        ws.cases.answer(waiting, fid, value)
    decided = ws.cases.new().reference
    for fid, value in (("pv-under-age", "yes"), ("fc-nrm-reference", "NRM-26-2"),
                       ("fc-rg-date", "2026-11-20"), ("fc-cg-date", "2027-02-01")):
        ws.cases.answer(decided, fid, value)
    overdue = ws.cases.new().reference
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    ws.cases.answer(overdue, "fc-follow-up-date", yesterday)
    page = CaseListPage(ws)
    qtbot.addWidget(page)
    page.show()
    model = page.model
    column = next(i for i, c in enumerate(model.columns) if c.key == "reminders")
    shown = {model.index(r, 0).data(): model.index(r, column).data()
             for r in range(model.rowCount())}
    assert shown[waiting] == "Decision due"
    assert shown[decided] == "—"
    assert shown[overdue].startswith("Follow-up overdue")
    bold = model.index(next(r for r in range(model.rowCount())
                            if model.index(r, 0).data() == waiting), column).data(
        Qt.ItemDataRole.FontRole)
    assert bold is not None and bold.bold()  # Qt.FontRole: it stands out
    # sorting by the column puts what is due first
    page.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == waiting
