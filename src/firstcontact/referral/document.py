"""A referral pack as plain data, ready for the renderer (all strings already translated)."""

from __future__ import annotations

from dataclasses import dataclass, field

from firstcontact.i18n import _


def _page_words() -> str:
    return _("Page {n} of {total}")


def _coverage_words() -> tuple[str, str, str, str, str]:
    return (_("Criteria coverage (SFJ BE2)"), _("PC"), _("SFJ BE2 performance criterion"),
            _("Status"), _("Reason or note"))


@dataclass(frozen=True)
class PackRow:
    label: str
    value: str  # may be multi-line, long, any script


@dataclass(frozen=True)
class PackSection:
    title: str
    rows: tuple[PackRow, ...]
    note: str | None = None
    paragraphs: tuple[str, ...] = ()  # prose, after the note and before the rows
    level: int = 2  # 2: a section; 3: a part of the section before it
    compact: bool = False  # a short answer on the same line as its label (a letter)


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
    # the renderer's own words, in the document's language (made with the document: the PDF
    # may be drawn later, on another thread, while the screen is in another language)
    page_words: str = field(default_factory=_page_words)  # "{n}", "{total}"
    coverage_words: tuple[str, str, str, str, str] = field(default_factory=_coverage_words)
    rtl: bool = False  # written right to left: the whole document is mirrored
