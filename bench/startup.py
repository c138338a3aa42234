"""GUI benchmarks (brief §6), ratios measured in one run.

1. Cold start to the unlock window: a fresh process that imports firstcontact's GUI and shows
   the unlock dialog (it exits as soon as the dialog is shown: FIRSTCONTACT_BENCH_EXIT_ON_SHOW),
   against a bare PySide6 process that shows one window the same way. Several runs each,
   interleaved; medians; target ratio ≤ 2×.
2. The case list with 10,000 cases: open (read the ordered ids, show the rows on screen),
   filter and sort; target ≤ 100 ms each (sorting has no target; it is shown for reference);
   and the peak memory of the process once the main window is shown: target ≤ 250 MB RSS.

3. The command line's start: `firstcontact --version` and `firstcontact --help` in a fresh
   process against `python -c pass`; target ≤ 0.3 s each (they import no store code).

Run: `.venv/bin/python bench/startup.py [--runs N] [--cases N] [--cli-only]` (offscreen when no
display).
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


CLI = "import sys; from firstcontact.cli.main import main; sys.exit(main(sys.argv[1:]))"


def bench_cli_start(runs: int) -> dict[str, float]:
    """Medians of ``runs`` fresh processes: bare Python, `--version`, `--help` (seconds)."""
    env = _env()
    commands = {"python -c pass": [sys.executable, "-c", "pass"],
                "firstcontact --version": [sys.executable, "-c", CLI, "--version"],
                "firstcontact --help": [sys.executable, "-c", CLI, "--help"]}
    for args in commands.values():
        _time(args, env)  # warm the file cache
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            samples[name].append(_time(args, env))
    return {name: statistics.median(values) for name, values in samples.items()}


def report_cli_start(runs: int) -> None:
    timing = bench_cli_start(runs)
    bare = timing.pop("python -c pass")
    for name, seconds in timing.items():
        verdict = "PASS" if seconds <= 0.3 else "MISS"
        print(f"{name}: {seconds * 1000:.0f} ms median of {runs} against python -c pass "
              f"{bare * 1000:.0f} ms (ratio {seconds / bare:.1f}x); target <= 300 ms {verdict}")


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
    parser.add_argument("--cli-only", action="store_true",
                        help="measure only the command line's start")
    args = parser.parse_args()
    report_cli_start(args.runs)
    if args.cli_only:
        return 0
    with tempfile.TemporaryDirectory(prefix="fc-bench-") as tmp:
        data_dir = Path(tmp) / "home"
        data_dir.mkdir(mode=0o700)
        started = time.perf_counter()
        make_store(data_dir, args.cases)
        print(f"made a store with {args.cases} cases in {time.perf_counter() - started:.1f} s")

        bare, app = bench_cold_start(args.runs, data_dir)
        ratio = app / bare
        verdict = "PASS" if ratio <= 2.0 else "MISS"
        print(f"cold start to the unlock window: bare PySide6 {bare * 1000:.0f} ms, "
              f"firstcontact {app * 1000:.0f} ms (median of {args.runs}); "
              f"ratio {ratio:.2f}x (target <= 2x) {verdict}")

        timing = bench_case_list(data_dir)
        for name in ("open", "filter"):
            ms = timing[name] * 1000
            verdict = "PASS" if ms <= 100 else "MISS"
            print(f"case list of {int(timing['rows'])} cases, {name}: {ms:.1f} ms median, "
                  f"{timing[name + '_max'] * 1000:.1f} ms worst (target <= 100 ms) {verdict}")
        print(f"  (the filter shows {int(timing['shown'])} rows; sorting by reference takes "
              f"{timing['sort'] * 1000:.1f} ms median, no target)")
        rss = timing["rss_mib"]
        verdict = "PASS" if rss <= 250 else "MISS"
        print(f"peak memory of the app with {int(timing['rows'])} cases listed: {rss:.0f} MiB "
              f"RSS (target <= 250 MB) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
