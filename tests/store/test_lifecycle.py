"""Issue: data lifecycle — recovery key, backup and restore, erasure, retention, wipe."""

import json
import threading
import time

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from firstcontact.app.workspace import Workspace
from firstcontact.cli.main import main
from firstcontact.store.errors import StoreError, StoreExists, WrongPassphrase
from firstcontact.store.facade import Store
from firstcontact.store.lifecycle import backup, recover, restore, wipe
from firstcontact.store.records import SummaryUpdate
from firstcontact.store.recovery import RecoveryKeyError, create_key_pair
from tests.conftest import PASSPHRASE

CANARY = "CANARY-Lifecycle-K9 W1A 1AA"
SUMMARY = SummaryUpdate(stage_reached=None)


@pytest.fixture(scope="module")
def org_keys(tmp_path_factory):
    return create_key_pair(tmp_path_factory.mktemp("org"))


def test_recovery_round_trip(data_dir, org_keys):
    public, private = org_keys
    s = Store.create(data_dir, PASSPHRASE, public)
    case = s.create_case()
    s.add_note(case.id, "note", CANARY, None, SUMMARY)
    assert s.has_recovery_key()
    s.close()
    recover(data_dir, private, "a new passphrase after forgetting")
    with pytest.raises(WrongPassphrase):
        Store.unlock(data_dir, PASSPHRASE)
    s = Store.unlock(data_dir, "a new passphrase after forgetting")
    assert s.load_case(case.id).notes[0].text == CANARY
    assert "recovered" in [e.event for e in s.audit_events()]
    s.close()


def test_recovery_with_the_wrong_key_or_without_a_slot(data_dir, org_keys, tmp_path):
    _public, other_private = create_key_pair(tmp_path / "other")
    Store.create(data_dir, PASSPHRASE, org_keys[0]).close()
    with pytest.raises(RecoveryKeyError):
        recover(data_dir, other_private, "whatever new passphrase")
    with pytest.raises(RecoveryKeyError):
        create_key_pair(tmp_path / "other")  # never overwrites a key pair


def test_backup_during_writes_restores_consistent(data_dir, tmp_path):
    s = Store.create(data_dir, PASSPHRASE)
    case = s.create_case()
    s.add_note(case.id, "note", CANARY, None, SUMMARY)
    writer = Store.unlock(data_dir, PASSPHRASE)  # a second user of the store, like the GUI
    stop = threading.Event()

    def write() -> None:
        # an autosave far busier than the GUI's (one per typing pause): SQLite's lock is not
        # fair, so a writer that never pauses would starve the backup's own audit write
        i = 0
        while not stop.wait(0.01):
            writer.save_answer(case.id, f"fc-x{i % 20}", json.dumps(i), SUMMARY)
            i += 1

    thread = threading.Thread(target=write)
    thread.start()
    try:
        time.sleep(0.05)  # let writes be under way; the assertion does not depend on timing
        out = backup(s, tmp_path / "backup.fcb")
    finally:
        stop.set()
        thread.join()
    writer.close()
    s.close()
    raw = out.read_bytes()
    assert CANARY.encode() not in raw
    target = tmp_path / "restored"
    with pytest.raises(WrongPassphrase):
        restore(out, target, passphrase="wrong")
    assert not (target / "cases.db").exists()
    restore(out, target, passphrase=PASSPHRASE)
    r = Store.unlock(target, PASSPHRASE)
    assert r.integrity_check() == ("ok", "ok")
    assert r.load_case(case.id).notes[0].text == CANARY
    r.close()
    with pytest.raises(StoreExists):
        restore(out, target, passphrase=PASSPHRASE)


def test_restore_with_recovery_key_sets_a_new_passphrase(data_dir, org_keys, tmp_path):
    s = Store.create(data_dir, PASSPHRASE, org_keys[0])
    out = backup(s, tmp_path / "b.fcb")
    s.close()
    restore(out, tmp_path / "r", private_key=org_keys[1], new_passphrase="brand new passphrase")
    Store.unlock(tmp_path / "r", "brand new passphrase").close()


def test_not_a_backup_is_refused(tmp_path):
    bogus = tmp_path / "x.fcb"
    bogus.write_bytes(b"hello")
    with pytest.raises(StoreError):
        restore(bogus, tmp_path / "r", passphrase=PASSPHRASE)


