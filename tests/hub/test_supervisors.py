"""The hub's side of supervisors, on SQLite and PostgreSQL: the organisation key wrapped for a
supervisor's device (never in clear on the hub), records (a review sealed to the organisation
and the owner, a handover that moves the case, an export report audited without content),
the device list, retire, revoke and the signed wipe order, the signed settings."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import create_engine, select

from firstcontact.hub import config
from firstcontact.hub import devices as device_admin
from firstcontact.hub.clock import utc_now
from firstcontact.hub.db import Database
from firstcontact.hub.models import audit, enrolments
from firstcontact.sync.enrol import enrol, normalise_code
from firstcontact.sync.errors import HubRefused
from firstcontact.sync.keys import DeviceKeys, KemPublicKey, verify_key_from_bytes
from firstcontact.sync.org_key_copy import unwrap, wrap_for_device
from firstcontact.sync.org_key_file import open_org_key
from firstcontact.sync.record import RecordError, open_record, plain_record, seal_record
from firstcontact.sync.session import HubSession
from firstcontact.sync.signed import SETTINGS, WIPE_ORDER, SignedError, verify_doc
from tests.hub.file_outbox import FileOutbox
from tests.hub.support import ORG_PASSPHRASE, Device, Hub, client, enrol_device, run_cli


def session(device: Device, hub: Hub) -> HubSession:
    return HubSession(device.link(hub.url), retries=2)


def audit_actions(hub: Hub) -> list[tuple[str, dict]]:
    engine = create_engine(hub.database_url)
    try:
        with engine.connect() as conn:
            return [(a, json.loads(d)) for a, d in conn.execute(
                select(audit.c.action, audit.c.detail).order_by(audit.c.seq))]
    finally:
        engine.dispose()


def pushed_case(hub: Hub, worker: Device, outbox: FileOutbox) -> str:
    sealed = worker.seal_cases(cases=1, revisions=2)
    outbox.add_all(sealed)
    with client(worker, outbox, hub.url) as sync:
        assert sync.push().pushed == 2
    return sealed[0].header.case_id


def hub_cli(hub: Hub, *args: str) -> tuple[int, str, str]:
    return run_cli("--data-dir", str(hub.data_dir),
                   *(["--db", hub.db_url] if hub.db_url else []), *args)


def test_a_supervisor_code_carries_the_org_key_only_until_it_is_used(hub: Hub) -> None:
    os.environ["FIRSTCONTACT_ORG_PASSPHRASE"] = ORG_PASSPHRASE
    try:
        code, out, err = hub_cli(hub, "enrol", "--worker", "Sam Supervisor", "--role",
                                 "supervisor", "--org-key", str(hub.org_key_path))
        assert code == 0, err
        refused = hub_cli(hub, "enrol", "--worker", "W", "--org-key", str(hub.org_key_path))
    finally:
        del os.environ["FIRSTCONTACT_ORG_PASSPHRASE"]
    assert refused[0] == 1 and "--role supervisor" in refused[2]
    one_time = out.strip().splitlines()[-1]
    org = hub.org_key()
    # On the hub: only a copy wrapped under the code, never the private bytes.
    engine = create_engine(hub.database_url)
    with engine.connect() as conn:
        waiting = [bytes(w) for w in conn.execute(select(enrolments.c.org_key_wrapped)
                                                   .where(enrolments.c.org_key_wrapped
                                                          .is_not(None))).scalars()]
    assert waiting and all(org.private_bytes() not in w for w in waiting)

    keys = DeviceKeys.generate()
    granted = enrol(hub.url, one_time, keys)
    assert granted.org_key_by_code is not None and granted.role == "supervisor"
    assert open_org_key(granted.org_key_by_code, normalise_code(one_time)).public == org.public
    with engine.connect() as conn:  # the code's copy left the hub with that answer
        assert conn.execute(select(enrolments.c.org_key_wrapped).where(
            enrolments.c.device_id == granted.device_id)).scalar() is None
    engine.dispose()
    supervisor = Device(keys, granted)
    with session(supervisor, hub) as s:
        assert s.org_key_copy() is None
        s.keep_org_key_copy(wrap_for_device(org, keys.receiving.public))
        copy = s.org_key_copy()
        assert copy is not None and org.private_bytes() not in copy
        assert unwrap(copy, keys.receiving, org.public).private_bytes() == org.private_bytes()
        with pytest.raises(HubRefused) as again:  # later copies come from the IT lead
            s.keep_org_key_copy(copy)
        assert again.value.code == "not-awaited"
    # The IT lead can list, remove and add copies.
    code, out, _ = hub_cli(hub, "org-key", "list")
    assert supervisor.device_id in out and "Sam Supervisor" in out
    assert hub_cli(hub, "org-key", "remove", supervisor.device_id[:8])[0] == 0
    with session(supervisor, hub) as s:
        assert s.org_key_copy() is None
    os.environ["FIRSTCONTACT_ORG_PASSPHRASE"] = ORG_PASSPHRASE
    try:
        code, out, err = hub_cli(hub, "org-key", "add", supervisor.device_id, "--org-key",
                                 str(hub.org_key_path))
    finally:
        del os.environ["FIRSTCONTACT_ORG_PASSPHRASE"]
    assert code == 0, err
    with session(supervisor, hub) as s:
        copy = s.org_key_copy()
    assert copy is not None and unwrap(copy, keys.receiving, org.public).public == org.public
    actions = [a for a, _d in audit_actions(hub)]
    assert {"org-key-copy-kept", "org-key-copy-removed", "org-key-copy-added"} <= set(actions)


def test_records_review_handover_and_export_report(hub: Hub, outbox: FileOutbox,
                                                   tmp_path) -> None:
    worker = enrol_device(hub)
    other_worker = enrol_device(hub)
    supervisor = enrol_device(hub, role="supervisor")
    case_id = pushed_case(hub, worker, outbox)
    org = hub.org_key()
    with session(supervisor, hub) as s:
        owners = {d.device_id: d for d in s.devices()}
        owner_key = KemPublicKey(owners[worker.device_id].receiving_key)
        review = seal_record({"kind": "signed-off", "note": "Good work"}, kind="review",
                             case_id=case_id, author_device=supervisor.device_id,
                             to_device=worker.device_id, recipients=[org.public, owner_key],
                             signing_key=supervisor.keys.signing_key)
        report = plain_record({"destination": "nrm", "sha256": "ab" * 32,
                               "exported_at": "2026-03-01T10:00:00Z", "revision": 2},
                              kind="export", case_id=case_id,
                              author_device=supervisor.device_id, to_device=worker.device_id,
                              signing_key=supervisor.keys.signing_key)
        forged = seal_record({"kind": "note"}, kind="review", case_id=case_id,
                             author_device=worker.device_id, to_device=worker.device_id,
                             recipients=[org.public], signing_key=supervisor.keys.signing_key)
        results = s.post_records([review.data, report.data, forged.data])
        assert results == {review.record_id: "stored", report.record_id: "stored",
                           forged.record_id: "invalid:wrong-device"}
        assert s.post_records([review.data]) == {review.record_id: "duplicate"}
    # A worker may not post records, and reads only those for it.
    with session(worker, hub) as s:
        with pytest.raises(HubRefused) as refused:
            s.post_records([review.data])
        assert refused.value.code == "not-supervisor"
        page = s.records(0, pending=3)
    assert [i.kind for i in page.items] == ["review", "export"]
    opened = open_record(page.items[0].record, verify_key_from_bytes(page.items[0].verify_key),
                         worker.keys.receiving)
    assert opened.doc == {"kind": "signed-off", "note": "Good work"}
    assert open_record(page.items[0].record, verify_key_from_bytes(page.items[0].verify_key),
                       org).doc["note"] == "Good work"  # the organisation key opens it too
    with pytest.raises(RecordError):  # another worker's key does not
        open_record(page.items[0].record, verify_key_from_bytes(page.items[0].verify_key),
                    other_worker.keys.receiving)
    with session(other_worker, hub) as s:
        assert s.records(0).items == []
    # The hub stored the review sealed: no trace of its words.
    engine = create_engine(hub.database_url)
    with engine.connect() as conn:
        from sqlalchemy import text
        bodies = b"".join(bytes(b) for b in conn.execute(text("SELECT body FROM hub_records"))
                          .scalars())
    engine.dispose()
    assert b"Good work" not in bodies
    exported = [d for a, d in audit_actions(hub) if a == "case-exported"]
    assert exported[-1] == {"case": case_id, "destination": "nrm", "sha256": "ab" * 32,
                            "exported_at": "2026-03-01T10:00:00Z"}

    # Handover: the case moves to the other worker; the first stops being its owner.
    with session(supervisor, hub) as s:
        handover = seal_record({"reference": "FC-TEST"}, kind="handover", case_id=case_id,
                               author_device=supervisor.device_id,
                               to_device=other_worker.device_id,
                               recipients=[org.public, other_worker.keys.receiving.public],
                               signing_key=supervisor.keys.signing_key)
        assert s.post_records([handover.data]) == {handover.record_id: "stored"}
    with session(worker, hub) as s:
        notice = s.records(page.next).items
    assert [n.kind for n in notice] == ["notice"] and notice[0].verify_key is None
    said = open_record(notice[0].record, verify_key_from_bytes(worker.enrolment.hub_key)).doc
    assert said["notice"] == "handed-over" and said["to_device"] == other_worker.device_id
    with session(other_worker, hub) as s:
        arrived = s.records(0).items
    assert [a.kind for a in arrived] == ["handover"]
    from firstcontact.sync.envelope import seal

    old = seal(b"late change", case_id=case_id, rev=3, base_rev=2, device_id=worker.device_id,
               org_key=worker.enrolment.org_key, signing_key=worker.keys.signing_key)
    new = seal(b"new owner", case_id=case_id, rev=3, base_rev=2,
               device_id=other_worker.device_id, org_key=other_worker.enrolment.org_key,
               signing_key=other_worker.keys.signing_key)
    old_box, new_box = FileOutbox(tmp_path / "old.db"), FileOutbox(tmp_path / "new.db")
    old_box.add(old)
    new_box.add(new)
    with client(worker, old_box, hub.url) as sync:
        assert sync.push().quarantined == 1
    with client(other_worker, new_box, hub.url) as sync:
        assert sync.push().pushed == 1
    assert old_box.reasons() == {old.envelope_id: "not-owner"}
    moved = [d for a, d in audit_actions(hub) if a == "case-handed-over"]
    assert moved == [{"case": case_id, "from_device": worker.device_id,
                      "to_device": other_worker.device_id}]
    old_box.close()
    new_box.close()


def test_a_stale_base_is_stored_and_flagged_and_the_feed_says_so(hub: Hub,
                                                                outbox: FileOutbox) -> None:
    from firstcontact.sync.envelope import seal

    worker = enrol_device(hub)
    supervisor = enrol_device(hub, role="supervisor")
    case_id = pushed_case(hub, worker, outbox)  # revisions 1 and 2
    stale = seal(b"from a restored backup", case_id=case_id, rev=5, base_rev=1,
                 device_id=worker.device_id, org_key=worker.enrolment.org_key,
                 signing_key=worker.keys.signing_key)
    outbox.add(stale)
    with client(worker, outbox, hub.url) as sync:
        assert sync.push().pushed == 1
    with session(supervisor, hub) as s:
        items, _next = s.feed(0, 500)
    flags = [i.flag for i in items if i.device_id == worker.device_id]
    assert flags == [None, None, "stale-base"]
    assert all(i.worker == "Test Worker" for i in items if i.device_id == worker.device_id)


def test_devices_retire_revoke_and_a_signed_wipe_order(hub: Hub, outbox: FileOutbox) -> None:
    worker = enrol_device(hub)
    retiring = enrol_device(hub)
    pushed_case(hub, worker, outbox)
    with session(worker, hub) as s:
        s.records(0, pending=7)
    code, out, _ = hub_cli(hub, "devices", "--json")
    rows = {r["device_id"]: r for r in json.loads(out)}
    assert code == 0 and rows[worker.device_id]["pending_count"] == 7
    assert rows[worker.device_id]["last_seen_at"] and rows[worker.device_id]["state"] == "active"
    assert "envelope" not in out and "Authorization" not in out

    # Retired: accepted until the date, then refused with its own reason.
    assert hub_cli(hub, "retire", retiring.device_id, "--days", "2")[0] == 0
    with session(retiring, hub) as s:
        s.records(0)  # still accepted
    hub_config = config.load(hub.data_dir, hub.db_url)
    db = Database(hub_config.db_url)
    try:
        device_admin.retire(db, lambda: utc_now() - timedelta(days=3), retiring.device_id, 1)
    finally:
        db.dispose()
    with session(retiring, hub) as s, pytest.raises(HubRefused) as retired:
        s.records(0)
    assert retired.value.code == "device-retired"

    # Revoked with a wipe order: every request refused, the order signed by the hub's key.
    code, out, _ = hub_cli(hub, "revoke", worker.device_id[:8], "--wipe")
    assert code == 0 and "never reconnects" in out
    with session(worker, hub) as s, pytest.raises(HubRefused) as revoked:
        s.records(0)
    assert revoked.value.code == "device-revoked"
    order = verify_doc(verify_key_from_bytes(worker.enrolment.hub_key), WIPE_ORDER,
                       revoked.value.answer["wipe_order"])
    assert order["order"] == "wipe" and order["device_id"] == worker.device_id
    with pytest.raises(SignedError):  # not a settings document, whatever it says
        verify_doc(verify_key_from_bytes(worker.enrolment.hub_key), SETTINGS,
                   revoked.value.answer["wipe_order"])
    answer = httpx.post(hub.url + "/v1/envelopes", json={"envelopes": ["AAAA"]},
                        headers={"Authorization": f"Bearer {worker.enrolment.token}"})
    assert answer.status_code == 401 and answer.json()["error"] == "device-revoked"
    actions = [a for a, _d in audit_actions(hub)]
    assert {"device-retired", "device-revoked", "wipe-ordered", "wipe-delivered"} <= set(actions)
    code, out, _ = hub_cli(hub, "devices")
    assert "wipe ordered" in out


def test_settings_are_signed_by_the_hub_and_sent_with_records(hub: Hub) -> None:
    worker = enrol_device(hub)
    code, out, err = hub_cli(hub, "settings", "--purge-after", "30")
    assert code == 0 and "30 days" in out, err
    with session(worker, hub) as s:
        page = s.records(0)
    doc = verify_doc(verify_key_from_bytes(worker.enrolment.hub_key), SETTINGS, page.settings)
    assert doc["purge_after_days"] == 30
    assert hub_cli(hub, "settings", "--purge-after", "-1")[0] == 1
    code, out, _ = hub_cli(hub, "settings", "--no-purge", "--json")
    assert json.loads(out)["purge_after_days"] is None
    code, out, _ = hub_cli(hub, "status", "--json")
    assert json.loads(out)["purge_after_days"] is None
