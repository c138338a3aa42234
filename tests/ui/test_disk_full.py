"""Issue 18: on a real full disk (a small tmpfs) the app keeps what was typed, says plainly that
the disk is full, and saves it once space is freed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.filesystems import fill, tmpfs
from tests.ui.test_interview_ui import find_field, open_new_case


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    with tmpfs(tmp_path / "mnt", "6m") as point:
        home = point / "home"
        home.mkdir(mode=0o700)
        monkeypatch.setenv("FIRSTCONTACT_HOME", str(home))
        yield home


def test_typing_on_a_full_disk_stays_on_screen_and_is_saved_once_there_is_room(
        qtbot, unlocked, data_dir):
    page = open_new_case(qtbot, unlocked)
    step_id, field = find_field(page, "longtext")
    page.go_to_step(step_id)
    edit = page.form.rows[field.id].editor.focus_target()
    ballast = data_dir.parent / "ballast"
    ballast.write_bytes(b"\0" * 2 * 1024 * 1024)  # what the worker deletes to make room
    raw = page.ws._ctx.store.engine.raw_connection()  # an empty WAL: a write needs new space
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    filler = fill(data_dir.parent)
    edit.setFocus()
    typed = "Typed while the disk is full " + "w" * 20_000
    edit.setPlainText(typed)
    page.flush()
    assert page.indicator.state == "failed"
    assert "disk is full" in page.indicator.text()
    assert edit.toPlainText() == typed  # nothing typed is lost
    filler.unlink()
    ballast.unlink()
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(edit, ".")
    page.flush()
    assert page.indicator.state == "saved"
    stored = page.ws.queries.state(page.session.case_id).answers[field.id]
    assert stored == typed + "."
    assert os.path.exists(data_dir / "cases.db")
