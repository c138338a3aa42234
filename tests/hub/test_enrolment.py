"""Enrolment: a one-time code (60-bit secret, single use, 24 h, 5 tries) for a device id, a
token the hub keeps only hashed, the organisation key to compare and the hub key to pin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from firstcontact.hub import enrolment
from firstcontact.hub.config import load
from firstcontact.hub.db import Database
from firstcontact.hub.errors import HubError
from firstcontact.hub.models import devices
from firstcontact.sync.enrol import enrol
from firstcontact.sync.errors import HubRefused, HubUnreachable
from firstcontact.sync.keys import DeviceKeys
from tests.hub.support import Hub


def test_enrol_returns_keys_to_pin_and_the_hub_keeps_only_a_token_hash(hub: Hub) -> None:
    keys = DeviceKeys.generate()
    done = enrol(hub.url, hub.issue_code(worker="Amira Khan", role="supervisor"), keys)
    assert done.role == "supervisor" and done.worker == "Amira Khan"
    assert done.org_fingerprint == hub.org_key().public.fingerprint()
    hub_config = load(hub.data_dir, hub.db_url)
    assert done.hub_key == hub_config.hub_key_raw
    db = Database(hub.database_url)
    with db.read() as conn:
        row = conn.execute(select(devices).where(devices.c.device_id == done.device_id)).one()
    db.dispose()
    assert row.token_hash == enrolment.token_hash(done.token) and done.token not in str(row)
    assert row.verify_key == keys.verify_raw
    assert row.receiving_key == keys.receiving.public.raw  # for the supervisors' issue
    assert done.token not in hub.log_path.read_text()


def test_a_code_works_once(hub: Hub) -> None:
    code = hub.issue_code()
    enrol(hub.url, code, DeviceKeys.generate())
    with pytest.raises(HubRefused, match="already used") as refused:
        enrol(hub.url, code, DeviceKeys.generate())
    assert refused.value.code == "code-used"


def test_five_wrong_tries_void_the_code(hub: Hub) -> None:
    code = hub.issue_code()
    wrong = code[:4] + ("2" if code[4] != "2" else "3") + code[5:]
    for _ in range(enrolment.MAX_TRIES):
        with pytest.raises(HubRefused, match="not right"):
            enrol(hub.url, wrong, DeviceKeys.generate())
    with pytest.raises(HubRefused) as refused:
        enrol(hub.url, code, DeviceKeys.generate())
    assert refused.value.code == "code-locked"


def test_a_code_is_typed_forgivingly(hub: Hub) -> None:
    code = hub.issue_code()
    typed = " " + "-".join(code[i:i + 4] for i in range(0, 16, 4)).lower() + " "
    assert enrol(hub.url, typed, DeviceKeys.generate()).device_id


def test_a_code_expires_after_24_hours(tmp_path: Path) -> None:
    hub = Hub(tmp_path / "hub")
    hub.init()
    db = Database(hub.database_url)
    issued = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    code = enrolment.issue_code(db, lambda: issued, "Ann", "worker")
    keys = DeviceKeys.generate()
    later = issued + timedelta(hours=24, seconds=1)
    with pytest.raises(HubError) as refused:
        enrolment.redeem(db, lambda: later, code, keys.verify_raw, keys.receiving.public.raw)
    assert refused.value.error == "code-expired"
    in_time = issued + timedelta(hours=23, minutes=59)
    assert enrolment.redeem(db, lambda: in_time, code, keys.verify_raw,
                            keys.receiving.public.raw).device_id
    db.dispose()


def test_codes_carry_sixty_random_bits(tmp_path: Path) -> None:
    hub = Hub(tmp_path / "hub")
    hub.init()
    codes = {hub.issue_code() for _ in range(30)}
    assert len(codes) == 30 and all(len(c) == 16 for c in codes)
    # Every position of the secret takes many of the 32 symbols: no fixed parts.
    for position in range(4, 16):
        assert len({c[position] for c in codes}) > 8


def test_not_a_hub_is_unreachable_not_an_answer(hub: Hub) -> None:
    def portal(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, html="<html>Sign in to the Wi-Fi</html>")

    with pytest.raises(HubUnreachable):
        enrol("https://hub.example", "AAAA-BBBB-CCCC-DDDD", DeviceKeys.generate(),
              http=httpx.Client(transport=httpx.MockTransport(portal)))
    with pytest.raises(HubRefused, match="https://"):
        enrol("hub.example", "AAAA-BBBB-CCCC-DDDD", DeviceKeys.generate())
