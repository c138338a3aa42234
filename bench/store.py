"""Store benchmark (brief §6): unlock time, autosave p50/p95, and the ratio of an autosave on
the encrypted store to the same code on plain SQLite with the same journal settings, measured
in the same run. Run with `make bench-store`."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _report import Report
from sqlalchemy.orm import sessionmaker

from firstcontact.store import migrate
from firstcontact.store.db import open_engine
from firstcontact.store.facade import Store
from firstcontact.store.keys import new_data_key
from firstcontact.store.records import SummaryUpdate

SAVES = 500
PASSPHRASE = "benchmark passphrase 123"
SUMMARY = SummaryUpdate(stage_reached="account", completeness={"nrm": "incomplete"})


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def autosaves(store: Store) -> list[float]:
    case = store.create_case()
    times = []
    for i in range(SAVES):
        value = json.dumps(f"typed text {i} " + "x" * (i % 200))
        start = time.perf_counter()
        store.save_answer(case.id, f"fc-field-{i % 40}", value, SUMMARY)
        times.append((time.perf_counter() - start) * 1000)
    return times


def plain_store(directory: Path) -> Store:
    """The same Store code on plain SQLite (same WAL, synchronous=FULL, temp store)."""
    engine = open_engine(directory / "plain.db", None)
    migrate.upgrade(engine)
    store = Store.__new__(Store)
    store.data_dir = directory
    store._engine = engine
    store._key = new_data_key()
    store._sessions = sessionmaker(engine, expire_on_commit=False)
    return store


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        Store.create(base / "enc", PASSPHRASE).close()
        unlocks = []
        for _ in range(3):
            start = time.perf_counter()
            s = Store.unlock(base / "enc", PASSPHRASE)
            unlocks.append(time.perf_counter() - start)
            s.close()
        enc = Store.unlock(base / "enc", PASSPHRASE)
        plain = plain_store(base)
        autosaves(enc)  # warm up both
        autosaves(plain)
        enc_times, plain_times = [], []
        for _ in range(2):  # interleave to share the machine's noise
            enc_times += autosaves(enc)
            plain_times += autosaves(plain)
        enc.close()
        plain.close()
    unlock = statistics.median(unlocks)
    p50, p95 = percentile(enc_times, 50), percentile(enc_times, 95)
    q50, q95 = percentile(plain_times, 50), percentile(plain_times, 95)
    report = Report("store")
    report.add("unlock (Argon2id + open + migrations check)", unlock * 1000, "ms",
               at_most=1000, source="brief §6")
    report.add("autosave p50, SQLCipher", p50, "ms", baseline=q50,
               baseline_name="plain SQLite p50")
    report.add("autosave p95, SQLCipher", p95, "ms", at_most=5.0, baseline=q95,
               baseline_name="plain SQLite p95", ratio_at_most=1.3, source="brief §6")
    return report.done()

if __name__ == "__main__":
    sys.exit(main())
