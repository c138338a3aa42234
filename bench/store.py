"""Store benchmark (brief §6): unlock time, autosave p50/p95, and the ratio of an autosave on
the encrypted store to the same code on plain SQLite with the same journal settings, measured
in the same run; the passphrase change's re-encryption (a new data key) of 10,000 cases
against copying the same database file with fsync. Run with `make bench-store`."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _report import Report

from firstcontact.store import migrate
from firstcontact.store.db import open_engine
from firstcontact.store.facade import Store
from firstcontact.store.keys import new_data_key
from firstcontact.store.models import Answer, Note
from firstcontact.store.records import SummaryUpdate

SAVES = 500
CASES = 10_000
ANSWERS_PER_CASE = 15
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
    return Store(directory, engine, new_data_key())


def fill_cases(store: Store, count: int) -> None:
    """``count`` cases with answers and a note each, written in batches (not timed)."""
    stamp = dt.datetime.now(dt.UTC).isoformat()
    for start in range(0, count, 500):
        with store._tx() as s:
            for i in range(start, min(count, start + 500)):
                row = store._new_case(s, None, "open")
                for f in range(ANSWERS_PER_CASE):
                    s.add(Answer(case_id=row.id, field_id=f"fc-field-{f}",
                                 value_json=json.dumps(f"answer {i}-{f} " + "x" * 200),
                                 revision=1, updated_at=stamp))
                s.add(Note(id=f"note-{i}", case_id=row.id, kind="note",
                           text="a note of a few lines " * 20, created_at=stamp))


def copy_with_fsync(source: Path, target: Path) -> float:
    """The baseline: the same bytes read and written, durably."""
    start = time.perf_counter()
    with source.open("rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
        dst.flush()
        os.fsync(dst.fileno())
    return time.perf_counter() - start


def rekey_timing(base: Path) -> tuple[float, float, float, int]:
    """(re-encryption, whole passphrase change, baseline copy) in seconds, and the size."""
    Store.create(base / "big", PASSPHRASE).close()
    store = Store.unlock(base / "big", PASSPHRASE)
    fill_cases(store, CASES)
    store.close()
    db = base / "big" / "cases.db"
    copy = copy_with_fsync(db, base / "copy.db")
    store = Store.unlock(base / "big", PASSPHRASE)
    marks: list[float] = []
    start = time.perf_counter()
    store.change_passphrase(PASSPHRASE, PASSPHRASE + " new",
                            lambda f: marks.append(time.perf_counter()) if f in (0.0, 1.0)
                            else None)
    whole = time.perf_counter() - start
    store.close()
    return marks[-1] - marks[0], whole, copy, db.stat().st_size


def main() -> int:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        rekey, passwd, copy, size = rekey_timing(Path(tmp))
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
    report.add(f"passwd re-encryption, {CASES:,} cases ({size / 1e6:.0f} MB)", rekey, "s",
               at_most=10.0, baseline=copy, baseline_name="copying the file with fsync",
               source="issue 18")
    report.add("passwd in all (Argon2id twice, re-encryption)", passwd, "s")
    return report.done()


if __name__ == "__main__":
    sys.exit(main())
