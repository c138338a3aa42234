"""The network does its worst between a laptop and the hub: after each fault the hub holds each
(case, revision) exactly once, every local revision is acknowledged or still pending, and
nothing acknowledged is sent again."""

from __future__ import annotations

import threading

import pytest

from tests.hub.file_outbox import FileOutbox
from tests.hub.proxy import FaultProxy
from tests.hub.support import Hub, assert_exactly_once, client, enrol_device

# Each fault hits the first push request; the client must retry through it.
FAULTS = ["cut-mid-request", "cut-after-commit", "500-before", "500-after", "reset", "portal"]


@pytest.mark.parametrize("fault", FAULTS)
def test_push_through_fault_stores_each_revision_once(hub: Hub, proxy: FaultProxy,
                                                     outbox: FileOutbox, fault: str) -> None:
    device = enrol_device(hub)
    outbox.add_all(device.seal_cases(cases=6, revisions=2))
    proxy.add_fault(fault, times=2)
    with client(device, outbox, proxy.url) as sync:
        summary = sync.push()
    assert proxy.faults_left() == 0
    assert summary.pending == 0 and summary.quarantined == 0
    assert summary.pushed + summary.duplicates == 12
    assert_exactly_once(hub, device, outbox)
    resent_from = len(proxy.requests)
    with client(device, outbox, proxy.url) as sync:
        again = sync.push()
    assert again.pushed == again.duplicates == 0
    assert proxy.sent_envelope_ids(resent_from) == []


def test_fault_after_commit_is_acknowledged_from_the_hubs_copy(
        hub: Hub, proxy: FaultProxy, outbox: FileOutbox) -> None:
    device = enrol_device(hub)
    outbox.add_all(device.seal_cases(cases=3, revisions=1))
    proxy.add_fault("cut-after-commit")
    with client(device, outbox, proxy.url) as sync:
        summary = sync.push()
    # The hub committed the first try; the retry finds the same bytes there.
    assert summary.duplicates == 3 and summary.pushed == 0
    assert_exactly_once(hub, device, outbox)


def test_timeout_is_retried_without_a_second_copy(hub: Hub, proxy: FaultProxy,
                                                  outbox: FileOutbox) -> None:
    device = enrol_device(hub)
    outbox.add_all(device.seal_cases(cases=4, revisions=2))
    proxy.add_fault("timeout")
    with client(device, outbox, proxy.url, timeout=0.5) as sync:
        summary = sync.push()
    assert proxy.faults_left() == 0 and summary.pending == 0
    assert_exactly_once(hub, device, outbox)


def test_unreachable_hub_leaves_everything_pending(hub: Hub, proxy: FaultProxy,
                                                   outbox: FileOutbox) -> None:
    from firstcontact.sync.errors import HubUnreachable

    device = enrol_device(hub)
    outbox.add_all(device.seal_cases(cases=2, revisions=1))
    proxy.add_fault("500-before", path="/v1/envelopes/status", times=50)
    with client(device, outbox, proxy.url, retries=3) as sync, \
            pytest.raises(HubUnreachable, match="could not be reached"):
        sync.push()
    assert set(outbox.states().values()) == {"pending"}
    assert hub.pairs(device.device_id) == {}


