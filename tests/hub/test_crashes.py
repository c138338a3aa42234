"""kill -9 of the hub, and of the client, in the middle of a push."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from firstcontact.sync.client import PushSummary
from firstcontact.sync.wire import b64e
from tests.hub.conftest import new_hub
from tests.hub.file_outbox import FileOutbox
from tests.hub.proxy import FaultProxy
from tests.hub.support import Hub, assert_consistent, assert_exactly_once, client, enrol_device

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_hub(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[Hub]:
    hub = new_hub(request, backend, tmp_path)
    hub.start()
    yield hub
    hub.stop()


def test_hub_killed_mid_push_and_restarted(own_hub: Hub, outbox: FileOutbox) -> None:
    device = enrol_device(own_hub)
    outbox.add_all(device.seal_cases(cases=20, revisions=2))
    proxy = FaultProxy(own_hub.port)
    proxy.add_fault("hold")
    result: list[PushSummary] = []
    pusher = threading.Thread(target=lambda: result.append(
        client(device, outbox, proxy.url).push()))
    pusher.start()
    assert proxy.held.wait(30)
    own_hub.kill9()  # the first batch is committed; its answer never left the hub's side
    own_hub.start()  # on a new port: the laptop reaches it through the same address
    proxy.upstream_port = own_hub.port
    proxy.release()
    pusher.join(60)
    proxy.close()
    assert result and result[0].pending == 0
    assert result[0].pushed + result[0].duplicates == 40
    assert_exactly_once(own_hub, device, outbox)


def test_client_killed_mid_push_resumes_without_resending(hub: Hub, outbox: FileOutbox,
                                                          proxy: FaultProxy) -> None:
    device = enrol_device(hub)
    sealed = device.seal_cases(cases=15, revisions=2)
    outbox.add_all(sealed)
    proxy.add_fault("pass")  # the first batch goes through and is acknowledged
    proxy.add_fault("hold")  # the second is stored by the hub, its answer held
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.hub.push_worker", str(outbox.path), proxy.url,
         device.enrolment.token, b64e(device.enrolment.hub_key)], cwd=REPO,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proxy.held.wait(30)
    worker.kill()
    worker.wait()
    proxy.release()
    assert_consistent(hub, device, outbox)
    acked_before = outbox.acked_ids()
    assert acked_before == {s.envelope_id for s in sealed[:10]}
    assert len(hub.pairs(device.device_id)) == 20

    resumed_from = len(proxy.requests)
    with client(device, outbox, proxy.url) as sync:
        summary = sync.push()
    # The second batch is found on the hub by the status call, not sent again.
    assert summary.duplicates == 10 and summary.pushed == 10 and summary.pending == 0
    assert_exactly_once(hub, device, outbox)
    sent_again = set(proxy.sent_envelope_ids(resumed_from))
    assert sent_again == {s.envelope_id for s in sealed[20:]}
    assert not sent_again & acked_before