def decrypted_pages(raw: bytes, key: bytes, page: int = 4096) -> bytes:
    """Every page of a SQLCipher 4 file decrypted (AES-256-CBC, raw key; per-page IV in the
    reserved area), free pages included — what is really on disk, not what SQL can see."""
    out = []
    for n in range(len(raw) // page):
        chunk = raw[n * page:(n + 1) * page]
        start = 16 if n == 0 else 0  # page 1 begins with the salt
        iv = chunk[page - 80:page - 64]
        dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        out.append(chunk[:start] + dec.update(chunk[start:page - 80]) + dec.finalize())
    return b"".join(out)


def test_deleted_case_leaves_no_trace(data_dir):
    s = Store.create(data_dir, PASSPHRASE)
    keep = s.create_case()
    gone = s.create_case()
    for i in range(50):
        s.save_answer(gone.id, f"fc-{i}", json.dumps(f"{CANARY} {i} " + "z" * 300), SUMMARY)
    s.add_note(gone.id, "note", CANARY, None, SUMMARY)
    s.save_answer(keep.id, "fc-keep", json.dumps("kept"), SUMMARY)
    s.delete_case(gone.id)
    # decrypted pages: read every page of the database through SQLCipher
    key = bytes(s._key)
    s.close()
    pages = decrypted_pages((data_dir / "cases.db").read_bytes(), key)
    assert pages[16:18] == b"\x10\x00"  # really decrypted: SQLite's page size field
    assert b"kept" in pages  # the other case is still readable in the decrypted pages
    assert CANARY.encode() not in pages
    for path in data_dir.iterdir():
        assert CANARY.encode() not in path.read_bytes()
    s = Store.unlock(data_dir, PASSPHRASE)
    events = [(e.event, e.case_id, e.detail) for e in s.audit_events(gone.id)]
    assert events[-1] == ("deleted", gone.id, None)
    assert [r.case_id for r in s.list_summaries()] == [keep.id]
    with s.engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM sync_envelopes WHERE case_id = ?",
                                 (gone.id,)).scalar_one() == 0
    s.close()


def test_retention_purges_only_old_closed_cases(data_dir):
    ws = Workspace.create(data_dir, PASSPHRASE)
    old, recent, open_case = ws.cases.new(), ws.cases.new(), ws.cases.new()
    ws.cases.set_status(old.reference, "closed")
    ws.cases.set_status(recent.reference, "closed")
    with ws._ctx.store.engine.begin() as c:  # back-date two cases (test only)
        c.exec_driver_sql("UPDATE cases SET updated_at = '2020-01-01T00:00:00.000000Z' "
                          "WHERE id IN (?, ?)", (old.id, open_case.id))
    assert ws.settings.retention_days() is None
    assert ws.settings.apply_retention().erased == 0  # off by default
    ws.settings.set_retention_days(30)
    ws.close()
    ws = Workspace.unlock(data_dir, PASSPHRASE)  # applied at unlock
    remaining = {r.reference for r in ws.queries.list_cases()}
    assert remaining == {recent.reference, open_case.reference}
    assert any(e.event == "deleted" and e.detail == "reason=retention"
               for e in ws.queries.audit_events())
    ws.close()


def test_wipe_destroys_keys_first_and_is_fast(data_dir, org_keys, capsys):
    s = Store.create(data_dir, PASSPHRASE, org_keys[0])
    s.create_case()
    s.close()
    elapsed = wipe(data_dir)
    assert elapsed < 2
    assert not Store.exists(data_dir)
    assert list(data_dir.iterdir()) == []
    with pytest.raises(StoreError):
        Store.unlock(data_dir, PASSPHRASE)
    with pytest.raises(StoreError):
        recover(data_dir, org_keys[1], "new passphrase here")


def test_wipe_and_delete_from_the_cli(data_dir, monkeypatch, capsys):
    monkeypatch.setenv("FIRSTCONTACT_PASSPHRASE", PASSPHRASE)
    base = ["--data-dir", str(data_dir)]
    assert main([*base, "init"]) == 0
    assert main([*base, "case", "new"]) == 0
    ref = capsys.readouterr().out.strip().splitlines()[-1]
    assert main([*base, "case", "delete", ref]) == 1  # no terminal, no --yes
    assert main([*base, "case", "delete", ref, "--yes"]) == 0
    assert main([*base, "case", "show", ref]) == 1
    assert main([*base, "wipe"]) == 1
    assert Store.exists(data_dir)
    assert main([*base, "wipe", "--yes"]) == 0
    assert not Store.exists(data_dir)
    assert main([*base, "case", "list"]) == 1
