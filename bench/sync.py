"""Sync benchmark (brief §6: 1,000 records to a hub on loopback ≤ 5 s, resumable), with a
baseline in the same run: the same request bodies POSTed to a bare ASGI app that only reads
them (the raw HTTP round trips). Also: the time to resume after the client is killed -9.

    python bench/sync.py          # push + baseline + resume, SQLite hub
    python bench/sync.py --load   # 20 devices × 500 cases × 3 revisions at once, on SQLite and
                                  # PostgreSQL (a throwaway cluster): no 5xx, no "database is
                                  # locked", exact counts

The hub is the real one (`firstcontact-hub serve` in its own process, random port)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("FIRSTCONTACT_TEST_FAST_KDF", "1")

from _report import Report  # noqa: E402
from tests.hub import postgres  # noqa: E402
from tests.hub.file_outbox import FileOutbox  # noqa: E402
from tests.hub.postgres import free_port  # noqa: E402
from tests.hub.support import Device, Hub, enrol_device, run_cli  # noqa: E402

from firstcontact.sync.client import SyncClient  # noqa: E402
from firstcontact.sync.outbox import MemoryOutbox  # noqa: E402
from firstcontact.sync.wire import b64e  # noqa: E402

ENVELOPES = 1000
PLAINTEXT = 20_000
TARGET_S = 5.0
LOAD_DEVICES, LOAD_CASES, LOAD_REVS = 20, 500, 3

_BARE_APP = """
import sys, uvicorn
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"results":[]}'})
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


REPORT = Report("sync")


