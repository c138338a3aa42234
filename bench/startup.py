"""GUI benchmarks (brief §6), ratios measured in one run.

1. Cold start to the unlock window: a fresh process that imports firstcontact's GUI and shows
   the unlock dialog (it exits as soon as the dialog is shown: FIRSTCONTACT_BENCH_EXIT_ON_SHOW),
   against a bare PySide6 process that shows one window the same way. Several runs each,
   interleaved; medians; target ratio ≤ 2×.
2. The case list with 10,000 cases: open (read the ordered ids, show the rows on screen),
   filter and sort; target ≤ 100 ms each (sorting has no target; it is shown for reference);
   and the peak memory of the process once the main window is shown: target ≤ 250 MB RSS.

The command line's start (`firstcontact --version`, `--help` against `python -c pass`) is
measured by its own script, `bench/cli.py`.

Run: `.venv/bin/python bench/startup.py [--runs N] [--cases N]` (offscreen when no display).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import Report

PASSPHRASE = "bench passphrase for startup"
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
app = QApplication(sys.argv)
window = QDialog()
window.setWindowTitle("bare")
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""
APP = """
import sys
from firstcontact.ui.application import run
sys.exit(run(sys.argv[1]))
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["FIRSTCONTACT_BENCH_EXIT_ON_SHOW"] = "1"
    return env


def _time(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def bench_cold_start(runs: int, data_dir: Path) -> tuple[float, float]:
    env = _env()
    bare_cmd = [sys.executable, "-c", BARE]
    app_cmd = [sys.executable, "-c", APP, str(data_dir)]
    _time(bare_cmd, env)  # warm the OS file cache for both before measuring
    _time(app_cmd, env)
    bare, app = [], []
    for _ in range(runs):
        bare.append(_time(bare_cmd, env))
        app.append(_time(app_cmd, env))
    return statistics.median(bare), statistics.median(app)


def make_store(data_dir: Path, cases: int) -> None:
    """A store with ``cases`` cases, made through the application layer."""
    code = f"""
import sys
from pathlib import Path
sys.path.insert(0, {str(Path(__file__).parent)!r})
from startup import fill_store
fill_store(Path(sys.argv[1]), {PASSPHRASE!r}, int(sys.argv[2]))
"""
    subprocess.run([sys.executable, "-c", code, str(data_dir), str(cases)], env=_env(),
                   check=True)


def bench_case_list(data_dir: Path) -> dict[str, float]:
    code = f"""
import json, sys
from pathlib import Path
sys.path.insert(0, {str(Path(__file__).parent)!r})
from startup import time_case_list
import os
print(json.dumps(time_case_list(Path(sys.argv[1]), {PASSPHRASE!r})), flush=True)
os._exit(0)  # measured: skip Qt's teardown order at interpreter exit
"""
    out = subprocess.run([sys.executable, "-c", code, str(data_dir)], env=_env(), check=True,
                         capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def fill_store(data_dir: Path, passphrase: str, cases: int) -> None:
    """Runs in a child process: create the store and ``cases`` cases through the app layer."""
    from firstcontact.app.workspace import Workspace

    ws = Workspace.create(data_dir, passphrase)
    try:
        for _ in range(cases):
            ws.cases.new()
    finally:
        ws.close()


def time_case_list(data_dir: Path, passphrase: str, runs: int = 7) -> dict[str, float]:
    """Runs in a child process: open the case list page over the store as the app does after
    unlocking, then filter and sort it; medians of ``runs``."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from firstcontact.app.workspace import Workspace
    from firstcontact.ui.cases.case_list import CaseListPage
    from firstcontact.ui.heap import settle_heap
    from firstcontact.ui.main_window import MainWindow

    app = QApplication(sys.argv)
    ws = Workspace.unlock(data_dir, passphrase)
    times: dict[str, list[float]] = {"open": [], "filter": [], "sort": []}
    shown = 0
    try:
        warm = CaseListPage(ws)  # the first page pays for lazy imports; measure the list itself
        warm.show()
        app.processEvents()
        warm.close()
        settle_heap()  # as the controller does before building the main window
        for _ in range(runs):
            started = time.perf_counter()
            page = CaseListPage(ws)  # reads the ordered ids and the rows on screen
            page.resize(1200, 800)
            page.show()
            app.processEvents()
            times["open"].append(time.perf_counter() - started)
            started = time.perf_counter()
            page.search.setText("a")  # a broad filter: the references with an A
            app.processEvents()
            times["filter"].append(time.perf_counter() - started)
            shown = page.model.rowCount()
            page.search.clear()
            app.processEvents()
            started = time.perf_counter()
            page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by reference
            app.processEvents()
            times["sort"].append(time.perf_counter() - started)
            page.close()
            page.deleteLater()
            app.processEvents()
        rows = page.model.rowCount()
        window = MainWindow(ws)  # the whole app after unlocking, for its memory
        window.show()
        app.processEvents()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # peak, MiB (Linux)
        window.close()
        return {"rows": float(rows), "shown": float(shown), "rss_mib": rss,
                **{name: statistics.median(values) for name, values in times.items()},
                **{f"{name}_max": max(values) for name, values in times.items()}}
    finally:
        ws.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    report = Report("startup")
    with tempfile.TemporaryDirectory(prefix="fc-bench-") as tmp:
        data_dir = Path(tmp) / "home"
        data_dir.mkdir(mode=0o700)
        started = time.perf_counter()
        make_store(data_dir, args.cases)
        report.note(f"made a store with {args.cases} cases in "
                    f"{time.perf_counter() - started:.1f} s")

        bare, app = bench_cold_start(args.runs, data_dir)
        report.add(f"cold start to the unlock window (median of {args.runs})", app * 1000, "ms",
                   baseline=bare * 1000, baseline_name="bare PySide6 window", ratio_at_most=2.0,
                   source="brief §6")

        timing = bench_case_list(data_dir)
        rows = int(timing["rows"])
        for name in ("open", "filter"):
            report.add(f"case list of {rows} cases: {name} (median; worst "
                       f"{timing[name + '_max'] * 1000:.0f} ms)", timing[name] * 1000, "ms",
                       at_most=100, source="brief §6")
        report.add(f"case list of {rows} cases: sort by reference (median; filter shows "
                   f"{int(timing['shown'])} rows)", timing["sort"] * 1000, "ms")
        report.add(f"peak memory with {rows} cases listed", timing["rss_mib"], "MiB",
                   at_most=250, source="brief §6")
    return report.done()

if __name__ == "__main__":
    sys.exit(main())
