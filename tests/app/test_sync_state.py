"""Sync inside the store, without a hub: every change bumps the case's revision in its own
transaction; sealing takes the newest revision once, stores the bytes before anything is sent,
and supersedes only what was never released; the case list's sync state; and nothing
unacknowledged is erased by delete or retention without asking and auditing."""

from __future__ import annotations

import json
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from firstcontact.app.consent_points import points_for
from firstcontact.app.errors import Invalid, UnsyncedChanges
from firstcontact.app.sync import PendingEnrolment
from firstcontact.app.workspace import Workspace
from firstcontact.store.records import Acknowledgement
from firstcontact.sync.enrol import Enrolment
from firstcontact.sync.envelope import open_envelope
from firstcontact.sync.keys import HUB_KEY_LABEL, DeviceKeys, KemKeyPair, fingerprint
from tests.conftest import PASSPHRASE


@pytest.fixture
def ws(data_dir):
    opened = Workspace.create(data_dir, PASSPHRASE)
    yield opened
    if opened.is_open:
        opened.close()


class Org:
    """An organisation key and an enrolment granted for it, without a hub."""

    def __init__(self) -> None:
        self.key = KemKeyPair.generate()
        self.device = DeviceKeys.generate()
        hub_raw = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
        self.enrolment = Enrolment(
            hub_url="http://127.0.0.1:9", device_id=str(uuid.uuid4()), token="T" * 43,
            role="worker", worker="Sam Worker", org_key=self.key.public,
            org_fingerprint=self.key.public.fingerprint(), hub_key=hub_raw,
            hub_fingerprint=fingerprint(hub_raw, HUB_KEY_LABEL))

    def enrol(self, ws: Workspace) -> str | None:
        return ws.sync.accept(PendingEnrolment(self.device, self.enrolment))

    def open(self, data: bytes) -> dict:
        opened = open_envelope(data, self.key, self.device.signing_key.public_key())
        return json.loads(opened.plaintext)


def envelopes(ws: Workspace, case_id: str) -> list[tuple[int, int, str, bool]]:
    """(revision, base revision, state, released) of the case's envelopes, oldest first."""
    with ws._ctx.store.engine.connect() as conn:
        return [(r, b, s, sent is not None) for r, b, s, sent in conn.exec_driver_sql(
            "SELECT revision, base_revision, state, sent_at FROM sync_envelopes "
            "WHERE case_id = ? ORDER BY seq", (case_id,))]


def revision(ws: Workspace, ref: str) -> int:
    return ws.queries.find(ref).revision


def events(ws: Workspace, ref: str | None = None) -> list[tuple[str, str | None]]:
    return [(e.event, e.detail) for e in ws.queries.audit_events(ref)]


def test_every_change_to_a_case_bumps_its_revision_once(ws):
    ref = ws.cases.new().reference
    assert revision(ws, ref) == 1
    changes = [
        lambda: ws.cases.answer_text(ref, "pv-under-age", "no"),
        lambda: ws.cases.answer_text(ref, "fc-own-words", "An account"),
        lambda: ws.cases.clear_answer(ref, "fc-own-words"),
        lambda: ws.cases.skip_step(ref, "treatment", "too-distressing", "next week"),
        lambda: ws.cases.skip_step(ref, "treatment", None),
        lambda: ws.cases.mark_criterion(ref, "PC2", "not-applicable", "came alone"),
        lambda: ws.cases.mark_criterion(ref, "PC2", None, ""),
        lambda: ws.cases.add_note(ref, "A note"),
        lambda: ws.cases.add_note(ref, "Reviewed safety", kind="follow-up"),
        lambda: ws.cases.record_consent(
            ref, "nrm", "given", explained_by="Sam Worker", language="English",
            explained="What the NRM is",
            explained_points=[p.id for p in points_for(ws.checklist, "nrm")]),
        lambda: ws.cases.set_status(ref, "closed"),
        lambda: ws.cases.set_status(ref, "open"),
        lambda: ws.cases.record_export(ref, "case-record", "0" * 64, None),
    ]
    for number, change in enumerate(changes, start=2):
        change()
        assert revision(ws, ref) == number
    # refused changes write nothing, so they bump nothing
    with pytest.raises(Invalid):
        ws.cases.answer_text(ref, "pv-under-age", "maybe")
    with pytest.raises(Invalid):
        ws.cases.add_note(ref, "   ")
    ws.queries.detail(ref)  # reading (audited as opened) is no change
    assert revision(ws, ref) == len(changes) + 1
    imported = ws.cases.import_case(ws.queries.export_document(ref))
    assert imported.revision == 1


