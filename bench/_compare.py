"""Compare two `make bench` result files figure by figure:

    python bench/_compare.py bench/results/OLD.json bench/results/NEW.json

For each figure in either run: both values, the change, and both verdicts. Figures are matched
by benchmark and name."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from _report import Figure, number


def load(path: Path) -> tuple[str, dict[tuple[str, str], Figure]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    figures = [Figure.from_json(f) for f in doc["figures"]]
    return doc.get("commit", path.stem), {(f.bench, f.name): f for f in figures}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    (old_commit, old), (new_commit, new) = load(Path(argv[0])), load(Path(argv[1]))
    rows = [("figure", old_commit, new_commit, "change", "verdicts")]
    for key in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(key), new.get(key)
        change = f"{(b.value / a.value - 1) * 100:+.0f}%" if a and b and a.value else ""
        rows.append((f"{key[0]}: {key[1]}", number(a.value, a.unit) if a else "—",
                     number(b.value, b.unit) if b else "—", change,
                     f"{a.verdict if a else '—'} → {b.verdict if b else '—'}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
