"""Render a :class:`PackDocument` to PDF bytes, in memory, with reportlab.

Every page carries the protective marking at top and bottom and "Page N of M". Text in any
script renders with the bundled Noto fonts (Latin, Cyrillic, Vietnamese, Greek in Noto Sans;
Arabic shaped and laid out right to left — each line broken in reading order before it is put
in display order, so a paragraph's lines never come out reversed; a document in a right-to-left
language mirrored as a whole; Ethiopic for Tigrinya and Amharic). A character no
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
from bidi import get_display as _bidi_info
from bidi.algorithm import MIRRORED
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

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


_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _levels(text: str, rtl: bool) -> list[int]:
    """The embedding level of each character (Unicode's bidi algorithm, brackets paired: the
    Rust implementation python-bidi ships, which gives levels per UTF-8 byte)."""
    info = str(_bidi_info(text, base_dir="R" if rtl else "L", debug=True))
    section = info.split("levels: [", 1)[1].split("paragraphs:", 1)[0]
    by_byte = [int(n) for n in _LEVEL.findall(section)]
    out, at = [], 0
    for ch in text:
        out.append(by_byte[at] if at < len(by_byte) else (1 if rtl else 0))
        at += len(ch.encode("utf-8"))
    return out


def _display(text: str, rtl: bool) -> str:
    """One line in display order (rule L2: reverse the runs at each level from the highest
    down to the lowest odd one) with mirrored glyphs where the level is odd (rule L4)."""
    levels = _levels(text, rtl)
    chars = [MIRRORED.get(ch, ch) if level % 2 else ch
             for ch, level in zip(text, levels, strict=True)]
    odd = [level for level in levels if level % 2]
    if not odd:
        return "".join(chars)
    order = list(range(len(chars)))
    for level in range(max(levels), min(odd) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return "".join(chars[k] for k in order)


def _visual_line(line: str, rtl: bool = False) -> str:
    """Arabic joined into presentation forms and reordered for display; ``rtl``: the line's
    base direction is right to left (neutral characters at its ends go with it)."""
    if not _RTL.search(line) and not rtl:
        return line
    return _display(arabic_reshaper.reshape(line), rtl)


def right_to_left(text: str) -> bool:
    """Whether the text's first strong character is written right to left (Unicode's
    paragraph direction, rule P2)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\t", " "))
    return _CONTROL.sub("", text)


def markup(text: str, bold: bool = False, rtl: bool = False) -> str:
    """Paragraph markup for untrusted text: escaped, control characters removed, each run of
    a script in its font, newlines kept. ``rtl``: lines in a right-to-left base direction."""
    lines = []
    for line in _clean(text).split("\n"):
        line = _visual_line(_with_placeholders(line), rtl)
        runs: list[str] = []
        current, buf = "FC-Sans", ""
        for ch in line:
            if ch in "()[]{}<>":  # brackets: the Latin font's (an Arabic font may draw them
                font = "FC-Sans"  # for its own direction, which would mirror them twice)
            elif ch.isspace() or (unicodedata.category(ch).startswith("P")
                                  and current != "FC-Sans"):
                font = current
            else:
                font = _script_font(ch)
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


def _width(text: str, bold: bool, size: float) -> float:
    """The drawn width of a line in reading order (shaped, each script in its font)."""
    shaped = arabic_reshaper.reshape(_with_placeholders(text)) if _RTL.search(text) else text
    total = 0.0
    for ch in shaped:
        font = _script_font(ch) if not ch.isspace() else "FC-Sans"
        total += pdfmetrics.stringWidth(ch, f"{font}-Bold" if bold else font, size)
    return total


def _break_lines(text: str, bold: bool, size: float, width: float) -> list[str]:
    """The text's lines broken at spaces to fit ``width``, in reading (logical) order."""
    out: list[str] = []
    for hard in _clean(text).split("\n"):
        line = ""
        for word in hard.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and _width(candidate, bold, size) > width:
                out.append(line)
                line = word
            else:
                line = candidate
        out.append(line)
    return out


