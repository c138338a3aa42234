"""Render a :class:`PackDocument` to PDF bytes, in memory, with reportlab.

Every page carries the protective marking at top and bottom and "Page N of M". Text in any
script renders with the bundled Noto fonts (Latin, Cyrillic, Vietnamese, Greek in Noto Sans;
Arabic shaped and laid out right to left; Ethiopic for Tigrinya and Amharic). A character no
bundled font can draw (an emoji, a CJK ideograph) is never dropped silently: it is shown as a
visible placeholder with its code points, e.g. ``[U+1F600]``, and :func:`missing_glyphs`
lets `pack check` say so before export. Headings and labels keep with what follows them.
Nothing is ever written to disk here.
"""

from __future__ import annotations

import io
import re
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from firstcontact.i18n import _
from firstcontact.referral.document import PackDocument, PackRow, PackSection

FONT_DIR = Path(str(resources.files("firstcontact.referral"))) / "fonts"
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#4a4a4a")
RULE = colors.HexColor("#9a9a9a")
BAND = colors.HexColor("#eef1f5")
MARK = colors.HexColor("#8b0000")
PAGE_W, PAGE_H = A4
MARGIN = 20 * mm

_FONTS = {
    "FC-Sans": "NotoSans-Regular.ttf",
    "FC-Sans-Bold": "NotoSans-Bold.ttf",
    "FC-Arabic": "NotoSansArabic-Regular.ttf",
    "FC-Arabic-Bold": "NotoSansArabic-Bold.ttf",
    "FC-Ethiopic": "NotoSansEthiopic-Regular.ttf",
    "FC-Ethiopic-Bold": "NotoSansEthiopic-Bold.ttf",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


@cache
def register_fonts() -> None:
    for name, file in _FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file), shapable=False))
    pdfmetrics.registerFontFamily("FC-Sans", normal="FC-Sans", bold="FC-Sans-Bold",
                                  italic="FC-Sans", boldItalic="FC-Sans-Bold")


def _script_font(ch: str) -> str:
    cp = ord(ch)
    if 0x0600 <= cp <= 0x08FF or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFC:
        return "FC-Arabic"
    if 0x1200 <= cp <= 0x139F or 0x2D80 <= cp <= 0x2DDF or 0xAB00 <= cp <= 0xAB2F:
        return "FC-Ethiopic"
    return "FC-Sans"


def _has_glyph(font: str, ch: str) -> bool:
    face = pdfmetrics.getFont(font).face
    return ord(ch) in face.charToGlyph


def _drawable(ch: str) -> bool:
    """Whether a bundled font draws ``ch`` (spaces and line breaks always count)."""
    register_fonts()
    return ch.isspace() or _has_glyph(_script_font(ch), ch)


def _invisible(ch: str) -> bool:
    """Joiners and variation selectors: part of a sequence, never drawn on their own."""
    return ch in "\u200c\u200d" or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF


def missing_glyphs(text: str) -> tuple[str, ...]:
    """The characters of ``text`` no bundled font can draw (each once, in order)."""
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    seen: dict[str, None] = {}
    for ch in text:
        if not _drawable(ch) and not _invisible(ch):
            seen.setdefault(ch, None)
    return tuple(seen)


def placeholder(cluster: str) -> str:
    """A visible stand-in for characters no bundled font draws: "[U+1F468+200D+1F469]"."""
    return "[U+" + "+".join(f"{ord(c):04X}" for c in cluster) + "]"


def _with_placeholders(line: str) -> str:
    """Each run of undrawable characters (with the joiners and selectors inside it) as one
    placeholder; drawable text is left as it is."""
    out: list[str] = []
    run = ""
    for ch in line:
        if (run and _invisible(ch)) or (not _invisible(ch) and not _drawable(ch)):
            run += ch
            continue
        if run:
            out.append(placeholder(run.rstrip("\u200c\u200d")))
            run = ""
        if _drawable(ch) or not _invisible(ch):
            out.append(ch)  # a selector the fonts lack after drawable text shows nothing
    if run:
        out.append(placeholder(run.rstrip("\u200c\u200d")))
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _visual_line(line: str) -> str:
    """Arabic joined into presentation forms and reordered for display, right to left."""
    if not _RTL.search(line):
        return line
    return str(get_display(arabic_reshaper.reshape(line)))