def test_ten_concurrent_copies_of_one_batch(hub: Hub, tmp_path) -> None:
    device = enrol_device(hub)
    sealed = device.seal_cases(cases=5, revisions=3)
    outboxes = [FileOutbox(tmp_path / f"copy{i}.db") for i in range(10)]
    for box in outboxes:
        box.add_all(sealed)
    barrier = threading.Barrier(10)
    summaries = []

    def push(box: FileOutbox) -> None:
        with client(device, box, hub.url, batch_count=15) as sync:
            barrier.wait()
            summaries.append(sync.push())

    threads = [threading.Thread(target=push, args=(box,)) for box in outboxes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(summaries) == 10
    assert sum(s.pushed for s in summaries) == 15
    assert sum(s.duplicates for s in summaries) == 9 * 15
    receipts = [box._db.execute("SELECT envelope_id, receipt FROM outbox ORDER BY ord")
                .fetchall() for box in outboxes]
    for box in outboxes:
        assert_exactly_once(hub, device, box)
        box.close()
    # Every copy was told the same hub sequence numbers.
    from firstcontact.sync.receipt import Receipt
    seqs = [[Receipt.from_bytes(r).hub_seq for _, r in rows] for rows in receipts]
    assert all(s == seqs[0] for s in seqs)


@pytest.mark.parametrize("days", [3, -3])
def test_clock_moved_three_days(hub: Hub, proxy: FaultProxy, outbox: FileOutbox,
                                days: int) -> None:
    from datetime import UTC, datetime, timedelta

    device = enrol_device(hub)
    moved = datetime.now(UTC) + timedelta(days=days)
    outbox.add_all(device.seal_cases(cases=3, revisions=2, now=moved))
    proxy.add_fault("cut-after-commit")
    with client(device, outbox, proxy.url) as sync:
        summary = sync.push()
    assert summary.pending == 0
    assert_exactly_once(hub, device, outbox)


def test_a_clash_is_kept_beside_flagged_and_a_conflict_is_quarantined(
        hub: Hub, outbox: FileOutbox, tmp_path) -> None:
    from firstcontact.sync.envelope import seal

    device = enrol_device(hub)
    first = device.seal_cases(cases=1, revisions=1)
    other = FileOutbox(tmp_path / "other.db")
    other.add_all(first)
    with client(device, other, hub.url) as sync:
        sync.push()
    case_id = first[0].header.case_id
    # The same case and revision sealed again (a restored backup): other bytes. Kept beside
    # the first, flagged for a supervisor to decide — never refused, never overwritten.
    clash = seal(b"different", case_id=case_id, rev=1, base_rev=0,
                 device_id=device.device_id, org_key=device.enrolment.org_key,
                 signing_key=device.keys.signing_key)
    outbox.add(clash)
    # Another laptop's envelope for a case it does not own: refused and quarantined.
    intruder = enrol_device(hub)
    stolen = seal(b"not mine", case_id=case_id, rev=2, base_rev=1,
                  device_id=intruder.device_id, org_key=intruder.enrolment.org_key,
                  signing_key=intruder.keys.signing_key)
    intruder_box = FileOutbox(tmp_path / "intruder.db")
    intruder_box.add(stolen)
    intruder_box.add_all(intruder.seal_cases(cases=2, revisions=1))
    with client(device, outbox, hub.url) as sync:
        summary = sync.push()
    assert summary.pushed == 1 and summary.quarantined == 0 and summary.pending == 0
    with client(intruder, intruder_box, hub.url) as sync:
        summary = sync.push()
    assert summary.quarantined == 1 and summary.pushed == 2 and summary.pending == 0
    assert intruder_box.reasons() == {stolen.envelope_id: "not-owner"}
    assert hub.pairs(device.device_id) == {(case_id, 1): 2}
    flags = hub.flags(case_id)
    assert flags == {first[0].envelope_id: None, clash.envelope_id: "revision-clash"}
    other.close()
    intruder_box.close()


def test_a_tampered_envelope_is_refused_by_its_signature(hub: Hub, outbox: FileOutbox) -> None:
    from firstcontact.sync.envelope import SealedEnvelope

    device = enrol_device(hub)
    good, victim = device.seal_cases(cases=2, revisions=1)
    flipped = bytearray(victim.data)
    flipped[len(flipped) // 2] ^= 0x01
    outbox.add(good)
    outbox.add(SealedEnvelope(victim.header, bytes(flipped)))
    with client(device, outbox, hub.url) as sync:
        summary = sync.push()
    assert summary.pushed == 1 and summary.quarantined == 1
    assert outbox.reasons() == {victim.envelope_id: "bad-signature"}
    assert set(hub.pairs(device.device_id)) == {(good.header.case_id, 1)}


def test_another_devices_envelope_is_refused(hub: Hub, outbox: FileOutbox) -> None:
    device, thief = enrol_device(hub), enrol_device(hub)
    outbox.add_all(device.seal_cases(cases=1, revisions=1))
    # Sent with another device's token: the signature is not that device's.
    with client(thief, outbox, hub.url) as sync:
        summary = sync.push()
    assert summary.quarantined == 1
    assert hub.pairs(thief.device_id) == {} and hub.pairs(device.device_id) == {}


def test_a_login_page_200_is_never_an_acknowledgement(hub: Hub, proxy: FaultProxy,
                                                      outbox: FileOutbox) -> None:
    from firstcontact.sync.errors import HubUnreachable

    device = enrol_device(hub)
    outbox.add_all(device.seal_cases(cases=2, revisions=1))
    proxy.add_fault("portal", path="/v1/envelopes/status", times=10)
    with client(device, outbox, proxy.url, retries=2) as sync, pytest.raises(HubUnreachable):
        sync.push()
    assert set(outbox.states().values()) == {"pending"}


@pytest.mark.parametrize("days", [3, -3])
def test_hub_clock_moved_three_days(hub: Hub, outbox: FileOutbox, days: int) -> None:
    """The hub's own clock off by days: receipts still count (the client never judges times),
    and the next push sends nothing again."""
    from datetime import UTC, datetime, timedelta

    from fastapi.testclient import TestClient

    from firstcontact.hub.api import create_app
    from firstcontact.hub.config import load
    from firstcontact.hub.db import Database
    from firstcontact.sync.client import SyncClient

    device = enrol_device(hub)
    outbox.add_all(device.seal_cases(cases=3, revisions=2))
    hub_config = load(hub.data_dir, hub.db_url)
    db = Database(hub_config.db_url)
    moved = create_app(hub_config, db, clock=lambda: datetime.now(UTC) + timedelta(days=days))
    with TestClient(moved) as http:
        for _ in range(2):
            summary = SyncClient(device.link("http://testserver"), outbox, http=http).push()
    db.dispose()
    assert summary.pushed == summary.duplicates == summary.pending == 0
    assert_exactly_once(hub, device, outbox)
    offsets = [datetime.fromisoformat(r.stored_at) - datetime.now(UTC) for r in _receipts(outbox)]
    assert len(offsets) == 6
    assert all(abs(offset - timedelta(days=days)) < timedelta(minutes=10) for offset in offsets)


def _receipts(outbox: FileOutbox) -> list:  # type: ignore[type-arg]
    from firstcontact.sync.receipt import Receipt

    return [Receipt.from_bytes(row[0]) for row in
            outbox._db.execute("SELECT receipt FROM outbox WHERE state = 'acked'")]
