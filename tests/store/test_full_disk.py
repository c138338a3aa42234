"""Issue 18, findings 1 and 2: a real full file system (a small tmpfs), not a file-size limit.

A full disk must never make a healthy store look damaged (the WAL holds committed pages when
the checkpoint at close had no room), and a store on a full disk still opens for reading and
backup; a change fails plainly, and nothing acknowledged is lost once space is freed.
"""

from __future__ import annotations

import pytest

from firstcontact.cli.main import main
from firstcontact.store.errors import DiskFull
from firstcontact.store.facade import Store
from firstcontact.store.lifecycle import backup, restore
from firstcontact.store.records import SummaryUpdate
from tests.conftest import PASSPHRASE
from tests.filesystems import fill, tmpfs

SUMMARY = SummaryUpdate(stage_reached=None)


@pytest.fixture
def cli(monkeypatch, capsys):
    monkeypatch.setenv("FIRSTCONTACT_PASSPHRASE", PASSPHRASE)

    def run(data_dir, *argv):
        code = main(["--data-dir", str(data_dir), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def notes_until_the_disk_is_full(data_dir, case_id) -> list[str]:
    """Add notes until a write fails; returns the acknowledged ones, in order."""
    store = Store.unlock(data_dir, PASSPHRASE)
    acknowledged: list[str] = []

    def write_until_refused() -> None:
        for i in range(10_000):
            text = f"acknowledged note {i} " + "x" * 3000
            store.add_note(case_id, "note", text, None, SUMMARY)
            acknowledged.append(text)

    try:
        with pytest.raises(DiskFull, match="disk is full"):
            write_until_refused()
    finally:
        store.close()  # the checkpoint at close has no room: the WAL keeps committed pages
    assert len(acknowledged) > 10
    return acknowledged


def stored_notes(data_dir, case_id) -> list[str]:
    store = Store.unlock(data_dir, PASSPHRASE)
    try:
        assert store.integrity_check() == ("ok", "ok")
        assert store.verify_audit().intact
        return [n.text for n in store.load_case(case_id).notes]
    finally:
        store.close()


def test_on_a_full_tmpfs_list_show_and_backup_work_and_no_acknowledged_note_is_lost(
        tmp_path, cli):
    with tmpfs(tmp_path / "mnt", "6m") as point:
        data = point / "data"
        assert cli(data, "init")[0] == 0
        ref = cli(data, "case", "new")[1].strip()
        opened = Store.unlock(data, PASSPHRASE)
        case_id = opened.get_case(ref).id
        opened.close()
        ballast = point / "ballast"  # what the worker deletes later to make room
        ballast.write_bytes(b"\0" * 1024 * 1024)
        acknowledged = notes_until_the_disk_is_full(data, case_id)
        assert (data / "cases.db-wal").stat().st_size > 0  # committed pages wait in the WAL
        filler = fill(point)

        code, out, err = cli(data, "case", "list")
        assert code == 0, err
        assert ref in out
        code, out, err = cli(data, "case", "show", ref)
        assert code == 0, err
        assert acknowledged[-1][:30] in out
        assert "damaged" not in err and "restore" not in err
        code, out, err = cli(data, "case", "export", ref)
        assert code == 0, err
        assert acknowledged[0] in out
        elsewhere = tmp_path / "backups"
        elsewhere.mkdir()
        code, _out, err = cli(data, "backup", "--out", str(elsewhere / "full.fcb"))
        assert code == 0, err
        assert "audit event" in err  # the events it could not write are said, not hidden

        code, _out, err = cli(data, "case", "note", ref, "typed while the disk is full")
        assert code == 1
        assert err.count("\n") == 1 and "disk is full" in err and "intact" in err

        filler.unlink()
        ballast.unlink()  # space freed: everything acknowledged is there
        assert stored_notes(data, case_id) == acknowledged
        code, _out, err = cli(data, "case", "note", ref, "after freeing space")
        assert code == 0, err
    restore(elsewhere / "full.fcb", tmp_path / "restored", passphrase=PASSPHRASE)
    assert stored_notes(tmp_path / "restored", case_id) == acknowledged


def test_a_store_closed_cleanly_opens_on_a_full_disk_and_queues_its_audit(tmp_path):
    with tmpfs(tmp_path / "mnt", "6m") as point:
        data = point / "data"
        store = Store.create(data, PASSPHRASE)
        case = store.create_case()
        store.add_note(case.id, "note", "written before the disk filled", None, SUMMARY)
        store.close()
        assert not (data / "cases.db-shm").exists()  # no shared-memory file to reuse
        filler = fill(point)

        store = Store.unlock(data, PASSPHRASE)  # no room for cases.db-shm: opened alone
        try:
            assert store.disk_full
            assert [n.text for n in store.load_case(case.id, audit=True).notes] == [
                "written before the disk filled"]
            backup(store, tmp_path / "b.fcb")
            with pytest.raises(DiskFull):
                store.add_note(case.id, "note", "not saved", None, SUMMARY)
            filler.unlink()
            store.add_note(case.id, "note", "saved once there is room", None, SUMMARY)
            events = [e.event for e in store.audit_events()]
            # the unlock, the opening and the backup waited, and went in before the note
            assert events[-4:] == ["unlocked", "opened", "backup-written", "note-added"]
            assert store.verify_audit().intact
            assert not store.disk_full
        finally:
            store.close()
        assert store.unwritten_audit == 0


def test_audit_events_that_never_found_room_are_counted_at_close(tmp_path):
    with tmpfs(tmp_path / "mnt", "6m") as point:
        data = point / "data"
        Store.create(data, PASSPHRASE).close()
        fill(point)
        store = Store.unlock(data, PASSPHRASE)
        store.close()
        assert store.unwritten_audit == 1  # "unlocked"
