"""Issue 18, finding 8 (the store's side): hostile key files and backups are refused with one
specific line before any costly work; a damaged key file is not a wrong passphrase; the unlock
counter cannot be pushed into the future; a rewritten audit history is found."""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import tarfile
import time

import pytest

from firstcontact.store import keys
from firstcontact.store.errors import (
    InvalidValue,
    KeyFileDamaged,
    StoreError,
    TooManyAttempts,
    WrongPassphrase,
)
from firstcontact.store.facade import Store
from firstcontact.store.lifecycle import BackupError, backup, restore
from firstcontact.store.unlock_guard import MAX_DELAY, UnlockGuard
from tests.conftest import PASSPHRASE


@pytest.fixture
def store_dir(data_dir):
    Store.create(data_dir, PASSPHRASE).close()
    return data_dir


def edit_slot(data_dir, recheck=True, **changes):
    path = data_dir / "keys.json"
    doc = json.loads(path.read_text())
    doc["passphrase"].update(changes)
    if recheck:  # a crafted file: consistent, so only the bounds can refuse it
        doc["passphrase"]["check"] = keys._checksum(doc["passphrase"])
    path.write_text(json.dumps(doc))


ABSURD = [{"memory_cost": 2**23}, {"time_cost": 10**9}, {"parallelism": 10**6},
          {"memory_cost": 1024, "parallelism": 200}, {"time_cost": True}]


@pytest.mark.parametrize("params", ABSURD)
def test_absurd_kdf_parameters_are_refused_before_any_work(store_dir, params):
    edit_slot(store_dir, **params)
    with pytest.raises(KeyFileDamaged) as refused:
        Store.unlock(store_dir, PASSPHRASE)
    assert "\n" not in refused.value.message
    assert not (store_dir / "unlock-attempts.json").exists()  # not counted as a guess


def test_weak_kdf_parameters_are_refused(store_dir, monkeypatch):
    edit_slot(store_dir, memory_cost=8, time_cost=1, parallelism=1)
    with pytest.raises(KeyFileDamaged, match="weaker than allowed"):
        Store.unlock(store_dir, PASSPHRASE)
    edit_slot(store_dir, **keys.FAST_KDF.__dict__)  # the test suite's own cheap profile …
    Store.unlock(store_dir, PASSPHRASE).close()
    monkeypatch.delenv("PYTEST_CURRENT_TEST")  # … is refused outside the test suite
    with pytest.raises(KeyFileDamaged, match="weaker than allowed"):
        Store.unlock(store_dir, PASSPHRASE)


def test_the_fast_kdf_switch_is_refused_outside_the_test_suite(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    with pytest.raises(InvalidValue, match="test suite only"):
        Store.create(tmp_path / "data", PASSPHRASE)
    assert not (tmp_path / "data" / "keys.json").exists()
    monkeypatch.delenv(keys.ENV_FAST_KDF)
    assert keys.KdfParams.default() == keys.KdfParams()  # the real profile


@pytest.mark.parametrize("field", ["nonce", "ciphertext", "salt"])
def test_a_flipped_nonce_tag_or_salt_is_damage_not_a_wrong_passphrase(store_dir, field):
    slot = json.loads((store_dir / "keys.json").read_text())["passphrase"]
    raw = bytearray(base64.b64decode(slot[field]))
    raw[-1] ^= 0x01  # for the ciphertext: the last byte of the GCM tag
    edit_slot(store_dir, recheck=False, **{field: base64.b64encode(raw).decode()})
    for _ in range(5):
        with pytest.raises(KeyFileDamaged, match="damaged"):
            Store.unlock(store_dir, PASSPHRASE)
    assert not (store_dir / "unlock-attempts.json").exists()
    assert UnlockGuard(store_dir).seconds_until_next_attempt() == 0


def test_the_unlock_counter_clamps_a_time_in_the_future(store_dir):
    now = time.time()
    attempts = store_dir / "unlock-attempts.json"
    attempts.write_text(json.dumps({"failures": 10**12, "last": now + 2.3e9}))
    guard = UnlockGuard(store_dir, clock=lambda: now)
    assert 0 < guard.seconds_until_next_attempt() <= MAX_DELAY
    with pytest.raises(TooManyAttempts) as waiting:
        Store.unlock(store_dir, PASSPHRASE, clock=lambda: now)
    assert waiting.value.wait_seconds <= MAX_DELAY
    Store.unlock(store_dir, PASSPHRASE, clock=lambda: now + MAX_DELAY + 1).close()
    attempts.write_text('{"failures": 5, "last": NaN}')
    assert UnlockGuard(store_dir).seconds_until_next_attempt() == 0


def test_a_rewritten_audit_history_is_found(store_dir):
    s = Store.unlock(store_dir, PASSPHRASE)
    case = s.create_case()
    s.audit("opened", case.id)
    check = s.verify_audit()
    assert check.intact and check.count == len(s.audit_events())
    with s.engine.begin() as conn:  # anyone with the passphrase can drop the triggers …
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_delete")
    assert s.verify_audit().triggers_missing == ("audit_log_no_update", "audit_log_no_delete")
    with s.engine.begin() as conn:  # … and rewrite history: the chain breaks where it changed
        second = conn.exec_driver_sql("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 1"
                                      ).scalar_one()
        conn.exec_driver_sql("UPDATE audit_log SET event = 'nothing' WHERE id = ?", (second,))
    assert s.verify_audit().broken_at == second
    with s.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_log WHERE id = ?", (second,))
    assert s.verify_audit().broken_at == second + 1
    s.close()


def backup_bytes(data_dir, tmp_path) -> tuple[dict[str, bytes], list[str]]:
    s = Store.unlock(data_dir, PASSPHRASE)
    out = backup(s, tmp_path / "good.fcb")
    s.close()
    with tarfile.open(out) as tar:
        names = tar.getnames()
        return {n: tar.extractfile(n).read() for n in names}, names  # type: ignore[union-attr]


def crafted(tmp_path, parts: dict[str, bytes], sizes: dict[str, int] | None = None,
            name: str = "crafted.fcb") -> os.PathLike[str]:
    path = tmp_path / name
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
        for member, data in parts.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_gzip_backup_declaring_2_gib_is_refused_without_inflating(store_dir, tmp_path):
    bomb = tmp_path / "bomb.fcb"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        info = tarfile.TarInfo("cases.db")
        info.size = 2 * 1024**3
        fh.write(info.tobuf(format=tarfile.USTAR_FORMAT))
        zero = b"\0" * (1024 * 1024)
        for _ in range(8):  # the rest would inflate to 2 GiB of zeros
            fh.write(zero)
    with pytest.raises(BackupError, match="compressed"):
        restore(bomb, tmp_path / "r", passphrase=PASSPHRASE)
    assert not (tmp_path / "r").exists()


def manifest_with(parts, **changes):
    doc = json.loads(parts["manifest.json"])
    doc.update(changes)
    return json.dumps(doc).encode()


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda parts: b"{not json", "manifest is damaged: not valid JSON"),
    (lambda parts: b"[" * 30_000 + b"]" * 30_000, "manifest is damaged: nested deeper"),
    (lambda parts: b'{"format": "firstcontact-backup", "format": "x"}', "appears twice"),
    (lambda parts: manifest_with(parts, version=NAN), "not standard JSON"),
    (lambda parts: manifest_with(parts, files={"keys.json": "big"}), "unknown version"),
    (lambda parts: manifest_with(parts, version=99), "unknown version"),
    (lambda parts: b"x" * 70_000, "larger than"),
])
def test_a_malformed_manifest_is_one_specific_line(store_dir, tmp_path, damage, expected):
    parts, _names = backup_bytes(store_dir, tmp_path)
    parts["manifest.json"] = damage(parts)
    with pytest.raises(BackupError) as refused:
        restore(crafted(tmp_path, parts), tmp_path / "r", passphrase=PASSPHRASE)
    assert expected in refused.value.message
    assert "\n" not in refused.value.message