class RtlParagraph(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph set flush right, broken into lines in reading order at the width it is
    given, then each line put in display order (what reportlab's own bidi support does,
    without its optional native library). ``base_rtl``: the lines' base direction is right to
    left; False for a left-to-right text in a right-to-left document."""

    def __init__(self, text: str, style: ParagraphStyle, bold: bool = False,
                 base_rtl: bool = True) -> None:
        super().__init__()
        self.text, self.style, self.bold, self.base_rtl = text, style, bold, base_rtl
        self._inner: Paragraph | None = None

    def _paragraph(self, width: float) -> Paragraph:
        size = float(self.style.fontSize)
        room = max(width - self.style.leftIndent - self.style.rightIndent, size) * 0.97
        lines = _break_lines(self.text, self.bold, size, room)
        body = "<br/>".join(markup(line, self.bold, rtl=self.base_rtl) for line in lines)
        align = TA_CENTER if self.style.alignment == TA_CENTER else TA_RIGHT
        style = ParagraphStyle(f"{self.style.name}-rtl", parent=self.style, alignment=align,
                               leftIndent=self.style.rightIndent,
                               rightIndent=self.style.leftIndent)
        return Paragraph(body, style)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._inner = self._paragraph(avail_width)
        w, h = self._inner.wrap(avail_width, avail_height)
        return float(w), float(h)

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        inner = self._inner or self._paragraph(avail_width)
        parts: list[Any] = inner.split(avail_width, avail_height)
        return parts

    def draw(self) -> None:
        if self._inner is not None:  # (always: reportlab wraps before it draws)
            self._inner.drawOn(self.canv, 0, 0)

    def getKeepWithNext(self) -> bool:
        return bool(getattr(self.style, "keepWithNext", 0))

    def getSpaceBefore(self) -> float:
        return float(getattr(self.style, "spaceBefore", 0))

    def getSpaceAfter(self) -> float:
        return float(getattr(self.style, "spaceAfter", 0))


def _strong_ltr(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) == "L" for ch in text) and not right_to_left(text)


def paragraph(text: str, style: ParagraphStyle, *, bold: bool = False,
              rtl: bool = False) -> Flowable:
    """A paragraph of untrusted text. In a right-to-left document (``rtl``) every paragraph is
    set flush right, each in its own direction (a text that starts in a left-to-right script,
    such as an answer typed in English, keeps it); in a left-to-right one a text that starts
    in a right-to-left script is set right to left."""
    if rtl:
        return RtlParagraph(text, style, bold, base_rtl=not _strong_ltr(text))
    if right_to_left(text):
        return RtlParagraph(text, style, bold)
    return Paragraph(markup(text, bold), style)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName="FC-Sans", fontSize=10, leading=14, textColor=INK)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName="FC-Sans-Bold", fontSize=20,
                                leading=26, spaceAfter=6),
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
    page_words = "Page {n} of {total}"

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

    rtl = False

    def _decorate(self, total: int) -> None:
        mark = ParagraphStyle("mark", fontName="FC-Sans-Bold", fontSize=9, leading=11,
                              textColor=MARK, alignment=TA_CENTER)
        page = ParagraphStyle("page", fontName="FC-Sans", fontSize=8, leading=10,
                              textColor=MUTED, alignment=TA_LEFT if self.rtl else TA_RIGHT)
        width = PAGE_W - 2 * MARGIN
        for text, style, bold, y in (
                (self.marking, mark, True, PAGE_H - 12 * mm),
                (self.marking, mark, True, 10 * mm),
                (self.page_words.format(n=self._pageNumber, total=total), page, False,
                 10 * mm)):
            line = paragraph(text, style, bold=bold, rtl=self.rtl)
            _w, h = line.wrap(width, 20 * mm)
            line.drawOn(self, MARGIN, y - h + float(style.fontSize) * 0.3)


SHORT = 60  # characters: a compact section's answer this short shares its label's line


def _rows(rows: tuple[PackRow, ...], st: dict[str, ParagraphStyle],
          compact: bool = False, rtl: bool = False) -> list[Any]:
    """Each row as its label and value; the label keeps with its value (and a section's
    heading with its first row) through the styles' keepWithNext, never left alone at the
    foot of a page. In a compact section a short answer follows its label on one line (in a
    left-to-right document: right to left, a label and its answer each keep their line)."""
    out: list[Any] = []
    for row in rows:
        inline = compact and len(row.value) <= SHORT and "\n" not in row.value
        if inline and not rtl and not right_to_left(row.label + row.value):
            out.append(Paragraph(f"{markup(row.label + ':', bold=True)} {markup(row.value)}",
                                 st["inline"]))
            continue
        if compact:
            out.append(paragraph(row.label + ":", st["inline-label"], bold=True, rtl=rtl))
        else:
            out.append(paragraph(row.label, st["label"], bold=True, rtl=rtl))
        out.append(paragraph(row.value or "—", st["value"], rtl=rtl))
    return out


def _section(section: PackSection, st: dict[str, ParagraphStyle],
             rtl: bool = False) -> list[Any]:
    heading = st["h3"] if section.level >= 3 else st["h2"]
    out: list[Any] = [paragraph(section.title, heading, bold=True, rtl=rtl)]
    if section.note:
        out.append(paragraph(section.note, st["note"], rtl=rtl))
    out += [paragraph(p, st["prose"], rtl=rtl) for p in section.paragraphs]
    out += _rows(section.rows, st, section.compact, rtl)
    return out


def _cover(doc: PackDocument, st: dict[str, ParagraphStyle], width: float) -> list[Any]:
    rtl = doc.rtl
    # (the marking is in every page's header and footer: not said a third time on page 1)
    story: list[Any] = [paragraph(doc.title, st["title"], bold=True, rtl=rtl),
                        Spacer(1, 4 * mm)]
    data = [[paragraph(r.label, st["body"], bold=True, rtl=rtl),
             paragraph(r.value, st["body"], rtl=rtl)] for r in doc.cover]
    columns = [50 * mm, width - 50 * mm]
    if rtl:  # mirrored: the label on the right
        data = [list(reversed(row)) for row in data]
        columns.reverse()
    table = Table(data, colWidths=columns, splitInRow=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    story.append(table)
    for notice in doc.notices:
        box = Table([[paragraph(notice, st["body"], rtl=rtl)]], colWidths=[width])
        box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), BAND),
                                 ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 8),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                                 ("TOPPADDING", (0, 0), (-1, -1), 6),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        story += [Spacer(1, 5 * mm), box]
    return story


def _coverage(doc: PackDocument, st: dict[str, ParagraphStyle], width: float) -> list[Any]:
    if not doc.coverage:
        return []
    head = [Paragraph(markup(h, bold=True), st["small"])
            for h in doc.coverage_words[1:]]
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
    return [Paragraph(markup(doc.coverage_words[0], bold=True), st["h2"]), table]


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
        story += _section(section, st, doc.rtl)
    if doc.consent is not None:
        story += _section(doc.consent, st, doc.rtl)
    if doc.annex is not None:
        story += _section(doc.annex, st, doc.rtl)
    story += _coverage(doc, st, width)

    class Marked(_NumberedCanvas):
        marking = doc.marking
        page_words = doc.page_words
        rtl = doc.rtl

    template.build(story, canvasmaker=Marked)
    return buffer.getvalue()


__all__ = ["markup", "missing_glyphs", "placeholder", "register_fonts", "render_pdf"]