def sealed_outbox(device: Device, cases: int, revs: int, size: int) -> MemoryOutbox:
    text = (os.urandom(size // 2).hex()).encode()
    return MemoryOutbox([(s.envelope_id, s.data)
                         for s in device.seal_cases(cases, revs, text=text)])


def new_hub(base: Path, db_url: str | None = None) -> Hub:
    hub = Hub(base / f"hub-{uuid.uuid4().hex[:6]}", db_url)
    hub.init()
    hub.start()
    return hub


def baseline(bodies: list[bytes]) -> float:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", _BARE_APP, str(port)])
    try:
        with httpx.Client(timeout=30) as http:
            for _ in range(300):
                try:
                    http.get(f"http://127.0.0.1:{port}/")
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            start = time.perf_counter()
            for body in bodies:
                http.post(f"http://127.0.0.1:{port}/v1/envelopes", content=body,
                          headers={"Content-Type": "application/json"})
            return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait()


def push_bench(base: Path) -> None:
    hub = new_hub(base)
    try:
        device = enrol_device(hub)
        start = time.perf_counter()
        outbox = sealed_outbox(device, ENVELOPES, 1, PLAINTEXT)
        seal_s = time.perf_counter() - start
        sizes = [len(d) for d in outbox.data.values()]
        bodies: list[bytes] = []
        ids = outbox.pending_ids()
        step = 95  # what the client's 2 MiB batches hold of these envelopes
        for i in range(0, len(ids), step):
            bodies.append(json.dumps({"envelopes": [b64e(outbox.data[j])
                                                    for j in ids[i:i + step]]}).encode())
        raw_s = baseline(bodies)
        with SyncClient(device.link(), outbox) as client:
            start = time.perf_counter()
            summary = client.push()
            push_s = time.perf_counter() - start
        assert summary.pushed == ENVELOPES, summary
        assert summary.pending == 0, summary
        REPORT.add(f"seal {ENVELOPES} envelopes (~{sum(sizes) // len(sizes) // 1000} KB each)",
                   seal_s, "s")
        REPORT.add(f"push {ENVELOPES} envelopes to the hub (SQLite, receipts)", push_s, "s",
                   at_most=TARGET_S, baseline=raw_s,
                   baseline_name=f"raw HTTP: {len(bodies)} POSTs of the same bytes",
                   source="brief §6, issue 13")
        resume_bench(hub, device, base)
    finally:
        hub.stop()


def resume_bench(hub: Hub, device: Device, base: Path) -> None:
    outbox = FileOutbox(base / "resume-outbox.db")
    text = os.urandom(PLAINTEXT // 2).hex().encode()
    outbox.add_all(device.seal_cases(ENVELOPES, 1, text=text))
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.hub.push_worker", str(outbox.path), hub.url,
         device.enrolment.token, b64e(device.enrolment.hub_key)], cwd=REPO,
        stdout=subprocess.DEVNULL)
    probe = sqlite3.connect(outbox.path)
    while probe.execute("SELECT count(*) FROM outbox WHERE state='acked'").fetchone()[0] < 300:
        time.sleep(0.01)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    probe.close()
    before = len(outbox.acked_ids())
    with SyncClient(device.link(), outbox) as client:
        start = time.perf_counter()
        summary = client.push()
        resume_s = time.perf_counter() - start
    assert summary.pending == 0
    REPORT.add(f"resume after kill -9 ({before} acked, {summary.duplicates} on hub not acked)",
               resume_s, "s")
    outbox.close()


def load_run(base: Path, label: str, db_url: str | None) -> bool:
    hub = new_hub(base, db_url)
    try:
        devices = [enrol_device(hub) for _ in range(LOAD_DEVICES)]
        start = time.perf_counter()
        outboxes = [sealed_outbox(d, LOAD_CASES, LOAD_REVS, 600) for d in devices]
        seal_s = time.perf_counter() - start
        server_errors: list[int] = []
        failures: list[str] = []

        def watch(response: httpx.Response) -> None:
            if response.status_code >= 500:
                server_errors.append(response.status_code)

        def push(device: Device, outbox: MemoryOutbox) -> None:
            http = httpx.Client(timeout=60, event_hooks={"response": [watch]})
            try:
                with SyncClient(device.link(), outbox, http=http) as client:
                    client.push()
            except Exception as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
            finally:
                http.close()

        threads = [threading.Thread(target=push, args=pair) for pair in zip(devices, outboxes,
                                                                            strict=True)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        load_s = time.perf_counter() - start
        code, out, _ = run_cli("--data-dir", str(hub.data_dir),
                               *(["--db", db_url] if db_url else []), "status", "--json")
        status = json.loads(out)
        expected = LOAD_DEVICES * LOAD_CASES * LOAD_REVS
        locked = "database is locked" in hub.log_path.read_text()
        acked = sum(len(o.acked) for o in outboxes)
        ok = (not failures and not server_errors and not locked and code == 0
              and status["envelopes"] == expected == acked
              and status["cases"] == LOAD_DEVICES * LOAD_CASES)
        REPORT.add(f"load {label}: seal {expected} envelopes", seal_s, "s")
        REPORT.add(f"load {label}: {LOAD_DEVICES} devices × {LOAD_CASES} cases × {LOAD_REVS} "
                   f"revs ({expected / load_s:.0f}/s)", load_s, "s")
        REPORT.note(f"load {label}: the hub holds {status['envelopes']} envelopes, "
                    f"{status['cases']} cases; 5xx: {len(server_errors)}; locked: {locked}; "
                    + ("exact, none lost or doubled" if ok else f"WRONG {failures[:3]}"))
        return ok
    finally:
        hub.stop()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--load", action="store_true", help="the 20-device load run instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fc-bench-sync-") as tmp:
        base = Path(tmp)
        if not args.load:
            push_bench(base)
            return REPORT.done()
        ok = load_run(base, "SQLite", None)
        cluster = postgres.start()
        if isinstance(cluster, str):
            REPORT.note(f"load PostgreSQL skipped: {cluster}")
        else:
            try:
                ok = load_run(base, "PostgreSQL", cluster.create_database("bench_load")) and ok
            finally:
                cluster.stop()
        REPORT.done()
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
