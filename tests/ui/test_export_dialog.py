"""The export and survivor-copy dialogs: what they show, and what they refuse to do."""

from __future__ import annotations

from pathlib import Path

from firstcontact.ui.interview.page import InterviewPage
from tests.ui.helpers import click

PASSWORD = "a fine pdf password"


def open_case(qtbot, controller) -> InterviewPage:
    click(qtbot, controller.window.cases.new_button)
    page = controller.window.interview
    qtbot.waitUntil(lambda: page.form is not None)
    return page


def open_survivor_copy(qtbot, controller, safe: str | None = "now"):
    """The survivor-copy dialog; ``safe``: the safety check's answer (None: not answered)."""
    page = open_case(qtbot, controller)
    click(qtbot, page.copy_button)
    dialog = controller.window.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    if safe is not None:
        click(qtbot, dialog.safety.buttons[safe])
    return dialog


def test_no_copy_before_the_safety_check_says_it_is_safe(qtbot, unlocked):
    dialog = open_survivor_copy(qtbot, unlocked, safe=None)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.confirm, PASSWORD)
    assert not dialog.export_button.isEnabled()
    assert "safety question" in dialog.hint.text()
    click(qtbot, dialog.safety.buttons["not-safe"])
    assert not dialog.export_button.isEnabled() and "Make no copy now" in dialog.hint.text()
    click(qtbot, dialog.safety.buttons["safe-address"])  # none recorded on this case
    assert not dialog.export_button.isEnabled()
    assert dialog.safety.address.isVisible() and "No safe address" in dialog.safety.address.text()
    click(qtbot, dialog.safety.buttons["later"])
    assert dialog.export_button.isEnabled()
    assert not dialog.safety.exploiters.isChecked()  # the people involved: left out by default


def test_a_copy_can_go_to_the_safe_address_the_person_gave(qtbot, unlocked):
    page = open_case(qtbot, unlocked)
    for fid, value in (("pv-contact-details", ["email"]),
                       ("pv-contact-details-email-input", "safe@example.org"),
                       ("pv-contact-details-email-check", True)):
        page.ws.cases.answer(page.session.reference, fid, value)
    click(qtbot, page.copy_button)
    dialog = unlocked.window.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    click(qtbot, dialog.safety.buttons["safe-address"])
    assert "safe@example.org" in dialog.safety.address.text()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.confirm, PASSWORD)
    assert dialog.export_button.isEnabled()


def test_survivor_copy_shows_no_destination(qtbot, unlocked):
    dialog = open_survivor_copy(qtbot, unlocked)
    assert not dialog.destination.isVisible()  # it once floated over the heading
    assert not dialog.service.isVisible()
    assert dialog.password.isVisible() and dialog.path.isVisible()


def test_what_export_waits_for_is_said_on_screen(qtbot, unlocked):
    dialog = open_survivor_copy(qtbot, unlocked)
    qtbot.keyClicks(dialog.password, "abc")
    assert not dialog.export_button.isEnabled()
    assert dialog.hint.isVisible() and "at least 8 characters" in dialog.hint.text()
    qtbot.keyClicks(dialog.password, "defghij")
    assert "not the same" in dialog.hint.text()
    qtbot.keyClicks(dialog.confirm, "abcdefghij")
    assert dialog.export_button.isEnabled()
    assert not dialog.hint.isVisible()


def ready_beside(qtbot, controller, existing, content: bytes):
    """A survivor-copy dialog with its password given, and a file already at ``existing``."""
    dialog = open_survivor_copy(qtbot, controller)
    existing.write_bytes(content)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.confirm, PASSWORD)
    return dialog


def test_a_typed_name_never_replaces_an_existing_file(qtbot, unlocked, tmp_path):
    existing = tmp_path / "keep.pdf"
    dialog = ready_beside(qtbot, unlocked, existing, b"someone else's file")
    dialog.path.setText(str(existing))
    click(qtbot, dialog.export_button)
    assert existing.read_bytes() == b"someone else's file"
    assert "already there" in dialog.message.text()
    # a new name works
    fresh = tmp_path / "copy.pdf"
    dialog.path.setText(str(fresh))
    with qtbot.waitSignal(dialog.exported, timeout=10_000):
        click(qtbot, dialog.export_button)
    assert fresh.exists() and fresh.read_bytes().startswith(b"%PDF")


def test_replacing_a_file_chosen_in_the_save_dialog_is_allowed(qtbot, unlocked, tmp_path):
    existing = tmp_path / "old-copy.pdf"
    dialog = ready_beside(qtbot, unlocked, existing, b"an older copy")
    click(qtbot, dialog.choose)
    chooser = dialog._file_dialog
    qtbot.waitUntil(lambda: chooser.isVisible())
    chooser.fileSelected.emit(str(existing))  # the save dialog asked "Replace?" and was told yes
    chooser.close()
    assert dialog.path.text() == str(existing)
    with qtbot.waitSignal(dialog.exported, timeout=10_000):
        click(qtbot, dialog.export_button)
    assert existing.read_bytes().startswith(b"%PDF")


def open_export(qtbot, controller, destination: str = ""):
    page = open_case(qtbot, controller)
    dialog = controller.window.open_export(destination)
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    return page, dialog


def test_the_suggested_name_follows_the_case_and_the_destination(qtbot, unlocked):
    page, dialog = open_export(qtbot, unlocked, "nrm")
    ref = page.session.reference
    assert Path(dialog.path.text()).name == f"{ref}-nrm.pdf"
    dialog.destination.setCurrentIndex(dialog.destination.findData("dtn"))
    assert Path(dialog.path.text()).name == f"{ref}-dtn.pdf"
    dialog.path.setText(str(Path.home() / "my-own-name.pdf"))  # the worker's choice stays
    dialog.destination.setCurrentIndex(dialog.destination.findData("nrm"))
    assert Path(dialog.path.text()).name == "my-own-name.pdf"


def test_a_message_about_one_file_or_destination_does_not_linger(qtbot, unlocked, tmp_path):
    existing = tmp_path / "there.pdf"
    existing.write_bytes(b"x")
    _page, dialog = open_export(qtbot, unlocked, "case-record")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.confirm, PASSWORD)
    dialog.path.setText(str(existing))
    click(qtbot, dialog.export_button)
    assert "already there" in dialog.message.text()
    qtbot.keyClicks(dialog.path, "x")  # typing another name clears it
    assert dialog.message.text() == ""
    dialog.path.setText(str(existing))
    click(qtbot, dialog.export_button)
    assert "already there" in dialog.message.text()
    dialog.destination.setCurrentIndex(dialog.destination.findData("nrm"))
    assert dialog.message.text() == ""


def test_an_empty_services_directory_says_how_to_add_services(qtbot, unlocked):
    _page, dialog = open_export(qtbot, unlocked, "legal")
    assert dialog.service.count() == 1  # "Choose a service…" alone: nothing fictional
    assert dialog.no_services.isVisible()
    assert "services.toml" in dialog.no_services.text()
    dialog.destination.setCurrentIndex(dialog.destination.findData("child-safeguarding"))
    assert not dialog.service.isVisible()  # addressed to the case's local authority
    assert not dialog.no_services.isVisible()
