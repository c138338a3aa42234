"""Issue 18, findings 3 and 4: restore only into a directory without any store file (a stale
WAL would be replayed into the restored database); an interrupted restore is finished or
cleared at the next open, and ``wipe`` removes everything the store made in the directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from firstcontact.store.errors import StoreError, StoreExists
from firstcontact.store.facade import Store
from firstcontact.store.lifecycle import backup, restore, wipe
from firstcontact.store.records import SummaryUpdate
from tests.conftest import PASSPHRASE
from tests.store.test_key_rotation import note_texts

WORKER = Path(__file__).with_name("restore_worker.py")
SUMMARY = SummaryUpdate(stage_reached=None)


@pytest.fixture
def backup_file(tmp_path):
    source = tmp_path / "source"
    s = Store.create(source, PASSPHRASE)
    case = s.create_case()
    s.add_note(case.id, "note", "in the backup", None, SUMMARY)
    out = backup(s, tmp_path / "b.fcb")
    s.close()
    return out, case.id


def notes(data_dir, case_id):
    return note_texts(data_dir, case_id, PASSPHRASE)


def test_restore_refuses_a_folder_holding_an_old_wal(backup_file, tmp_path):
    out, case_id = backup_file
    target = tmp_path / "target"
    other = Store.create(target, "another store's passphrase")  # a store once lived here
    other.create_case()
    wal = (target / "cases.db-wal").read_bytes()
    other.close()
    for name in ("cases.db", "keys.json", "cases.lock"):
        (target / name).unlink()
    (target / "cases.db-wal").write_bytes(wal or b"\0" * 4096)  # its WAL was left behind
    with pytest.raises(StoreExists) as refused:
        restore(out, target, passphrase=PASSPHRASE)
    assert "cases.db-wal" in refused.value.message
    assert sorted(p.name for p in target.iterdir()) == ["cases.db-wal"]  # nothing written
    (target / "cases.db-wal").unlink()
    restore(out, target, passphrase=PASSPHRASE)
    assert notes(target, case_id) == ["in the backup"]


@pytest.mark.parametrize("leftover", ["cases.db-shm", "cases.db-journal", "unlock-attempts.json",
                                      "cases.lock", ".keys.json.k2j4l1.tmp", ".restore-1a2b3c/"])
def test_restore_refuses_any_store_file_or_leftover(backup_file, tmp_path, leftover):
    target = tmp_path / "target"
    target.mkdir()
    if leftover.endswith("/"):
        (target / leftover).mkdir()
    else:
        (target / leftover).write_bytes(b"x")
    (target / "services.toml").write_text("# the organisation's own file: not a store file\n")
    with pytest.raises(StoreExists) as refused:
        restore(backup_file[0], target, passphrase=PASSPHRASE)
    assert leftover.rstrip("/") in refused.value.message
    assert "services.toml" not in refused.value.message


def killed_restore(out, target, renames_before_kill):
    done = subprocess.run([sys.executable, str(WORKER), str(out), str(target), PASSPHRASE,
                           str(renames_before_kill)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 9, done.stdout + done.stderr


def test_a_restore_killed_before_installing_leaves_nothing_the_wipe_misses(backup_file,
                                                                           tmp_path):
    out, _case_id = backup_file
    target = tmp_path / "target"
    killed_restore(out, target, 0)
    (staging,) = target.iterdir()
    assert staging.name.startswith(".restore-")
    assert {p.name for p in staging.iterdir()} >= {"cases.db", "keys.json"}
    with pytest.raises(StoreExists):  # not a clean directory
        restore(out, target, passphrase=PASSPHRASE)
    wipe(target)
    assert list(target.iterdir()) == []  # the staged key file and database are gone too
    with pytest.raises(StoreError):
        Store.unlock(target, PASSPHRASE)


def test_a_restore_killed_between_its_renames_is_finished_at_the_next_open(backup_file,
                                                                           tmp_path):
    out, case_id = backup_file
    target = tmp_path / "target"
    killed_restore(out, target, 1)  # the database is in place, the key file still staged
    assert (target / "cases.db").exists() and not (target / "keys.json").exists()
    assert notes(target, case_id) == ["in the backup"]
    assert not any(p.name.startswith(".restore-") for p in target.iterdir())


def test_the_next_open_clears_leftovers_and_wipe_removes_everything(tmp_path):
    data = tmp_path / "data"
    Store.create(data, PASSPHRASE).close()
    (data / ".keys.json.a1b2c3.tmp").write_bytes(b'{"passphrase": "a stale copy"}')
    (data / ".restore-dead01").mkdir()
    (data / ".restore-dead01" / "keys.json").write_bytes(b"{}")
    (data / "services.toml").write_text("# the organisation's own\n")
    Store.unlock(data, PASSPHRASE).close()
    assert sorted(p.name for p in data.iterdir()) == [
        "cases.db", "cases.lock", "keys.json", "services.toml"]
    (data / ".keys.json.d4e5f6.tmp").write_bytes(b"a temporary key file")
    (data / ".restore-dead02").mkdir()
    (data / ".restore-dead02" / "cases.db").write_bytes(b"staged")
    wipe(data)
    assert sorted(p.name for p in data.iterdir()) == ["services.toml"]




