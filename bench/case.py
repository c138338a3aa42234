"""What a worker feels while working on one case, with baselines measured in the same run.

1. The app-level answer save (validation, the case summary, the write: what an autosave does
   through the application layer) against the bare store write of the same value with a
   summary worked out beforehand — issue 17's target: ≤ 1.3× (medians). Typing into a text
   field is the autosave a worker makes most; an answer that changes the case's route (the
   age question) is shown beside it for reference.
2. Opening a case with 60 answered fields on the interview page (the session reads the case,
   the page builds the step, the stage list and the completeness panel), offscreen, against
   reading the same case from the store. The brief sets no target; proposed: ≤ 100 ms, as for
   opening the case list (brief §6).

Run: `.venv/bin/python bench/case.py` (`make bench` runs it with the others).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import Report

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CASE = REPO / "tests" / "fixtures" / "sample_case.json"
PASSPHRASE = "bench passphrase for cases"
ANSWERED = 60
SAVES = 200
OPENS = 9


def case_document(answered: int) -> dict[str, object]:
    """The fictional sample case cut to its first ``answered`` answers."""
    doc = json.loads(SAMPLE_CASE.read_text())
    doc["answers"] = dict(list(doc["answers"].items())[:answered])
    return doc


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def bench_answer_save(report: Report, data_dir: Path) -> None:
    from firstcontact.app.workspace import Workspace

    ws = Workspace.create(data_dir, PASSPHRASE)
    try:
        case = ws.cases.import_case(case_document(ANSWERED))
        store = ws._ctx.store  # the bare write: what the store does for one answer
        summary = ws._ctx.summary(case, ws.queries.state(case.id))
        app_times: list[float] = []
        bare_times: list[float] = []
        route_times: list[float] = []
        n = 0

        def typed() -> str:
            nonlocal n
            n += 1
            return f"She said she worked {n} hours a day" + " and more" * (n % 20)

        for batch in range(6):  # blocks in turn, so both share the machine's noise
            for _ in range(SAVES // 5):  # (a bare write between two answers would stamp the
                text = typed()           # case as changed elsewhere: blocks, not pairs)
                started = time.perf_counter()
                ws.cases.answer(case.reference, "fc-own-words", text)
                app_times.append(time.perf_counter() - started)
            for _ in range(SAVES // 5):
                text = typed()
                started = time.perf_counter()
                store.save_answer(case.id, "fc-own-words", json.dumps(text), summary)
                bare_times.append(time.perf_counter() - started)
            for i in range(SAVES // 20):
                started = time.perf_counter()
                ws.cases.answer(case.reference, "pv-under-age", ("yes", "no")[i % 2])
                route_times.append(time.perf_counter() - started)
            if batch == 0:  # the first block warms caches on both sides
                app_times.clear()
                bare_times.clear()
                route_times.clear()
        bare = median_ms(bare_times)
        report.add(f"answer save through the app, typing in a text field (median of "
                   f"{len(app_times)})", median_ms(app_times), "ms", baseline=bare,
                   baseline_name="bare store write", ratio_at_most=1.3, source="issue 17")
        report.add("answer save through the app, an answer that changes the route (median)",
                   median_ms(route_times), "ms", baseline=bare, baseline_name="bare store write")
    finally:
        ws.close()


CASE_OPEN = """
import json, os, sys
sys.path.insert(0, {bench!r})
from case import time_case_open
print(json.dumps(time_case_open(sys.argv[1], sys.argv[2])), flush=True)
os._exit(0)  # measured: skip Qt's teardown order at interpreter exit
"""


def time_case_open(data_dir: str, reference: str) -> dict[str, float]:
    """Runs in a child process: the interview page opening the case, as after a click in the
    case list; and reading the same case from the store."""
    from PySide6.QtWidgets import QApplication

    from firstcontact.app.workspace import Workspace
    from firstcontact.ui.interview.page import InterviewPage

    app = QApplication(sys.argv[:1])
    ws = Workspace.unlock(Path(data_dir), PASSPHRASE)
    try:
        page = InterviewPage(ws)
        page.resize(1200, 800)
        page.show()
        page.open_case(reference)  # the first open pays for lazy imports
        app.processEvents()
        page.close_case()
        opens, reads = [], []
        for _ in range(OPENS):
            started = time.perf_counter()
            page.open_case(reference)
            app.processEvents()
            opens.append(time.perf_counter() - started)
            page.close_case()
            app.processEvents()
            started = time.perf_counter()
            ws.queries.state(ws.queries.find(reference).id)
            reads.append(time.perf_counter() - started)
        page.close()
        return {"open": median_ms(opens), "read": median_ms(reads)}
    finally:
        ws.close()


def bench_case_open(report: Report, data_dir: Path) -> None:
    from firstcontact.app.workspace import Workspace

    ws = Workspace.create(data_dir, PASSPHRASE)
    try:
        reference = ws.cases.import_case(case_document(ANSWERED)).reference
    finally:
        ws.close()
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = subprocess.run(
        [sys.executable, "-c", CASE_OPEN.format(bench=str(Path(__file__).parent)),
         str(data_dir), reference], env=env, check=True, capture_output=True, text=True).stdout
    timing = json.loads(out.strip().splitlines()[-1])
    report.add(f"open a case with {ANSWERED} answered fields on the interview page (median of "
               f"{OPENS})", timing["open"], "ms", at_most=100, baseline=timing["read"],
               baseline_name="reading the case from the store",
               source="proposed (as the case list, brief §6)")


def main() -> int:
    os.environ.setdefault("FIRSTCONTACT_TEST_FAST_KDF", "1")  # unlock is store.py's figure
    report = Report("case")
    with tempfile.TemporaryDirectory(prefix="fc-bench-case-") as tmp:
        base = Path(tmp)
        (base / "save").mkdir(mode=0o700)
        (base / "open").mkdir(mode=0o700)
        bench_answer_save(report, base / "save")
        bench_case_open(report, base / "open")
    return report.done()


if __name__ == "__main__":
    sys.exit(main())