NAN = float("nan")


def test_a_backup_whose_files_differ_from_their_manifest_is_refused(store_dir, tmp_path):
    parts, _names = backup_bytes(store_dir, tmp_path)
    grown = dict(parts, **{"cases.db": parts["cases.db"] + b"\0" * 4096})
    with pytest.raises(BackupError, match="does not match its manifest"):
        restore(crafted(tmp_path, grown), tmp_path / "r", passphrase=PASSPHRASE)
    flipped = bytearray(parts["cases.db"])
    flipped[5000] ^= 1
    with pytest.raises(BackupError, match="does not match its manifest"):
        restore(crafted(tmp_path, dict(parts, **{"cases.db": bytes(flipped)}), name="f.fcb"),
                tmp_path / "r2", passphrase=PASSPHRASE)
    assert not any((tmp_path / "r2").iterdir())  # the staged copy is gone


def test_a_backup_with_absurd_kdf_parameters_is_refused_before_any_work(store_dir, tmp_path):
    parts, _names = backup_bytes(store_dir, tmp_path)
    doc = json.loads(parts["keys.json"])
    doc["passphrase"]["memory_cost"] = 2**23
    doc["passphrase"]["check"] = keys._checksum(doc["passphrase"])
    parts["keys.json"] = json.dumps(doc).encode()
    manifest = json.loads(parts["manifest.json"])
    manifest["files"]["keys.json"]["size"] = len(parts["keys.json"])
    parts["manifest.json"] = json.dumps(manifest).encode()
    with pytest.raises(KeyFileDamaged, match="more key derivation work"):
        restore(crafted(tmp_path, parts), tmp_path / "r", passphrase=PASSPHRASE)


def test_other_tar_members_and_extension_headers_are_not_a_backup(store_dir, tmp_path):
    parts, _names = backup_bytes(store_dir, tmp_path)
    evil = tmp_path / "pax.fcb"
    with tarfile.open(evil, "w", format=tarfile.PAX_FORMAT,
                      pax_headers={"comment": "x" * 100_000}) as tar:
        for member, data in parts.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="not a firstcontact backup"):
        restore(evil, tmp_path / "r", passphrase=PASSPHRASE)
    reordered = dict(reversed(list(parts.items())))
    with pytest.raises(BackupError, match="not a firstcontact backup"):
        restore(crafted(tmp_path, reordered), tmp_path / "r", passphrase=PASSPHRASE)


def test_a_backup_of_the_earlier_format_still_restores(store_dir, tmp_path):
    parts, _names = backup_bytes(store_dir, tmp_path)
    parts["manifest.json"] = b'{"format": "firstcontact-backup", "version": 1, "created": "x"}'
    restore(crafted(tmp_path, parts), tmp_path / "r", passphrase=PASSPHRASE)
    Store.unlock(tmp_path / "r", PASSPHRASE).close()
    with pytest.raises(WrongPassphrase):
        restore(crafted(tmp_path, parts, name="again.fcb"), tmp_path / "r2", passphrase="nope")


def test_every_refusal_is_a_store_error_with_one_line(store_dir):
    (store_dir / "keys.json").write_bytes(b"[" * 50_000)
    with pytest.raises(StoreError) as refused:
        Store.unlock(store_dir, PASSPHRASE)
    assert refused.value.message.count("\n") == 0 and "damaged" in refused.value.message