def test_sealing_takes_the_newest_revision_and_supersedes_only_unreleased(ws):
    org = Org()
    ref = ws.cases.new().reference
    case_id = ws.queries.find(ref).id
    assert ws.sync.seal_changes() == 0  # not enrolled: nothing is sealed
    assert ws.queries.list_cases()[0].sync_state == "local-only"
    assert org.enrol(ws) is not None  # no trusted keyring in the tests: said once
    assert ws.queries.list_cases()[0].sync_state == "pending"

    for text in ("one", "two", "three"):
        ws.cases.add_note(ref, text)
    assert ws.sync.seal_changes() == 1
    assert ws.sync.seal_changes() == 0  # a sealed revision is never sealed again
    first = revision(ws, ref)
    assert envelopes(ws, case_id) == [(first, 0, "pending", False)]
    (envelope_id,) = ws._ctx.store.sync_envelope_ids(case_id)
    doc = org.open(ws._ctx.store.envelope_bytes(envelope_id))
    assert doc["reference"] == ref and [n["text"] for n in doc["notes"]] == ["one", "two",
                                                                            "three"]

    ws.cases.add_note(ref, "four")  # never released: the newer revision replaces it
    assert ws.sync.seal_changes() == 1
    second = revision(ws, ref)
    assert envelopes(ws, case_id) == [(second, 0, "pending", False)]

    assert ws._ctx.store.release_envelopes() == 1  # from now on it may be on the hub
    assert ws._ctx.store.pending_envelope_ids() == ws._ctx.store.sync_envelope_ids(case_id)
    ws.cases.add_note(ref, "five")
    assert ws.sync.seal_changes() == 1
    third = revision(ws, ref)
    assert envelopes(ws, case_id) == [(second, 0, "pending", True),
                                      (third, second, "pending", False)]
    # the stored bytes are what goes out, every time
    ids = ws._ctx.store.sync_envelope_ids(case_id)
    assert [ws._ctx.store.envelope_bytes(i) for i in ids] == \
        [ws._ctx.store.envelope_bytes(i) for i in ids]


def test_states_follow_the_hubs_answers(ws):
    org = Org()
    org.enrol(ws)
    ref = ws.cases.new().reference
    case_id = ws.queries.find(ref).id
    ws.sync.seal_changes()
    ws._ctx.store.release_envelopes()
    (first,) = ws._ctx.store.pending_envelope_ids()
    ws._ctx.store.acknowledge_envelopes([Acknowledgement(first, 7, b"{}")])
    (row,) = ws.queries.list_cases()
    assert row.sync_state == "synced" and row.sync_words.startswith("synced at ")
    assert ws.queries.detail(ref).sync.acknowledged_revision == revision(ws, ref)
    assert ws._ctx.store.pending_envelope_ids() == []
    assert ("synced", f"revision={revision(ws, ref)}") in events(ws, ref)

    ws.cases.add_note(ref, "later")
    assert ws.queries.list_cases()[0].sync_state == "pending"
    ws.sync.seal_changes()
    assert ws._ctx.store.envelope_bytes(first)  # the newest acknowledged keeps its bytes
    ws._ctx.store.release_envelopes()
    (second,) = ws._ctx.store.pending_envelope_ids()
    ws._ctx.store.quarantine_envelope(second, "not-owner")
    (row,) = ws.queries.list_cases()
    assert row.sync_state == "attention" and row.sync_reason == "not-owner"
    assert row.sync_words == "needs attention: the hub says this case belongs to another laptop"
    assert ws._ctx.store.pending_envelope_ids() == []  # out of the queue until someone acts
    assert ("sync-refused", "reason=not-owner") in events(ws, ref)
    status = ws.sync.status()
    assert status.cases == {"local-only": 0, "pending": 0, "synced": 0, "attention": 1}
    assert status.envelopes == {"pending": 0, "acknowledged": 1, "quarantined": 1}
    assert envelopes(ws, case_id)[-1][2] == "quarantined"

    ws.cases.add_note(ref, "and later")
    ws.sync.seal_changes()
    ws._ctx.store.release_envelopes()
    (third,) = ws._ctx.store.pending_envelope_ids()
    ws._ctx.store.acknowledge_envelopes([Acknowledgement(third, 9, b"{}")])
    assert ws.queries.list_cases()[0].sync_state == "synced"  # attention is over
    ws.cases.add_note(ref, "once more")
    ws.sync.seal_changes()
    # older acknowledged envelopes keep their receipt, not their bytes: the hub has them
    assert ws._ctx.store.envelope_bytes(first) == b""
    assert ws._ctx.store.envelope_bytes(third)