def markup(text: str, bold: bool = False) -> str:
    """Paragraph markup for untrusted text: escaped, control characters removed, each run of
    a script in its font, newlines kept."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\t", " "))
    lines = []
    for line in _CONTROL.sub("", text).split("\n"):
        line = _visual_line(_with_placeholders(line))
        runs: list[str] = []
        current, buf = "FC-Sans", ""
        for ch in line:
            font = current if ch.isspace() or (unicodedata.category(ch).startswith("P") \
                and current != "FC-Sans") else _script_font(ch)
            if font != current and buf:
                runs.append(_run(buf, current, bold))
                buf = ""
            current = font
            buf += ch
        if buf:
            runs.append(_run(buf, current, bold))
        lines.append("".join(runs))
    return "<br/>".join(lines)


def _run(text: str, font: str, bold: bool) -> str:
    name = f"{font}-Bold" if bold else font
    return f'<font face="{name}">{_escape(text)}</font>'


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName="FC-Sans", fontSize=10, leading=14, textColor=INK)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName="FC-Sans-Bold", fontSize=20,
                                leading=26, spaceAfter=6),
        "marking": ParagraphStyle("marking", parent=base, fontName="FC-Sans-Bold",
                                  fontSize=11, textColor=MARK, spaceAfter=12),
        "h2": ParagraphStyle("h2", parent=base, fontName="FC-Sans-Bold", fontSize=13,
                             leading=18, spaceBefore=12, spaceAfter=6, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=base, fontName="FC-Sans-Bold", fontSize=11.5,
                             leading=16, spaceBefore=8, spaceAfter=4, keepWithNext=1),
        "inline": ParagraphStyle("inline", parent=base, fontSize=10, leading=14, spaceBefore=3),
        "inline-label": ParagraphStyle("inline-label", parent=base, fontSize=10, leading=14,
                                       spaceBefore=3, keepWithNext=1),
        "prose": ParagraphStyle("prose", parent=base, fontSize=10.5, leading=15, spaceAfter=6),
        "label": ParagraphStyle("label", parent=base, fontName="FC-Sans-Bold", fontSize=9,
                                leading=12, textColor=MUTED, spaceBefore=6, keepWithNext=1),
        "value": ParagraphStyle("value", parent=base, leftIndent=4 * mm, spaceAfter=2),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "note": ParagraphStyle("note", parent=base, textColor=MUTED, keepWithNext=1),
    }


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """Draws the marking and "Page N of M" once the page count is known."""

    marking = "OFFICIAL-SENSITIVE"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        self.saveState()
        self.setFillColor(MARK)
        self.setFont("FC-Sans-Bold", 9)
        self.drawCentredString(PAGE_W / 2, PAGE_H - 12 * mm, self.marking)
        self.drawCentredString(PAGE_W / 2, 10 * mm, self.marking)
        self.setFillColor(MUTED)
        self.setFont("FC-Sans", 8)
        self.drawRightString(PAGE_W - MARGIN, 10 * mm, _("Page {n} of {total}").format(
            n=self._pageNumber, total=total))
        self.restoreState()


SHORT = 60  # characters: a compact section's answer this short shares its label's line


def _rows(rows: tuple[PackRow, ...], st: dict[str, ParagraphStyle],
          compact: bool = False) -> list[Any]:
    """Each row as its label and value; the label keeps with its value (and a section's
    heading with its first row) through the styles' keepWithNext, never left alone at the
    foot of a page. In a compact section a short answer follows its label on one line."""
    out: list[Any] = []
    for row in rows:
        if compact and len(row.value) <= SHORT and "\n" not in row.value:
            out.append(Paragraph(f"{markup(row.label + ':', bold=True)} {markup(row.value)}",
                                 st["inline"]))
            continue
        if compact:
            out.append(Paragraph(markup(row.label + ":", bold=True), st["inline-label"]))
        else:
            out.append(Paragraph(markup(row.label, bold=True), st["label"]))
        out.append(Paragraph(markup(row.value) or "—", st["value"]))
    return out


def _section(section: PackSection, st: dict[str, ParagraphStyle]) -> list[Any]:
    heading = st["h3"] if section.level >= 3 else st["h2"]
    out: list[Any] = [Paragraph(markup(section.title, bold=True), heading)]
    if section.note:
        out.append(Paragraph(markup(section.note), st["note"]))
    out += [Paragraph(markup(p), st["prose"]) for p in section.paragraphs]
    out += _rows(section.rows, st, section.compact)
    return out


def _cover(doc: PackDocument, st: dict[str, ParagraphStyle], width: float) -> list[Any]:
    story: list[Any] = [Paragraph(markup(doc.marking, bold=True), st["marking"]),
                        Paragraph(markup(doc.title, bold=True), st["title"]), Spacer(1, 4 * mm)]
    data = [[Paragraph(markup(r.label, bold=True), st["body"]),
             Paragraph(markup(r.value), st["body"])] for r in doc.cover]
    table = Table(data, colWidths=[50 * mm, width - 50 * mm], splitInRow=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    story.append(table)
    for notice in doc.notices:
        box = Table([[Paragraph(markup(notice), st["body"])]], colWidths=[width])
        box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), BAND),
                                 ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 8),
                                 ("TOPPADDING", (0, 0), (-1, -1), 6),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        story += [Spacer(1, 5 * mm), box]
    return story


def _coverage(doc: PackDocument, st: dict[str, ParagraphStyle], width: float) -> list[Any]:
    if not doc.coverage:
        return []
    head = [Paragraph(markup(h, bold=True), st["small"])
            for h in (_("PC"), _("SFJ BE2 performance criterion"), _("Status"),
                      _("Reason or note"))]
    data = [head] + [[Paragraph(markup(c.criterion_id), st["small"]),
                      Paragraph(markup(c.text), st["small"]),
                      Paragraph(markup(c.status, bold=True), st["small"]),
                      Paragraph(markup(c.reason), st["small"])] for c in doc.coverage]
    table = Table(data, colWidths=[16 * mm, width - 16 * mm - 30 * mm - 45 * mm, 30 * mm,
                                   45 * mm], repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), BAND),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [Paragraph(markup(_("Criteria coverage (SFJ BE2)"), bold=True), st["h2"]), table]


def render_pdf(doc: PackDocument) -> bytes:
    """The whole pack as unencrypted PDF bytes (encrypt before writing anywhere)."""
    register_fonts()
    st = _styles()
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title="Referral pack", author="", subject="", creator="firstcontact",
        producer="firstcontact", invariant=1)
    width = PAGE_W - 2 * MARGIN
    story = _cover(doc, st, width)
    for section in doc.sections:
        story += _section(section, st)
    if doc.consent is not None:
        story += _section(doc.consent, st)
    if doc.annex is not None:
        story += _section(doc.annex, st)
    story += _coverage(doc, st, width)

    class Marked(_NumberedCanvas):
        marking = doc.marking

    template.build(story, canvasmaker=Marked)
    return buffer.getvalue()


__all__ = ["markup", "missing_glyphs", "placeholder", "register_fonts", "render_pdf"]
