"""A supervisor in the GUI against a real hub: a worker pushes, the supervisor enrols through
Settings › Sync with a supervisor's code, Sync now pulls the case ("For review"), the review
dialog shows the record read-only and signs it off with a note, and the worker's case list
and case show it; the supervisor exports an NRM pack from the pulled copy; a revoked laptop's
sync stops and says why."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from firstcontact.app.workspace import Workspace
from firstcontact.ui import sync_control
from firstcontact.ui.main_window import MainWindow
from tests.cli.test_cli_packs import ADULT, CANARY, fill
from tests.conftest import PASSPHRASE
from tests.hub.support import ORG_PASSPHRASE, Hub, serving
from tests.hub.test_supervisors import hub_cli
from tests.ui.helpers import click
from tests.ui.test_mnemonics import clashes
from tests.ui.test_sync_ui import enrol_through_settings

PDF_PASSWORD = "a fine pdf password"
PROFILE = {"first_name": "Sam", "last_name": "Reyes", "role": "Supervisor",
           "phone": "+44 20 7946 0000", "email": "sam@example.org",
           "organisation": "The Salvation Army", "nation": "england",
           "public_authority": "local-authority"}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with serving(tmp_path_factory.mktemp("hub")) as running:
        yield running


@pytest.fixture(autouse=True)
def no_surprise_auto_sync(monkeypatch):
    monkeypatch.setattr(sync_control, "FIRST_AUTO_SYNC_MS", 3_600_000)
    monkeypatch.setattr(sync_control, "AUTO_SYNC_MS", 3_600_000)


@pytest.fixture
def worker(tmp_path: Path, hub: Hub) -> Iterator[tuple[Workspace, str]]:
    """A worker's laptop (its own data directory) with an NRM-ready case pushed to the hub."""
    data_dir = tmp_path / "worker"
    data_dir.mkdir(mode=0o700)
    Workspace.create(data_dir, PASSPHRASE).close()
    ref = fill(data_dir, ADULT, {"nrm": "given"})
    ws = Workspace.unlock(data_dir, PASSPHRASE)
    ws.sync.accept(ws.sync.enrol(hub.url, hub.issue_code()))
    assert ws.sync.push(retries=2).summary.pushed == 1
    try:
        yield ws, ref
    finally:
        ws.close()


def supervisor_code(hub: Hub) -> str:
    os.environ["FIRSTCONTACT_ORG_PASSPHRASE"] = ORG_PASSPHRASE
    try:
        code, out, err = hub_cli(hub, "enrol", "--worker", "Sam Supervisor", "--role",
                                 "supervisor", "--org-key", str(hub.org_key_path))
    finally:
        del os.environ["FIRSTCONTACT_ORG_PASSPHRASE"]
    assert code == 0, err
    return out.strip().splitlines()[-1]


def cell(window, reference: str, key: str) -> str:
    model = window.cases.model
    row = model.row_of(window.ws.queries.find(reference).id)
    return str(model.index(row, model.column_of(key)).data())


def sync_now(qtbot, window) -> None:
    qtbot.waitUntil(window.sync.button.isVisible)
    with qtbot.waitSignal(window.sync.finished, timeout=60_000):
        click(qtbot, window.sync.button)


def test_worker_pushes_supervisor_pulls_signs_off_the_worker_sees_it_and_exports(
        qtbot, unlocked, hub: Hub, worker, tmp_path: Path) -> None:
    worker_ws, ref = worker
    window = unlocked.window
    dialog, page = enrol_through_settings(qtbot, window, hub.url, supervisor_code(hub))
    with qtbot.waitSignal(dialog.sync_changed):
        click(qtbot, page.accept_button)
    dialog.close()

    sync_now(qtbot, window)
    assert "1 case revision pulled" in window.sync_label.text()
    cases = window.cases
    cases.status_filter.setCurrentIndex(cases.status_filter.findData("for-review"))
    assert cases.model.rowCount() == 1
    assert cell(window, ref, "review") == "for review"

    # The review dialog: the worker's record, read-only, then a sign-off with a note.
    revision_before = window.ws.queries.find(ref).revision
    window.open_case(ref)
    review = window.dialog
    qtbot.waitUntil(lambda: review is not None and review.isVisible())
    assert CANARY in review.record.toPlainText()
    assert review.record.isReadOnly() and not review.conflict.isVisible()
    assert "Test Worker" in review.state.text()
    assert clashes(review) == {}  # every Alt letter acts
    qtbot.keyClicks(review.note, "Well documented, thank you")
    with qtbot.waitSignal(review.changed, timeout=30_000):
        click(qtbot, review.sign_off_button)
    assert "signed off by Sam Supervisor" in review.message.text()
    assert "Well documented, thank you" in review.reviews.toPlainText()
    assert cases.model.rowCount() == 0  # no longer waiting for review

    # The same interview screens, read-only.
    click(qtbot, review.interview_button)
    page = window.interview
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page and page.form is not None)
    assert "read-only" in page.case_label.text()
    assert not page.skip_button.isVisible() and not page.notes.add_button.isVisible()
    name_step = next(st.id for st in window.ws.checklist.steps
                     if any(f.id == "pv-name-first-name" for f in st.fields))
    page.go_to_step(name_step)
    qtbot.waitUntil(lambda: page.current_step == name_step)
    assert not page.form.isEnabled()
    assert page.form.rows["pv-name-first-name"].editor.focus_target().text() == CANARY
    click(qtbot, page.next_button)  # moving through the steps writes nothing
    qtbot.waitUntil(lambda: page.current_step != name_step)
    click(qtbot, page.pause_button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.cases)
    assert window.ws.queries.find(ref).revision == revision_before
    window.open_case(ref)
    review = window.dialog
    qtbot.waitUntil(lambda: review is not None and review.isVisible())

    # Export an NRM pack from the pulled copy, with the supervisor's own details.
    window.ws.settings.set_profile(**PROFILE)
    click(qtbot, review.export_button)
    export = window.dialog
    qtbot.waitUntil(lambda: export is not None and export is not review and export.isVisible())
    export.destination.setCurrentIndex(export.destination.findData("nrm"))
    qtbot.keyClicks(export.password, PDF_PASSWORD)
    qtbot.keyClicks(export.confirm, PDF_PASSWORD)
    out = tmp_path / "nrm.pdf"
    export.path.setText(str(out))
    with qtbot.waitSignal(export.exported, timeout=30_000):
        click(qtbot, export.export_button)
    from pypdf import PdfReader

    reader = PdfReader(str(out))
    assert reader.decrypt(PDF_PASSWORD)
    assert CANARY in "".join(p.extract_text() or "" for p in reader.pages)
    export.close()

    sync_now(qtbot, window)  # the sign-off and the export report go to the hub

    # The worker's next sync brings both: the case list's badge and the case's reviews.
    assert worker_ws.sync.push(retries=2).records == 2
    worker_window = MainWindow(worker_ws)
    qtbot.addWidget(worker_window)
    worker_window._show_sync()
    assert not worker_window.cases.table.isColumnHidden(
        worker_window.cases.model.column_of("review"))
    assert cell(worker_window, ref, "review") == "signed off"
    words = [r.words for r in worker_ws.queries.detail(ref).reviews]
    assert any(w.startswith("signed off by Sam Supervisor") for w in words)
    assert any(w.startswith("exported by supervisor on ") for w in words)
    worker_window.open_case(ref)  # the case's Notes tab says it too
    notes = worker_window.interview.notes.list
    texts = [notes.item(i).text() for i in range(notes.count())]
    assert any("Supervisor: signed off by Sam Supervisor" in t
               and "Well documented, thank you" in t for t in texts)
    assert any("Supervisor: exported by supervisor on " in t for t in texts)
    worker_window.interview.close_case()
    worker_window.sync.stop()


