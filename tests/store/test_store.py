"""The encrypted store: key wrapping, wrong keys and damaged files, permissions, audit,
revisions, migrations, passphrase change (brief §4, §5 items 1 and 2)."""

import hashlib
import json
import os
import stat
import tempfile

import pytest
from sqlalchemy import create_engine

from firstcontact.domain.case import ConsentRecord, SkipRecord
from firstcontact.store import migrate
from firstcontact.store.audit_chain import check_rows
from firstcontact.store.db import open_engine, probe
from firstcontact.store.errors import (
    InvalidValue,
    KeyFileDamaged,
    NoStore,
    StoreDamaged,
    StoreExists,
    TooManyAttempts,
    WrongPassphrase,
)
from firstcontact.store.facade import Store
from firstcontact.store.keys import KdfParams, read_key_file, unwrap
from firstcontact.store.records import SummaryUpdate
from tests.conftest import PASSPHRASE

SUMMARY = SummaryUpdate(stage_reached="safety", completeness={"nrm": "incomplete"})
CANARY = "CANARY-Zq81 SW1A 2AA"


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files(data_dir):
    return {p.name: digest(p) for p in data_dir.iterdir() if p.name != "unlock-attempts.json"}


@pytest.fixture
def store(data_dir):
    s = Store.create(data_dir, PASSPHRASE)
    yield s
    s.close()


def test_create_unlock_round_trip(data_dir):
    s = Store.create(data_dir, PASSPHRASE)
    case = s.create_case()
    s.save_answer(case.id, "pv-under-age", '"no"', SUMMARY)
    s.close()
    assert not s.is_open
    again = Store.unlock(data_dir, PASSPHRASE)
    assert again.load_case(case.id).answers["pv-under-age"].value_json == '"no"'
    assert again.get_case(case.reference.lower()).id == case.id
    again.close()


def test_create_refuses_an_existing_store(store, data_dir):
    before = files(data_dir)
    with pytest.raises(StoreExists):
        Store.create(data_dir, "another passphrase")
    assert files(data_dir) == before


def test_unlock_without_store(tmp_path):
    with pytest.raises(NoStore):
        Store.unlock(tmp_path / "nothing", PASSPHRASE)
    assert not (tmp_path / "nothing").exists()


def test_wrong_passphrase_leaves_files_byte_identical_and_is_slowed(store, data_dir):
    store.close()
    before = files(data_dir)
    clock = [1000.0]
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            Store.unlock(data_dir, "wrong", clock=lambda: clock[0])
    assert files(data_dir) == before
    with pytest.raises(TooManyAttempts) as info:  # even the right one must wait now
        Store.unlock(data_dir, PASSPHRASE, clock=lambda: clock[0])
    assert info.value.wait_seconds > 0
    clock[0] += info.value.wait_seconds + 0.01
    s = Store.unlock(data_dir, PASSPHRASE, clock=lambda: clock[0])
    events = [(e.event, e.detail) for e in s.audit_events()]
    assert ("unlock-failed", "count=3") in events
    assert events[-1][0] == "unlocked"
    s.close()
    assert not (data_dir / "unlock-attempts.json").exists()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "version", "missing"])
def test_damaged_key_file_is_a_clean_error_and_nothing_changes(store, data_dir, damage):
    store.close()
    key_file = data_dir / "keys.json"
    if damage == "truncate":
        key_file.write_bytes(key_file.read_bytes()[:40])
    elif damage == "garbage":
        key_file.write_bytes(os.urandom(300))
    elif damage == "version":
        doc = json.loads(key_file.read_text())
        doc["version"] = 99
        key_file.write_text(json.dumps(doc))
    else:
        key_file.unlink()
    before = files(data_dir)
    with pytest.raises(KeyFileDamaged) as info:
        Store.unlock(data_dir, PASSPHRASE)
    assert "backup" in info.value.message or "version" in info.value.message
    assert files(data_dir) == before