def test_delete_and_retention_keep_what_the_hub_has_not_acknowledged(ws):
    local = ws.cases.new().reference
    ws.cases.delete(local)  # not enrolled: there is nowhere to sync to
    org = Org()
    org.enrol(ws)
    pending, synced, old = (ws.cases.new().reference for _ in range(3))
    ws.sync.seal_changes()
    ws._ctx.store.release_envelopes()
    synced_id = ws.queries.find(synced).id
    (synced_envelope,) = ws._ctx.store.sync_envelope_ids(synced_id)
    ws._ctx.store.acknowledge_envelopes([Acknowledgement(synced_envelope, 1, b"{}")])

    with pytest.raises(UnsyncedChanges, match="not acknowledged"):
        ws.cases.delete(pending)
    assert ws.queries.find(pending)  # still there
    assert ("delete-refused", "reason=unsynced revision=1 acknowledged=0") in events(ws, pending)
    ws.cases.delete(synced)  # the hub has every change: erased without asking
    deleted = [e for e in ws.queries.audit_events() if e.event == "deleted"]
    pending_id = ws.queries.find(pending).id
    ws.cases.delete(pending, discard_unsynced=True)
    assert [(e.event, e.detail) for e in ws.queries.audit_events()
            if e.event == "deleted"][len(deleted):] == [
        ("deleted", "unsynced-discarded revision=1 acknowledged=0")]
    assert envelopes(ws, pending_id) == []  # its sealed copies went with it

    ws.cases.set_status(old, "closed")
    old_id = ws.queries.find(old).id
    with ws._ctx.store.engine.begin() as c:  # back-date it (test only)
        c.exec_driver_sql("UPDATE cases SET updated_at = '2020-01-01T00:00:00.000000Z' "
                          "WHERE id = ?", (old_id,))
    ws.settings.set_retention_days(30)
    run = ws.settings.apply_retention()
    assert (run.erased, run.kept_unsynced) == (0, 1)
    assert ("retention-kept", "reason=unsynced revision=2 acknowledged=0") in events(ws, old)
    ws.sync.seal_changes()
    ws._ctx.store.release_envelopes()
    ws._ctx.store.acknowledge_envelopes([
        Acknowledgement(i, 2, b"{}") for i in ws._ctx.store.pending_envelope_ids()])
    run = ws.settings.apply_retention()
    assert (run.erased, run.kept_unsynced) == (1, 0)
    assert [r.reference for r in ws.queries.list_cases()] == []


def test_the_token_goes_to_a_trusted_keyring_and_the_wipe_removes_it(data_dir, monkeypatch):
    import keyring

    from firstcontact.app.locate import emergency_wipe
    from firstcontact.app.sync import keyring_user
    from firstcontact.store.keyring_support import SERVICE
    from tests.store.test_keyring import MemoryKeyring

    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        ws = Workspace.create(data_dir, PASSPHRASE)
        org = Org()
        assert org.enrol(ws) is None  # a trusted keyring: nothing to say
        ws.close()
        assert backend.items == {(SERVICE, keyring_user(data_dir)): org.enrolment.token}
        emergency_wipe(data_dir)
        assert backend.items == {}
    finally:
        keyring.set_keyring(previous)