def test_a_revoked_laptop_stops_syncing_and_says_why(qtbot, unlocked, hub: Hub) -> None:
    window = unlocked.window
    dialog, page = enrol_through_settings(qtbot, window, hub.url, hub.issue_code())
    with qtbot.waitSignal(dialog.sync_changed):
        click(qtbot, page.accept_button)
    dialog.close()
    device = unlocked.ws.sync.status().device_id
    assert hub_cli(hub, "revoke", device)[0] == 0
    sync_now(qtbot, window)
    assert "revoked this laptop" in window.sync_label.text()
    assert not window.sync.button.isEnabled() and not window.sync.timer.isActive()
    assert window.sync.sync_now() is None  # neither the button nor the timer tries again
    dialog = window.open_settings(sync=True)
    qtbot.waitUntil(lambda: dialog.sync_page.isVisible())
    assert "revoked this laptop" in dialog.sync_page.state.text()
    dialog.close()


def test_a_wipe_order_erases_the_store_and_says_why_on_the_first_screen(
        qtbot, unlocked, hub: Hub) -> None:
    window = unlocked.window
    dialog, page = enrol_through_settings(qtbot, window, hub.url, hub.issue_code())
    with qtbot.waitSignal(dialog.sync_changed):
        click(qtbot, page.accept_button)
    dialog.close()
    unlocked.ws.cases.new()
    device = unlocked.ws.sync.status().device_id
    assert hub_cli(hub, "revoke", device, "--wipe")[0] == 0
    qtbot.waitUntil(window.sync.button.isVisible)
    with qtbot.waitSignal(window.sync.wiped_by_hub, timeout=60_000):
        click(qtbot, window.sync.button)
    qtbot.waitUntil(lambda: unlocked.gate is not None and unlocked.gate.isVisible())
    assert unlocked.ws is None and unlocked.window is None
    assert not Workspace.exists(unlocked.data_dir)
    assert "erased" in unlocked.gate.message.text()


def test_the_supervisor_hands_a_case_over_from_its_review(qtbot, unlocked, hub: Hub,
                                                          worker) -> None:
    from tests.hub.support import enrol_device
    from tests.hub.test_supervisors import audit_actions

    _worker_ws, ref = worker
    other = enrol_device(hub)  # another worker's laptop
    window = unlocked.window
    dialog, page = enrol_through_settings(qtbot, window, hub.url, supervisor_code(hub))
    with qtbot.waitSignal(dialog.sync_changed):
        click(qtbot, page.accept_button)
    dialog.close()
    sync_now(qtbot, window)
    window.open_case(ref)
    review = window.dialog
    qtbot.waitUntil(lambda: review is not None and review.isVisible())
    assert not review.handover_to.isVisible()
    click(qtbot, review.handover_button)
    qtbot.waitUntil(review.handover_confirm.isVisible, timeout=30_000)
    review.handover_to.setCurrentIndex(review.handover_to.findData(other.device_id))
    assert review.handover_to.currentIndex() >= 0
    qtbot.keyClicks(review.note, "Ana is on leave")
    with qtbot.waitSignal(review.changed, timeout=30_000):
        click(qtbot, review.handover_confirm)
    assert "handed over to Test Worker" in review.message.text()
    moved = [d for a, d in audit_actions(hub) if a == "case-handed-over"]
    assert moved and moved[-1]["to_device"] == other.device_id
