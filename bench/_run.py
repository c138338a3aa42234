"""`make bench`: run every benchmark script in bench/ (each `*.py` not starting with `_`), in
its own process, one after another; print one table of every figure — its target, the
baseline measured in the same run, the ratio, pass/short — and write the figures as JSON
(default `bench/results/<UTC time>-<commit>.json`, git-ignored) so that runs can be compared
across commits with `bench/_compare.py OLD.json NEW.json`.

    python bench/_run.py [--only store,case] [--out FILE]

A missed target is reported, never fatal (timings depend on the machine); a script that fails
makes the run exit 1, after the table of everything else.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import OUT_ENV, Figure, table

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def scripts() -> list[Path]:
    return sorted(p for p in BENCH.glob("*.py") if not p.name.startswith("_"))


def commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short=12", "HEAD") or "unknown"
    return head + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated script names (e.g. store,case)")
    parser.add_argument("--out", type=Path, help="where to write the JSON results")
    args = parser.parse_args()
    chosen = scripts()
    if args.only:
        wanted = {name.strip().removesuffix(".py") for name in args.only.split(",")}
        chosen = [p for p in chosen if p.stem in wanted]
        unknown = wanted - {p.stem for p in chosen}
        if unknown:
            print(f"bench: no such benchmark: {', '.join(sorted(unknown))} (have: "
                  f"{', '.join(p.stem for p in scripts())})", file=sys.stderr)
            return 2
    started_at = dt.datetime.now(dt.UTC)
    figures: list[Figure] = []
    failed: list[str] = []
    runs: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="fc-bench-run-") as tmp:
        for script in chosen:
            out = Path(tmp) / f"{script.stem}.jsonl"
            print(f"== bench/{script.name}", flush=True)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, str(script)], cwd=REPO,
                                  env={**os.environ, OUT_ENV: str(out)})
            runs[script.stem] = round(time.perf_counter() - started, 1)
            if done.returncode != 0:
                failed.append(script.stem)
            if out.exists():
                figures += [Figure.from_json(json.loads(line))
                            for line in out.read_text(encoding="utf-8").splitlines() if line]
    print()
    print(table(figures))
    verdicts = [f.verdict for f in figures if f.verdict]
    print(f"\n{verdicts.count('pass')} pass, {verdicts.count('short')} short, "
          f"{len(figures) - len(verdicts)} for reference"
          + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    doc = {"commit": commit(), "started_at": started_at.isoformat(timespec="seconds"),
           "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                       "system": platform.platform()},
           "seconds": runs, "failed": failed, "figures": [f.as_json() for f in figures]}
    path = args.out or (BENCH / "results" /
                        f"{started_at.strftime('%Y%m%dT%H%M%SZ')}-{doc['commit']}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results: {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
