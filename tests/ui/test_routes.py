"""The three routes end to end: adult with consent to an exported NRM pack, child, declined
consent (NRM refused, Duty to Notify offered). Most of the long route is answered through the
application layer; consent, the completeness panel, settings and export go through the GUI."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from firstcontact.i18n import _
from firstcontact.ui.interview.choice_editors import ChoiceEditor
from firstcontact.ui.interview.coverage_panel import STATUS_WORDS
from firstcontact.ui.interview.page import TAB_COMPLETENESS, TAB_COVERAGE
from tests.ui.helpers import (
    ADULT,
    CHILD,
    DECLINED,
    PROFILE,
    click,
    consent_step,
    fill,
    tick_points,
)

PDF_PASSWORD = "pack password 42"


def run_cli(data_dir: Path, *argv: str) -> tuple[int, str]:
    """The command line beside the open GUI (the same store, as a worker's terminal would)."""
    import os

    from firstcontact.cli.main import main
    from tests.conftest import PASSPHRASE

    out = io.StringIO()
    os.environ["FIRSTCONTACT_PASSPHRASE"] = PASSPHRASE
    try:
        with contextlib.redirect_stdout(out):
            code = main(["--data-dir", str(data_dir), *argv])
    finally:
        del os.environ["FIRSTCONTACT_PASSPHRASE"]
    return code, out.getvalue()


def new_case(qtbot, controller):
    window = controller.window
    click(qtbot, window.cases.new_button)
    page = window.interview
    qtbot.waitUntil(lambda: page.isVisible() and page.form is not None)
    return page


def answer_choice(qtbot, page, field_id: str, value: str) -> None:
    step = page.ws.checklist.step_of_field(field_id)
    page.go_to_step(step.id)
    editor = page.form.rows[field_id].editor
    assert isinstance(editor, ChoiceEditor)
    click(qtbot, editor.buttons[value])
    qtbot.waitUntil(lambda: page.session.state.answers.get(field_id) == value)
    assert page.indicator.text() == "Saved"


def show_completeness(qtbot, page):
    page.side.setCurrentIndex(TAB_COMPLETENESS)
    qtbot.waitUntil(lambda: bool(page.completeness.checks))
    return page.completeness


def reload_page(page) -> None:
    """After app-layer answers: what the screen would show on reopening the case."""
    page.session.reload()
    page.after_change()
    page.refresh_completeness()


def record_consent(qtbot, page, decision: str) -> None:
    form = page.form.consent
    assert form is not None
    qtbot.keyClicks(form.explained, "What the NRM is, who sees it, that it is voluntary")
    form.explained_by.clear()
    qtbot.keyClicks(form.explained_by, "Sam Worker")
    chosen = page.session.state.answers.get("fc-language")
    assert form.language.text() == (chosen or "")  # filled in from "Language of choice"
    form.language.clear()
    qtbot.keyClicks(form.language, "English")
    click(qtbot, form.given if decision == "given" else form.declined)
    tick_points(qtbot, form)
    with qtbot.waitSignal(form.recorded):
        click(qtbot, form.record_button)


def fix_profile_through_settings(qtbot, controller, button) -> None:
    click(qtbot, button)
    dialog = controller.window.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    for name in ("first_name", "last_name", "role", "phone", "email"):
        edit = getattr(dialog, name)
        edit.clear()
        qtbot.keyClicks(edit, PROFILE[name])
    dialog.organisation.setEditText(PROFILE["organisation"])
    dialog.nation.setCurrentIndex(dialog.nation.findData(PROFILE["nation"]))
    dialog.public_authority.setCurrentIndex(
        dialog.public_authority.findData(PROFILE["public_authority"]))
    with qtbot.waitSignal(dialog.saved):
        click(qtbot, dialog.save_button)
    assert controller.ws.settings.profile().public_authority == PROFILE["public_authority"]


def export_from_dialog(qtbot, dialog, out: Path) -> None:
    assert not dialog.export_button.isEnabled()  # no password yet
    suggested = Path(dialog.path.text())  # a place is suggested, never an existing file
    assert suggested.suffix == ".pdf" and not suggested.exists()
    qtbot.keyClicks(dialog.password, PDF_PASSWORD)
    qtbot.keyClicks(dialog.confirm, PDF_PASSWORD)
    dialog.path.setText(str(out))  # the QFileDialog's result
    assert dialog.export_button.isEnabled(), dialog.problem()
    with qtbot.waitSignal(dialog.exported, timeout=10_000):
        click(qtbot, dialog.export_button)


def assert_pdf_opens(path: Path, reference: str, title: str) -> None:
    """The file is the encrypted pack of this case for this destination."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    assert reader.is_encrypted
    assert reader.decrypt(PDF_PASSWORD)
    first_page = " ".join(reader.pages[0].extract_text().split())
    assert reference in first_page and title in first_page


def test_adult_route_to_an_exported_nrm_pack(qtbot, unlocked, tmp_path):
    controller = unlocked
    ws = controller.ws
    page = new_case(qtbot, controller)
    ref = page.session.reference
    answer_choice(qtbot, page, "pv-under-age", "no")
    fill(ws, ref, ADULT)
    reload_page(page)

    panel = show_completeness(qtbot, page)
    nrm = panel.checks["nrm"]
    assert not nrm.refusals
    consent_item = next(m for m in nrm.missing if m.key == "consent:nrm")
    click(qtbot, panel.item_buttons[("nrm", consent_item.key)])
    qtbot.waitUntil(lambda: page.current_step == consent_step(ws).id)
    record_consent(qtbot, page, "given")
    assert page.session.state.consents["nrm"].state == "given"

    fill(ws, ref, ADULT)  # what the consent opened (support, contact details …)
    reload_page(page)
    panel = show_completeness(qtbot, page)
    missing = panel.checks["nrm"].missing
    assert missing and all(m.fix == "profile" for m in missing), [m.key for m in missing]
    fix_profile_through_settings(qtbot, controller, panel.item_buttons[("nrm", missing[0].key)])

    page.refresh_completeness()
    panel = page.completeness
    assert panel.checks["nrm"].complete
    assert panel.checks["dtn"].refusals  # consent given: NRM instead
    click(qtbot, panel.export_buttons["nrm"])
    dialog = controller.window.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert dialog.destination.currentData() == "nrm"
    assert Path(dialog.path.text()).name == f"{ref}-nrm.pdf"  # the case and the destination
    out = tmp_path / "out" / "referral-nrm.pdf"
    out.parent.mkdir()
    export_from_dialog(qtbot, dialog, out)
    assert_pdf_opens(out, ref, "NRM referral")
    # the export shows: in the completeness panel, and in the case list's last column
    qtbot.waitUntil(lambda: "nrm" in page.completeness.exported)
    panel = show_completeness(qtbot, page)
    done = panel.findChild(object, "exported-nrm")
    assert done is not None and done.text().startswith("Exported on ")
    dialog.reject()
    click(qtbot, page.pause_button)
    cases = controller.window.cases
    qtbot.waitUntil(lambda: cases.isVisible())
    model = cases.model
    column = next(i for i, c in enumerate(model.columns) if c.key == "exported")
    row = model.row_of(page.ws.queries.find(ref).id)
    assert model.data(model.index(row, column)).startswith("NRM, ")
    # the criteria tab and `case show --json` give the same coverage
    controller.window.open_case(ref)
    page = controller.window.interview
    page.side.setCurrentIndex(TAB_COVERAGE)
    qtbot.waitUntil(lambda: bool(page.coverage.rows))
    shown = {pc: label.text() for pc, label in page.coverage.rows.items()}
    code, out = run_cli(controller.data_dir, "case", "show", ref, "--json")
    assert code == 0
    for cov in json.loads(out)["coverage"]:
        text = shown[cov["id"]]
        assert _(STATUS_WORDS[cov["status"]]) in text.splitlines()[0], cov["id"]
        for reason in cov["missing"] if cov["status"] == "open" else cov["reasons"]:
            assert reason in text
    assert "✓ PC13: Evidenced" in shown["PC13"]  # the export evidences it


def test_child_route_needs_no_consent_and_never_a_duty_to_notify(qtbot, unlocked, tmp_path):
    controller = unlocked
    ws = controller.ws
    ws.settings.set_profile(**PROFILE)
    page = new_case(qtbot, controller)
    ref = page.session.reference
    adult_steps = set(page.nav.step_ids())
    answer_choice(qtbot, page, "pv-under-age", "yes")
    child_steps = set(page.nav.step_ids())
    la_step = ws.checklist.step_of_field(
        "local-authority-contacted-about-child-local-authority-name")
    assert la_step.id in child_steps  # the branch follows the answer live
    assert consent_step(ws).id in adult_steps  # consent is asked of an adult only
    assert not any(ws.checklist.step(s).consent == "nrm" for s in child_steps)
    fill(ws, ref, CHILD)
    reload_page(page)
    panel = show_completeness(qtbot, page)
    assert panel.checks["dtn"].refusals
    assert any("child" in t.lower() for t in panel.checks["dtn"].refusals)
    assert panel.checks["nrm"].complete, [m.key for m in panel.checks["nrm"].missing]
    assert any("child" in n.lower() for n in panel.checks["nrm"].notices)
    click(qtbot, page.export_button)
    dialog = controller.window.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    dialog.destination.setCurrentIndex(dialog.destination.findData("dtn"))
    assert "child" in dialog.reasons.text().lower()
    qtbot.keyClicks(dialog.password, PDF_PASSWORD)
    qtbot.keyClicks(dialog.confirm, PDF_PASSWORD)
    dialog.path.setText(str(tmp_path / "dtn.pdf"))
    assert not dialog.export_button.isEnabled()
    dialog.destination.setCurrentIndex(dialog.destination.findData("nrm"))
    assert dialog.export_button.isEnabled()


@pytest.mark.parametrize("cooperates", ["no", "yes"])
def test_declined_consent_refuses_nrm_and_offers_duty_to_notify(qtbot, unlocked, tmp_path,
                                                                 cooperates):
    controller = unlocked
    ws = controller.ws
    ws.settings.set_profile(**PROFILE)
    page = new_case(qtbot, controller)
    ref = page.session.reference
    answer_choice(qtbot, page, "pv-under-age", "no")
    page.go_to_step(consent_step(ws).id)
    record_consent(qtbot, page, "declined")
    fill(ws, ref, {**DECLINED, "authorities-cooperation": cooperates})
    reload_page(page)
    panel = show_completeness(qtbot, page)
    nrm, dtn = panel.checks["nrm"], panel.checks["dtn"]
    assert nrm.refusals and "declined" in nrm.refusals[0]
    assert not dtn.refusals
    assert dtn.complete, [m.key for m in dtn.missing]
    group = panel.findChild(object, "completeness-nrm")
    assert any("declined" in label.text() for label in group.findChildren(type(page.case_label)))
    click(qtbot, panel.export_buttons["dtn"])
    dialog = controller.window.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    out = tmp_path / "dtn.pdf"
    export_from_dialog(qtbot, dialog, out)
    assert_pdf_opens(out, ref, "Duty to Notify")
    dialog.destination.setCurrentIndex(dialog.destination.findData("nrm"))
    assert not dialog.export_button.isEnabled()
    assert "declined" in dialog.reasons.text()


def test_withdrawn_consent_blocks_further_exports(qtbot, unlocked):
    controller = unlocked
    ws = controller.ws
    page = new_case(qtbot, controller)
    answer_choice(qtbot, page, "pv-under-age", "no")
    page.go_to_step(consent_step(ws).id)
    record_consent(qtbot, page, "given")
    form = page.form.consent
    assert form.withdraw_button.isVisible()
    click(qtbot, form.withdraw_button)
    with qtbot.waitSignal(form.recorded):
        click(qtbot, form.confirm_withdraw)
    assert page.session.state.consents["nrm"].state == "withdrawn"
    panel = show_completeness(qtbot, page)
    assert panel.checks["nrm"].refusals
