"""A long sync under injected faults (brief §5.5 at full size): round after round, a laptop
adds new cases and new revisions of old ones to its outbox and pushes them to a real hub
(`firstcontact-hub serve`, SQLite, loopback) through the fault-injecting proxy of the hub
tests, which cuts, resets, times out, answers 500 or a Wi-Fi login page; some rounds the client
is killed -9 mid-push (a process of its own), some the hub is killed -9 and restarted. After
every round: nothing on the hub twice, every local revision acknowledged or still pending,
and no acknowledged envelope sent again. At the end a clean push: the hub holds every (case,
revision) exactly once and every one is acknowledged."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from firstcontact.sync.envelope import SealedEnvelope, seal
from firstcontact.sync.errors import HubUnreachable
from firstcontact.sync.wire import b64e
from tests.hub.file_outbox import FileOutbox
from tests.hub.proxy import FaultProxy
from tests.hub.support import Device, Hub, client, enrol_device

REPO = Path(__file__).resolve().parents[2]
FAULTS = ("cut-mid-request", "cut-after-commit", "500-before", "500-after", "reset", "portal",
          "timeout")


@dataclass
class Outcome:
    rounds: int = 0
    envelopes: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    client_kills: int = 0
    hub_kills: int = 0
    gave_up: int = 0  # pushes that stopped while the hub was down (what they held stays pending)
    resent_after_ack: int = 0
    problems: list[str] = field(default_factory=list)


def _new_revisions(device: Device, revs: dict[str, int], rng: random.Random,
                   count: int) -> list[SealedEnvelope]:
    sealed = []
    for _ in range(count):
        # a new revision of a case already synced or queued, or a new case
        case_id = rng.choice(list(revs)) if revs and rng.random() < 0.4 else str(uuid.uuid4())
        rev = revs.get(case_id, 0) + 1
        revs[case_id] = rev
        sealed.append(seal(b"soak " * rng.randint(10, 400) + f"r{rev}".encode(),
                           case_id=case_id, rev=rev, base_rev=rev - 1,
                           device_id=device.device_id, org_key=device.enrolment.org_key,
                           signing_key=device.keys.signing_key))
    return sealed


def _acked(outbox: FileOutbox) -> int:
    with sqlite3.connect(outbox.path) as probe:
        return int(probe.execute("SELECT count(*) FROM outbox WHERE state='acked'").fetchone()[0])


def _kill_client_mid_push(device: Device, outbox: FileOutbox, proxy: FaultProxy,
                          rng: random.Random) -> None:
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.hub.push_worker", str(outbox.path), proxy.url,
         device.enrolment.token, b64e(device.enrolment.hub_key)], cwd=REPO,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    before = _acked(outbox)
    deadline = time.monotonic() + rng.uniform(0.3, 3.0)
    while time.monotonic() < deadline and worker.poll() is None and _acked(outbox) == before:
        time.sleep(0.02)
    worker.kill()
    worker.wait()


def _push(device: Device, outbox: FileOutbox, proxy: FaultProxy, outcome: Outcome) -> None:
    acked_before = outbox.acked_ids()
    since = len(proxy.requests)
    try:
        with client(device, outbox, proxy.url, timeout=2.0, retries=60) as sync:
            sync.push()
    except HubUnreachable:  # the hub was down longer than the retries last: as the app does,
        outcome.gave_up += 1  # stop; the revisions stay pending for the next push
    again = set(proxy.sent_envelope_ids(since)) & acked_before
    outcome.resent_after_ack += len(again)
    if again:
        outcome.problems.append(f"{len(again)} acknowledged envelopes were sent again")


def _consistent(hub: Hub, device: Device, outbox: FileOutbox, outcome: Outcome) -> None:
    held = hub.pairs(device.device_id)
    states = outbox.states()
    if set(held.values()) - {1}:
        outcome.problems.append("the hub holds a (case, revision) twice")
    if set(held) - set(states):
        outcome.problems.append("the hub holds a revision the laptop never made")
    if set(states.values()) - {"acked", "pending"}:
        outcome.problems.append(f"revisions neither acknowledged nor pending: "
                                f"{Counter(states.values())}")
    if any(pair not in held for pair, state in states.items() if state == "acked"):
        outcome.problems.append("an acknowledged revision is missing from the hub")


def run(base: Path, rounds: int, per_round: int, rng: random.Random,
        say: Callable[[str], None] = print) -> Outcome:
    hub = Hub(base / "hub")
    hub.init()
    hub.start()
    proxy = FaultProxy(hub.port)
    outbox = FileOutbox(base / "outbox.db")
    outcome = Outcome()
    started = time.monotonic()
    try:
        device = enrol_device(hub)
        revs: dict[str, int] = {}
        for n in range(1, rounds + 1):
            sealed = _new_revisions(device, revs, rng, per_round)
            outbox.add_all(sealed)
            outcome.envelopes += len(sealed)
            for fault in rng.sample(FAULTS, rng.randint(1, 3)):
                proxy.add_fault(fault)
                outcome.faults[fault] += 1
            roll = rng.random()
            if roll < 0.15:
                _kill_client_mid_push(device, outbox, proxy, rng)
                outcome.client_kills += 1
            elif roll < 0.25:  # the hub dies mid-push and comes back on another port
                pusher = threading.Thread(target=_push, args=(device, outbox, proxy, outcome))
                pusher.start()
                time.sleep(rng.uniform(0.0, 0.5))
                hub.kill9()
                hub.start()
                proxy.upstream_port = hub.port
                outcome.hub_kills += 1
                pusher.join(300)
            else:
                _push(device, outbox, proxy, outcome)
            _consistent(hub, device, outbox, outcome)
            outcome.rounds = n
            if outcome.problems:
                break
            if n % 10 == 0:
                say(f"  round {n:>4}: {outcome.envelopes} envelopes, "
                    f"{sum(outcome.faults.values())} faults, {outcome.client_kills} client and "
                    f"{outcome.hub_kills} hub kills, {time.monotonic() - started:.0f} s")
        if not outcome.problems:
            while proxy.faults_left():  # faults meant for a round cut short by a kill
                _push(device, outbox, proxy, outcome)
            _push(device, outbox, proxy, outcome)
            held = hub.pairs(device.device_id)
            states = outbox.states()
            if set(held) != set(states) or set(held.values()) != {1}:
                outcome.problems.append("after the last push the hub does not hold every "
                                        "revision exactly once")
            if set(states.values()) != {"acked"}:
                outcome.problems.append(f"after the last push: {Counter(states.values())}")
    finally:
        proxy.close()
        outbox.close()
        hub.stop()
    return outcome
