"""How every benchmark reports: a figure, its target (brief §6, issue 13, or proposed where the
brief sets none), the baseline measured in the same run, the ratio, and pass/short.

A script adds its figures to a :class:`Report` and calls :meth:`Report.done`: run on its own it
prints its table; run by `bench/run.py` (`make bench`) it also appends its figures, as JSON
lines, to the file named by ``FIRSTCONTACT_BENCH_OUT``, and the runner prints one table for all.
A missed target never fails the run (timings depend on the machine); a script that breaks does.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any

OUT_ENV = "FIRSTCONTACT_BENCH_OUT"


@dataclass(frozen=True)
class Figure:
    bench: str  # the script: store, pack, startup, sync, case, cli
    name: str
    value: float
    unit: str  # "ms", "s", "MiB", "×"
    at_most: float | None = None  # target on the value, in ``unit``
    baseline: float | None = None  # measured in the same run, in ``unit``
    baseline_name: str = ""
    ratio_at_most: float | None = None  # target on value / baseline
    source: str = ""  # where the target comes from

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline <= 0:
            return None
        return self.value / self.baseline

    @property
    def verdict(self) -> str:
        """"pass", "short" (a target missed) or "" (no target: shown for reference)."""
        checks = []
        if self.at_most is not None:
            checks.append(self.value <= self.at_most)
        if self.ratio_at_most is not None and self.ratio is not None:
            checks.append(self.ratio <= self.ratio_at_most)
        if not checks:
            return ""
        return "pass" if all(checks) else "short"

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "verdict": self.verdict}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Figure:
        return cls(**{k: doc[k] for k in cls.__dataclass_fields__ if k in doc})


def number(value: float, unit: str) -> str:
    if unit == "×":
        return f"{value:.2f}×"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:.{digits}f} {unit}"


def target_text(f: Figure) -> str:
    parts = []
    if f.at_most is not None:
        parts.append(f"≤ {number(f.at_most, f.unit)}")
    if f.ratio_at_most is not None:
        parts.append(f"≤ {f.ratio_at_most:g}×")
    return ", ".join(parts) or "—"


def table(figures: list[Figure]) -> str:
    """One table: figure, value, target (and its source), baseline, ratio, verdict."""
    rows = [("figure", "value", "target", "baseline (same run)", "ratio", "verdict",
             "target from")]
    for f in figures:
        baseline = (f"{number(f.baseline, f.unit)} {f.baseline_name}".strip()
                    if f.baseline is not None else "—")
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else "—"
        rows.append((f"{f.bench}: {f.name}", number(f.value, f.unit), target_text(f),
                     baseline, ratio, f.verdict, f.source or "—"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, r in enumerate(rows):
        cells = [r[0].ljust(widths[0]), r[1].rjust(widths[1]), r[2].ljust(widths[2]),
                 r[3].ljust(widths[3]), r[4].rjust(widths[4]), r[5].ljust(widths[5]), r[6]]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


@dataclass
class Report:
    bench: str
    figures: list[Figure] = field(default_factory=list)

    def add(self, name: str, value: float, unit: str, *, at_most: float | None = None,
            baseline: float | None = None, baseline_name: str = "",
            ratio_at_most: float | None = None, source: str = "") -> Figure:
        figure = Figure(self.bench, name, value, unit, at_most, baseline, baseline_name,
                        ratio_at_most, source)
        self.figures.append(figure)
        return figure

    def note(self, text: str) -> None:
        """A line of context (what was measured), printed as it happens."""
        print(f"{self.bench}: {text}", flush=True)

    def done(self) -> int:
        out = os.environ.get(OUT_ENV)
        if out:
            with open(out, "a", encoding="utf-8") as f:
                for figure in self.figures:
                    f.write(json.dumps(figure.as_json(), ensure_ascii=False) + "\n")
        else:
            print(table(self.figures), flush=True)
        return 0
