"""A referral pack as plain data, ready for the renderer (all strings already translated)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackRow:
    label: str
    value: str  # may be multi-line, long, any script


@dataclass(frozen=True)
class PackSection:
    title: str
    rows: tuple[PackRow, ...]
    note: str | None = None


@dataclass(frozen=True)
class CoverageRow:
    criterion_id: str
    text: str
    status: str  # a label: "Evidenced", "Open", "Not applicable", "Not possible now"
    reason: str


@dataclass(frozen=True)
class PackDocument:
    title: str
    cover: tuple[PackRow, ...]
    notices: tuple[str, ...]
    sections: tuple[PackSection, ...]
    consent: PackSection | None
    coverage: tuple[CoverageRow, ...]
    marking: str = "OFFICIAL-SENSITIVE"
    annex: PackSection | None = None  # for the receiving caseworker, after the form's sections
