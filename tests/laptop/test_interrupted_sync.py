"""A sync cut short: the command line killed -9 mid-push, the hub out of reach. Nothing is
lost, nothing acknowledged is sent again, and the device token shows up nowhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from firstcontact.app.workspace import Workspace
from firstcontact.sync.wire import STATUS_PATH
from tests.conftest import PASSPHRASE
from tests.hub.proxy import FaultProxy
from tests.hub.support import Hub

REPO = Path(__file__).resolve().parents[2]


def as_json(cli, *argv: str):
    code, out, err = cli(*argv, "--json")
    assert code == 0, err
    return json.loads(out)


def new_case(cli, note: str) -> str:
    ref = cli("case", "new")[1].strip()
    assert cli("case", "note", ref, note)[0] == 0
    return ref


def test_cli_killed_mid_push_loses_nothing_and_resends_nothing(cli, hub: Hub,
                                                               proxy: FaultProxy, data_dir):
    # enrolled through the proxy: the laptop's hub address is the proxy's
    assert cli("sync", "enrol", proxy.url, hub.issue_code(), "--yes")[0] == 0
    first = [new_case(cli, f"first visit {i}") for i in range(3)]
    assert as_json(cli, "sync")["pushed"] == 3
    acknowledged_before = set(proxy.sent_envelope_ids())
    assert len(acknowledged_before) == 3

    for ref in first[:2]:
        assert cli("case", "note", ref, "changed offline")[0] == 0
    later = [new_case(cli, f"second round {i}") for i in range(3)]
    proxy.add_fault("hold")  # the hub stores the next push; its answer never comes back
    start = len(proxy.requests)
    worker = subprocess.Popen(
        [sys.executable, "-m", "firstcontact.cli.main", "--data-dir", str(data_dir), "sync"],
        cwd=REPO, env={**os.environ, "FIRSTCONTACT_PASSPHRASE": PASSPHRASE},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proxy.held.wait(60), worker.stderr.read() if worker.poll() is not None else ""
    finally:
        worker.kill()
        worker.wait()
        worker.stdout.close()
        worker.stderr.close()
    proxy.release()
    on_hub = proxy.sent_envelope_ids(start)
    assert len(on_hub) == 5  # two changed cases and three new ones reached the hub

    status = as_json(cli, "sync", "status")
    device_id = status["device_id"]
    # locally nothing is lost: the five are still waiting, never marked acknowledged
    assert status["envelopes"] == {"pending": 5, "acknowledged": 3, "quarantined": 0}
    assert {as_json(cli, "case", "show", r)["sync"]["state"] for r in first[:2] + later} \
        == {"pending"}

    resumed_from = len(proxy.requests)
    assert as_json(cli, "sync") == {"pushed": 0, "duplicates": 5, "pending": 0,
                                    "quarantined": 0}
    assert proxy.sent_envelope_ids(resumed_from) == []  # found by the status call, not resent
    assert not set(proxy.sent_envelope_ids(start)) & acknowledged_before
    held = hub.pairs(device_id)
    assert len(held) == 8 and set(held.values()) == {1}
    rows = as_json(cli, "case", "list")
    assert {r["sync_state"] for r in rows} == {"synced"}
    revisions = {(r["case_id"], as_json(cli, "case", "show", r["reference"])["sync"]["revision"])
                 for r in rows}
    assert revisions <= set(held)


def test_unreachable_hub_is_one_line_and_the_token_is_nowhere(cli, hub: Hub, proxy: FaultProxy,
                                                             data_dir, capsys):
    outputs = []

    def run(*argv: str) -> tuple[int, str, str]:
        result = cli(*argv)
        outputs.append(result[1] + result[2])
        return result

    assert run("sync", "enrol", proxy.url, hub.issue_code(), "--yes")[0] == 0
    new_case(cli, "a visit")
    proxy.add_fault("portal", STATUS_PATH, times=10)  # a Wi-Fi login page, not the hub
    code, _out, err = run("sync")
    assert code == 1, (_out, [(q.method, q.path) for q in proxy.requests])
    assert code == 1
    assert "could not be reached" in err and "nothing is lost" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    status = as_json(cli, "sync", "status")
    assert status["cases"]["pending"] == 1 and status["last_result"] == {"error": "unreachable"}
    proxy.close()  # now nothing answers at all
    code, _out, err = run("sync")
    assert code == 1 and "could not be reached" in err
    run("sync", "status", "--json")
    run("sync", "status")
    run("audit", "--json")

    ws = Workspace.unlock(data_dir, PASSPHRASE)
    try:
        device = ws._ctx.store.sync_device()
        assert device is not None
        token = device.token
        assert token not in repr(device) and token not in repr(ws.sync.status())
        failure = None
        try:
            ws.sync.push(retries=0)
        except Exception as exc:
            failure = exc
        assert failure is not None and token not in str(failure) and token not in repr(failure)
        audit = json.dumps([e.__dict__ for e in ws.queries.audit_events()])
    finally:
        ws.close()
    assert token not in audit
    assert all(token not in text for text in outputs)
    for path in data_dir.iterdir():  # the log, if any, and every other file of the store
        assert token.encode() not in path.read_bytes(), path.name
    assert token.encode() not in hub.log_path.read_bytes()