@pytest.mark.parametrize("damage", ["middle", "truncate", "header"])
def test_corrupt_database_is_refused_never_replaced(store, data_dir, damage):
    case = store.create_case()
    store.save_answer(case.id, "fc-note", json.dumps("x" * 20000), SUMMARY)
    store.close()
    db = data_dir / "cases.db"
    for extra in ("cases.db-wal", "cases.db-shm"):
        (data_dir / extra).unlink(missing_ok=True)
    raw = bytearray(db.read_bytes())
    if damage == "middle":
        raw[len(raw) // 2: len(raw) // 2 + 4096] = os.urandom(4096)
    elif damage == "truncate":
        raw = raw[: len(raw) // 3]
    else:
        raw[:64] = os.urandom(64)
    db.write_bytes(bytes(raw))
    before = files(data_dir)
    try:
        s = Store.unlock(data_dir, PASSPHRASE)
    except StoreDamaged:
        assert files(data_dir) == before
        return
    # damage in a page the open did not read: the integrity checks must catch it
    plain, cipher = s.integrity_check()
    s.close()
    assert (plain, cipher) != ("ok", "ok")
    assert (data_dir / "cases.db").stat().st_size == len(raw)


def test_permissions(store, data_dir):
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    case = store.create_case()
    store.save_answer(case.id, "fc-x", '"y"', SUMMARY)
    for path in data_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_passphrase_change_rotates_the_data_key(store, data_dir):
    case = store.create_case()
    for i in range(200):
        store.save_answer(case.id, f"fc-x{i}", json.dumps("y" * 500), SUMMARY)
    store.close()  # the last connection checkpoints the WAL into the database
    before = (data_dir / "cases.db").read_bytes()
    s = Store.unlock(data_dir, PASSPHRASE)
    old_key = bytes(s._key)
    reported: list[float] = []
    s.change_passphrase(PASSPHRASE, "a brand new passphrase", progress=reported.append)
    assert s.load_case(case.id).answers["fc-x7"].value_json == json.dumps("y" * 500)
    s.close()
    assert reported[0] == 0.0 and reported[-1] == 1.0 and reported == sorted(reported)
    after = (data_dir / "cases.db").read_bytes()
    pages = [(before[i:i + 4096], after[i:i + 4096]) for i in range(4096, len(before), 4096)]
    assert not any(a == b for a, b in pages)  # every page re-encrypted
    with pytest.raises(StoreDamaged):  # the old data key opens nothing now
        probe(data_dir / "cases.db", old_key)
    with pytest.raises(WrongPassphrase):
        Store.unlock(data_dir, PASSPHRASE)
    s = Store.unlock(data_dir, "a brand new passphrase")
    assert bytes(s._key) != old_key
    assert s.load_case(case.id).answers["fc-x7"].value_json == json.dumps("y" * 500)
    assert s.integrity_check() == ("ok", "ok")
    assert "next" not in read_key_file(data_dir / "keys.json")
    s.close()


def test_key_file_records_kdf_parameters(store, data_dir):
    doc = read_key_file(data_dir / "keys.json")
    slot = doc["passphrase"]
    assert slot["kdf"] == "argon2id" and {"salt", "nonce", "ciphertext"} <= set(slot)
    assert len(unwrap(slot, PASSPHRASE)) == 32
    assert KdfParams().memory_cost >= 65536  # the real profile (tests use a fast one)


def test_answers_one_row_per_field_with_revisions_and_summary(store):
    case = store.create_case()
    for i in range(5):
        rev = store.save_answer(case.id, "what-were-they-required-to-do", json.dumps(f"v{i}"),
                                SUMMARY)
        assert rev == i + 1
    data = store.load_case(case.id)
    assert list(data.answers) == ["what-were-they-required-to-do"]
    assert data.answers["what-were-they-required-to-do"].value_json == '"v4"'
    assert store.get_case(case.id).revision == 6  # created, then five saves
    (row,) = store.list_summaries()
    assert row.stage_reached == "safety" and row.completeness == {"nrm": "incomplete"}


def test_consent_history_keeps_every_decision(store):
    case = store.create_case()
    for state in ("given", "withdrawn"):
        store.record_consent(case.id, ConsentRecord("nrm", state, "Sam", "Tigrinya",
                                                    "A. Interpreter", "what NRM is"), SUMMARY)
    data = store.load_case(case.id)
    assert [c.state for c in data.consent_history] == ["given", "withdrawn"]
    assert data.consents["nrm"].state == "withdrawn"


def test_audit_is_append_only_and_holds_no_content(store):
    case = store.create_case()
    store.save_answer(case.id, "pv-name-first-name", json.dumps(CANARY), SUMMARY)
    store.add_note(case.id, "note", CANARY, None, SUMMARY)
    store.record_consent(case.id, ConsentRecord("nrm", "given", CANARY, CANARY, CANARY, CANARY,
                                                interpreter_reason=CANARY), SUMMARY)
    events = store.audit_events(case.id)
    assert {"created", "answered", "note-added", "consent-changed"} <= {e.event for e in events}
    assert all(CANARY not in (e.detail or "") for e in events)
    with store.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
        conn.exec_driver_sql("UPDATE audit_log SET event='x'")
    with store.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
        conn.exec_driver_sql("DELETE FROM audit_log")


def test_canary_never_in_clear_on_disk_or_in_logs(data_dir, caplog):
    caplog.set_level("DEBUG")
    tmp_before = set(os.listdir(tempfile.gettempdir()))
    s = Store.create(data_dir, PASSPHRASE)
    case = s.create_case()
    s.save_answer(case.id, "pv-name-first-name", json.dumps(CANARY), SUMMARY)
    s.add_note(case.id, "note", f"Lives near {CANARY}", None, SUMMARY)
    s.set_skip(case.id, "step", SkipRecord("other", CANARY), SUMMARY)
    # the WAL holds the recent pages before a checkpoint: scan it too, while open
    scanned = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    s.close()
    scanned.update({p.name + "@closed": p.read_bytes() for p in data_dir.iterdir()})
    assert "cases.db-wal" in scanned
    needles = [CANARY.encode(), CANARY.encode("utf-16-le"), b"CANARY-Zq81"]
    for name, raw in scanned.items():
        for needle in needles:
            assert needle not in raw, name
    for name in set(os.listdir(tempfile.gettempdir())) - tmp_before:
        path = os.path.join(tempfile.gettempdir(), name)
        if os.path.isfile(path):
            with open(path, "rb") as fh:
                assert CANARY.encode() not in fh.read()
    assert CANARY not in caplog.text


def test_lone_surrogate_refused_before_writing(store):
    case = store.create_case()
    with pytest.raises(InvalidValue):
        store.add_note(case.id, "note", "bad \udcff", None, SUMMARY)
    assert store.load_case(case.id).notes == ()


def test_migrations_from_empty_and_from_each_earlier_revision(tmp_path):
    key = os.urandom(32)
    for start in (None, "0001", "0002", "0003", "0005"):
        path = tmp_path / f"db-{start}"
        engine = open_engine(path, bytearray(key))
        if start is not None:
            migrate.upgrade(engine, start)
            with engine.begin() as conn:
                conn.exec_driver_sql(
                    "INSERT INTO cases VALUES ('c1','FC-AAAAAA','2026','2026','open',NULL)")
                conn.exec_driver_sql("INSERT INTO answers VALUES ('c1','f','\"v\"',3,'2026')")
                if start < "0004":  # later, events are chained as they are written
                    conn.exec_driver_sql("INSERT INTO audit_log (at, event) VALUES ('2026','x')")
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.HEAD
        with engine.begin() as conn:
            if start is not None:
                assert conn.exec_driver_sql("SELECT reference, revision FROM cases").one() \
                    == ("FC-AAAAAA", 1)  # every case starts at revision 1
                # adding the column rebuilt nothing: no child row was cascaded away
                assert conn.exec_driver_sql("SELECT count(*) FROM answers").scalar_one() == 1
            names = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type IN ('index','trigger')")}
            covering = [r[2] for r in conn.exec_driver_sql(
                "PRAGMA index_info(ix_case_summary_status)")]
            rows = conn.exec_driver_sql("SELECT id, at, event, case_id, detail, prev_hash, hash "
                                        "FROM audit_log ORDER BY id").all()
        assert {"ix_case_summary_created", "audit_log_no_delete", "audit_log_no_update"} <= names
        assert covering == ["status", "created_at", "case_id"]  # the list reads ids from it
        chain = check_rows(rows, names)  # events from before 0004 were chained by it
        assert chain.intact and chain.count == (0 if start is None or start >= "0004" else 1)
        engine.dispose()


def test_plain_sqlite_cannot_read_the_store(store, data_dir):
    store.close()
    engine = create_engine(f"sqlite:///{data_dir / 'cases.db'}")
    with pytest.raises(Exception, match=r"not a database|encrypted"), engine.connect() as conn:
        conn.exec_driver_sql("SELECT * FROM cases").fetchall()
