"""The hub holds ciphertext only: a canary in a case's notes is in none of the hub's database
file (and WAL), pg_dump, its logs or its audit, while the organisation key still opens it.
And: only a device token opens the API; only supervisors read the feed."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select, update

from firstcontact.hub.models import audit, devices
from firstcontact.sync.envelope import open_envelope
from firstcontact.sync.keys import verify_key_from_bytes
from firstcontact.sync.wire import b64d
from tests.hub.file_outbox import FileOutbox
from tests.hub.support import Hub, client, enrol_device

CANARY = "Zebedee-Quartermaine-CANARY-7731 LS6 2QT"


def _variants(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.lower().encode("utf-8"),
            json.dumps(text).encode("utf-8")]


def test_canary_never_reaches_the_hub_in_clear(hub: Hub, outbox: FileOutbox,
                                               pg_cluster: object, tmp_path: Path) -> None:
    worker = enrol_device(hub)
    notes = json.dumps({"answers": {"name": CANARY}, "notes": [f"Met {CANARY} at the shelter"]})
    outbox.add_all(worker.seal_cases(cases=2, revisions=2, text=notes.encode()))
    with client(worker, outbox, hub.url) as sync:
        assert sync.push().pushed == 4
    supervisor = enrol_device(hub, role="supervisor")
    feed = httpx.get(hub.url + "/v1/feed", params={"after": 0, "limit": 500},
                     headers={"Authorization": f"Bearer {supervisor.enrolment.token}"}).json()
    mine = [e for e in feed["envelopes"] if e["device_id"] == worker.device_id]
    assert len(mine) == 4
    # Positive control: the organisation key (the IT lead's offline file) opens them.
    org_key = hub.org_key()
    for item in mine:
        opened = open_envelope(b64d(item["envelope"]), org_key,
                               verify_key_from_bytes(b64d(item["verify_key"])))
        assert CANARY in opened.plaintext.decode()

    places: dict[str, bytes] = {"log": hub.log_path.read_bytes()}
    if hub.db_url is None:
        for path in hub.data_dir.iterdir():
            places[path.name] = path.read_bytes()
        assert "hub.db" in places
    else:
        assert not isinstance(pg_cluster, str)
        places["pg_dump"] = pg_cluster.dump(hub.db_url.rsplit("/", 1)[1])  # type: ignore[attr-defined]
        assert b"hub_envelopes" in places["pg_dump"]
    engine = create_engine(hub.database_url)
    with engine.connect() as conn:
        places["audit"] = json.dumps([list(map(str, row)) for row in
                                      conn.execute(select(audit))]).encode()
    engine.dispose()
    for name, content in places.items():
        for variant in _variants(CANARY):
            assert variant not in content, f"canary found in {name}"


def test_no_token_no_access(hub: Hub) -> None:
    for method, path in (("POST", "/v1/envelopes"), ("POST", "/v1/envelopes/status"),
                         ("GET", "/v1/feed")):
        for headers in ({}, {"Authorization": "Bearer not-a-token"},
                        {"Authorization": "Basic dXNlcjpwYXNz"}):
            answer = httpx.request(method, hub.url + path, headers=headers,
                                   json={"envelopes": ["AA=="]} if method == "POST" else None)
            assert answer.status_code == 401, (path, headers)
            assert answer.json()["protocol"] == "firstcontact-sync/1"


def test_a_revoked_device_is_told_so(hub: Hub, outbox: FileOutbox) -> None:
    from firstcontact.sync.errors import HubRefused

    device = enrol_device(hub)
    outbox.add_all(device.seal_cases(cases=1, revisions=1))
    engine = create_engine(hub.database_url)
    with engine.begin() as conn:
        conn.execute(update(devices).where(devices.c.device_id == device.device_id)
                     .values(state="revoked"))
    engine.dispose()
    with client(device, outbox, hub.url) as sync, pytest.raises(HubRefused) as refused:
        sync.push()
    assert refused.value.code == "device-revoked"
    assert set(outbox.states().values()) == {"pending"}


def test_only_supervisors_read_the_feed(hub: Hub) -> None:
    worker = enrol_device(hub)
    answer = httpx.get(hub.url + "/v1/feed",
                       headers={"Authorization": f"Bearer {worker.enrolment.token}"})
    assert answer.status_code == 403 and answer.json()["error"] == "not-supervisor"
