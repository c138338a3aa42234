"""Issue 18, finding 7: crypto-erase must survive ``passwd`` (and ``recover``, ``restore``).

Every rewrite of the key file gives the store a new data key (SQLCipher ``PRAGMA rekey``), so
an old wrapped key opens nothing; the old key file is overwritten in place; a key change killed
at any point leaves a store that opens. On a real ext4 image, after ``passwd`` then ``wipe``,
nothing on the raw device opens with the old passphrase.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from firstcontact.store import keys
from firstcontact.store.db import probe
from firstcontact.store.errors import StoreBusy, StoreDamaged, WrongPassphrase
from firstcontact.store.facade import Store
from firstcontact.store.lifecycle import backup, recover, restore, wipe
from firstcontact.store.records import SummaryUpdate
from firstcontact.store.recovery import RecoveryKeyError, create_key_pair
from tests.conftest import PASSPHRASE
from tests.filesystems import ext4_image, mount_image, unmount
from tests.store.test_lifecycle import decrypted_pages

NEW = "a brand new passphrase 42"
CANARY = "CANARY-Rotation-Q7 E1 6AN"
SUMMARY = SummaryUpdate(stage_reached=None)
WORKER = Path(__file__).with_name("rotation_worker.py")


def store_with_canary(data_dir, public=None, notes=20):
    s = Store.create(data_dir, PASSPHRASE, public)
    case = s.create_case()
    for i in range(notes):
        s.add_note(case.id, "note", f"{CANARY} {i} " + "z" * 400, None, SUMMARY)
    s.close()
    return case.id


def old_key(data_dir, passphrase=PASSPHRASE) -> bytes:
    return bytes(keys.unwrap(keys.read_key_file(data_dir / "keys.json")["passphrase"],
                             passphrase))


def assert_opens_nothing(data_dir, key: bytes) -> None:
    with pytest.raises(StoreDamaged):
        probe(data_dir / "cases.db", key)
    pages = decrypted_pages((data_dir / "cases.db").read_bytes(), key)
    assert CANARY.encode() not in pages


def note_texts(data_dir, case_id, passphrase) -> list[str]:
    s = Store.unlock(data_dir, passphrase)
    try:
        assert s.integrity_check() == ("ok", "ok")
        return [n.text for n in s.load_case(case_id).notes]
    finally:
        s.close()


def test_an_old_key_file_opens_nothing_after_passwd(data_dir):
    case_id = store_with_canary(data_dir)
    stolen = (data_dir / "keys.json").read_bytes()  # a copy taken before the change
    before = note_texts(data_dir, case_id, PASSPHRASE)
    s = Store.unlock(data_dir, PASSPHRASE)
    s.change_passphrase(PASSPHRASE, NEW)
    s.close()
    key = bytes(keys.unwrap(keys.parse_key_file(stolen)["passphrase"], PASSPHRASE))
    assert_opens_nothing(data_dir, key)
    assert note_texts(data_dir, case_id, NEW) == before
    again = Store.unlock(data_dir, NEW)
    assert ("passphrase-changed", "data key replaced") in [
        (e.event, e.detail) for e in again.audit_events()]
    again.close()


def test_a_key_change_needs_the_store_alone(data_dir):
    store_with_canary(data_dir, notes=1)
    gui = Store.unlock(data_dir, PASSPHRASE)  # another window still uses the old key
    cli = Store.unlock(data_dir, PASSPHRASE)
    before = (data_dir / "keys.json").read_bytes()
    with pytest.raises(StoreBusy) as refused:
        cli.change_passphrase(PASSPHRASE, NEW)
    assert "another window" in refused.value.message
    assert (data_dir / "keys.json").read_bytes() == before
    gui.create_case()  # both still work
    cli.create_case()
    gui.close()
    cli.change_passphrase(PASSPHRASE, NEW)
    cli.close()
    Store.unlock(data_dir, NEW).close()


@pytest.mark.parametrize(("stop", "opens_with", "refused_with"), [
    ("pending", PASSPHRASE, NEW),  # before the database changed: the old passphrase
    ("midway", PASSPHRASE, NEW),  # killed mid-transaction: rolled back, still the old key
    ("rekeyed", NEW, PASSPHRASE),  # committed: the new passphrase
])
def test_a_key_change_killed_at_any_point_leaves_a_store_that_opens(
        data_dir, stop, opens_with, refused_with):
    case_id = store_with_canary(data_dir)
    if stop == "midway":  # large enough that the re-encryption reports progress before commit
        s = Store.unlock(data_dir, PASSPHRASE)
        with s.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE ballast (x BLOB)")
            for _ in range(3000):
                conn.exec_driver_sql("INSERT INTO ballast VALUES (randomblob(8000))")
        s.close()
    before = note_texts(data_dir, case_id, PASSPHRASE)
    done = subprocess.run([sys.executable, str(WORKER), str(data_dir), PASSPHRASE, NEW, stop],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 9, done.stdout + done.stderr
    assert "next" in keys.read_key_file(data_dir / "keys.json")  # both keys were kept
    with pytest.raises(StoreDamaged) as refused:  # said plainly, and not counted as a guess
        Store.unlock(data_dir, refused_with)
    assert "interrupted" in refused.value.message
    assert not (data_dir / "unlock-attempts.json").exists()
    assert note_texts(data_dir, case_id, opens_with) == before  # and settled:
    assert "next" not in keys.read_key_file(data_dir / "keys.json")
    with pytest.raises(WrongPassphrase):
        Store.unlock(data_dir, refused_with)


def test_recover_and_restore_give_a_new_data_key(data_dir, tmp_path):
    public, private = create_key_pair(tmp_path / "org")
    case_id = store_with_canary(data_dir, public)
    first = old_key(data_dir)
    s = Store.unlock(data_dir, PASSPHRASE)
    out = backup(s, tmp_path / "b.fcb")
    s.close()
    recover(data_dir, private, NEW)
    assert_opens_nothing(data_dir, first)
    recover(data_dir, private, "and another one again")  # the slot follows the new key
    assert len(note_texts(data_dir, case_id, "and another one again")) == 20

    restore(out, tmp_path / "restored", passphrase=PASSPHRASE)
    restored = tmp_path / "restored"
    assert_opens_nothing(restored, first)  # the backup's own key opens nothing restored
    assert old_key(restored) != first
    assert len(note_texts(restored, case_id, PASSPHRASE)) == 20
    recover(restored, private, NEW)  # its recovery slot was re-wrapped too


def test_a_recovery_slot_without_its_public_key_is_re_wrapped_when_given(data_dir, tmp_path):
    public, _private = create_key_pair(tmp_path / "org")
    store_with_canary(data_dir, public, notes=1)
    path = data_dir / "keys.json"
    doc = json.loads(path.read_text())
    del doc["recovery"][0]["public_key"]  # as written before slots carried it
    path.write_text(json.dumps(doc))
    s = Store.unlock(data_dir, PASSPHRASE)
    with pytest.raises(RecoveryKeyError) as refused:
        s.change_passphrase(PASSPHRASE, NEW)
    assert "--recovery-key" in refused.value.message
    assert json.loads(path.read_text()) == doc  # nothing changed
    s.change_passphrase(PASSPHRASE, NEW, recovery_public_key=public)
    s.close()
    assert "public_key" in keys.read_key_file(path)["recovery"][0]


SLOT_FIELD = re.compile(rb'"(kdf|time_cost|memory_cost|parallelism|salt|nonce|ciphertext)": '
                        rb'("?)([A-Za-z0-9+/=]+)\2')


def slots_in(raw: bytes) -> list[dict[str, bytes]]:
    """Every passphrase slot readable in a raw disk image (a key file, or what is left of one
    in free blocks)."""
    found = []
    for match in re.finditer(rb'"salt"', raw):
        window = raw[max(0, match.start() - 400):match.start() + 400]
        fields = {m.group(1).decode(): m.group(3) for m in SLOT_FIELD.finditer(window)}
        if {"time_cost", "memory_cost", "parallelism", "salt", "nonce",
                "ciphertext"} <= set(fields):
            found.append(fields)
    return found


def keys_opened(raw: bytes, passphrase: str) -> list[bytes]:
    """The data keys that ``passphrase`` unwraps from the slots found in ``raw``."""
    out = []
    for f in slots_in(raw):
        try:
            derived = hash_secret_raw(
                passphrase.encode(), base64.b64decode(f["salt"]),
                time_cost=int(f["time_cost"]), memory_cost=int(f["memory_cost"]),
                parallelism=int(f["parallelism"]), hash_len=32, type=Type.ID)
            out.append(AESGCM(derived).decrypt(base64.b64decode(f["nonce"]),
                                               base64.b64decode(f["ciphertext"]), keys.AAD))
        except (InvalidTag, ValueError):
            continue
    return out


def test_after_passwd_then_wipe_the_raw_disk_opens_nothing_with_the_old_passphrase(tmp_path):
    image, point = tmp_path / "disk.img", tmp_path / "mnt"
    with ext4_image(image, point, 64):
        data = point / "data"
        store_with_canary(data, notes=200)
        s = Store.unlock(data, PASSPHRASE)
        s.change_passphrase(PASSPHRASE, NEW)
        s.close()
        unmount(point)
        raw = image.read_bytes()
        # the scan works: the live key file is found, and its key decrypts the database
        (live,) = keys_opened(raw, NEW)
        assert keys_opened(raw, PASSPHRASE) == []  # the old key file was overwritten in place
        mount_image(image, point)
        assert decrypted_pages((data / "cases.db").read_bytes(), live)[16:18] == b"\x10\x00"
        wipe(data)
        unmount(point)
        raw = image.read_bytes()
        assert slots_in(raw) == []
        assert keys_opened(raw, PASSPHRASE) == [] and keys_opened(raw, NEW) == []
        assert CANARY.encode() not in raw
