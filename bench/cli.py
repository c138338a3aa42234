"""The command line's start, as scripts feel it: `firstcontact --version` and `--help` in fresh
processes against a bare Python interpreter start (`python -c pass`) measured in the same run;
and, where `make package` made one, the packaged build's `--version`.

Target (issue 15): `--version` and `--help` ≤ 0.3 s each — they import no store, no Qt, no PDF
code (`tests/cli/test_start.py` checks what they import).

Run: `.venv/bin/python bench/cli.py [--runs N]` (`make bench` runs it with the others).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _report import Report

REPO = Path(__file__).resolve().parents[1]
BUILT = REPO / "dist" / "firstcontact" / "firstcontact"


def timed(args: list[str], runs: int) -> float:
    """Median wall time of ``runs`` fresh processes, in ms (one warm-up run first)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    times = []
    for i in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
        if i:
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    app = shutil.which("firstcontact", path=str(Path(sys.executable).parent))
    if app is None:
        print("cli: the firstcontact command is not installed in this venv", file=sys.stderr)
        return 1
    report = Report("cli")
    bare = timed([sys.executable, "-c", "pass"], args.runs)
    report.add(f"firstcontact --version (median of {args.runs})",
               timed([app, "--version"], args.runs), "ms", at_most=300, baseline=bare,
               baseline_name="bare Python start", source="issue 15")
    report.add("firstcontact --help (median)", timed([app, "--help"], args.runs), "ms",
               at_most=300, baseline=bare, baseline_name="bare Python start",
               source="issue 15")
    if BUILT.exists():
        report.add("packaged build: firstcontact --version (median)",
                   timed([str(BUILT), "--version"], args.runs), "ms", baseline=bare,
                   baseline_name="bare Python start")
    else:
        report.note("no packaged build in dist/ (make package): its start is not measured")
    return report.done()


if __name__ == "__main__":
    sys.exit(main())
