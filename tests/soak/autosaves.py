"""Autosaves killed with -9 at random points (brief §5.3 at full size): a worker process
answers text fields of one case through the application layer; this process reads its
acknowledgements and kills it at a random one (or after a random short while), then checks
the store: every acknowledged answer is there (or a later one), both integrity checks pass,
and the case list's summary is the one a full recomputation gives."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from firstcontact.app.case_queries import state_from
from firstcontact.app.workspace import Workspace
from tests.fixtures import SAMPLE_CASE
from tests.soak.answer_worker import value

PASSPHRASE = "soak passphrase for autosaves"
REPO = Path(__file__).resolve().parents[2]
# text fields the sample case has, on steps a worker types into most
FIELDS = ("fc-own-words", "fc-safe-place", "fc-needs", "fc-safety-plan", "fc-risk-details",
          "fc-follow-up-plan")


@dataclass
class Outcome:
    acknowledged: int = 0
    kills: int = 0
    killed_mid_write: int = 0  # kills that landed after a save beyond the last acknowledgement
    problems: list[str] = field(default_factory=list)


def _kill_at_random(worker: subprocess.Popen[str], rng: random.Random, limit: int,
                    acked: dict[str, int], first: int) -> int:
    """Read acknowledgements until a random one (or a random moment), then kill -9; returns
    the last acknowledged number."""
    assert worker.stdout is not None
    stop_at = first + rng.randint(0, limit - 1)
    if rng.random() < 0.3:  # a moment instead of a count: anywhere in a save
        timer = threading.Timer(rng.uniform(0.5, 4.0), worker.send_signal, (signal.SIGKILL,))
        timer.start()
    else:
        timer = None
    last = first - 1
    for line in worker.stdout:
        _ack, n, name = line.split()
        acked[name], last = int(n), int(n)
        if last >= stop_at:
            worker.send_signal(signal.SIGKILL)
            break
    worker.wait()
    if timer is not None:
        timer.cancel()
    worker.stdout.close()
    return last


def check(data_dir: Path, acked: dict[str, int], outcome: Outcome) -> None:
    ws = Workspace.unlock(data_dir, PASSPHRASE)
    try:
        case = ws.queries.list_cases()[0]
        data = ws._ctx.store.load_case(case.case_id)
        for name, n in acked.items():
            got = json.loads(data.answers[name].value_json)
            n_got = int(got.split()[1])
            if n_got < n or got != value(n_got):
                outcome.problems.append(f"{name}: acknowledged answer {n}, found {n_got}")
            elif n_got > n:
                outcome.killed_mid_write += 1
        integrity = ws._ctx.store.integrity_check()
        if integrity != ("ok", "ok"):
            outcome.problems.append(f"integrity checks: {integrity}")
        full = ws._ctx.summary(data.case, state_from(data))
        if (case.stage, case.completeness) != (full.stage_reached, dict(full.completeness)):
            outcome.problems.append("the case list's summary differs from a full recomputation")
    finally:
        ws.close()


def run(base: Path, total: int, rng: random.Random, say: Callable[[str], None] = print) -> Outcome:
    data_dir = base / "autosaves"
    data_dir.mkdir(mode=0o700)
    ws = Workspace.create(data_dir, PASSPHRASE)
    ws.cases.import_case(json.loads(SAMPLE_CASE.read_text()))
    ws.close()
    outcome = Outcome()
    acked: dict[str, int] = {}
    first = 1
    started = time.monotonic()
    while outcome.acknowledged < total:
        remaining = total - outcome.acknowledged
        worker = subprocess.Popen(
            [sys.executable, "-m", "tests.soak.answer_worker", str(data_dir), PASSPHRASE,
             str(first), str(remaining + 50), *FIELDS],
            cwd=REPO, stdout=subprocess.PIPE, text=True)
        last = _kill_at_random(worker, rng, min(remaining, max(total // 12, 1)), acked, first)
        outcome.kills += 1
        outcome.acknowledged += last - first + 1
        first = last + 1
        check(data_dir, acked, outcome)
        if outcome.problems:
            break
        say(f"  {outcome.acknowledged:>6} autosaves acknowledged, {outcome.kills} kills, "
            f"{time.monotonic() - started:.0f} s")
    return outcome
