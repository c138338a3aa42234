"""Right-to-left text in the PDF: each line in display order with its brackets paired and
mirrored; a paragraph's lines in reading order (the first words on the top line, never the
last); a letter in Arabic mirrored as a whole, one in Tigrinya in its own script."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from firstcontact.app.survivor_copy import CopySafety
from firstcontact.app.workspace import Workspace
from firstcontact.referral.document import PackDocument, PackRow, PackSection
from firstcontact.referral.pdf import _display, render_pdf, right_to_left
from tests.conftest import PASSPHRASE
from tests.fixtures import SAMPLE_CASE

ARABIC = "ستقرر وزارة الداخلية (Home Office) أولا"


def test_a_line_is_put_in_display_order_with_its_brackets_paired_and_mirrored():
    shown = _display(ARABIC, rtl=True)
    assert "(Home Office)" in shown  # the English stays whole, in its brackets
    assert shown.endswith("ررقتس") and shown.startswith("الوأ")  # Arabic from the right
    assert _display("“I will call you on Monday.”", rtl=False) == "“I will call you on Monday.”"
    assert right_to_left(ARABIC) and not right_to_left("Home Office (الداخلية)")


def _lines_with(reader: PdfReader, needles: tuple[str, ...]) -> dict[str, float]:
    """The height on the page at which each needle is drawn."""
    found: dict[str, float] = {}

    def visit(text, _cm, tm, _font, _size):
        for needle in needles:
            if needle in text and needle not in found:
                found[needle] = tm[5]

    reader.pages[0].extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("rtl", [True, False])
def test_a_long_right_to_left_paragraph_keeps_its_lines_in_reading_order(rtl):
    words = " ".join(["كلمة"] * 120)
    paragraph = f"111 {words} 999"  # read from 111 to 999, whatever the document's direction
    doc = PackDocument(title="رسالة", cover=(PackRow("المرجع", "FC-TEST01"),), notices=(),
                       consent=None, coverage=(),
                       sections=(PackSection("قسم", (), paragraphs=(paragraph,)),), rtl=rtl)
    reader = PdfReader(io.BytesIO(render_pdf(doc)))
    at = _lines_with(reader, ("111", "999"))
    assert at["111"] > at["999"]  # (PDF heights grow upwards: 111 is on a higher line)


@pytest.fixture
def ws(data_dir):
    import json

    workspace = Workspace.create(data_dir, PASSPHRASE)
    workspace.settings.set_profile(first_name="Sam", last_name="Worker", role="Outreach worker",
                                   phone="+44 20 7946 0000", email="sam@example.org",
                                   organisation="The Salvation Army", nation="england",
                                   public_authority="local-authority")
    workspace.reference = workspace.cases.import_case(
        json.loads(SAMPLE_CASE.read_text("utf-8"))).reference
    yield workspace
    workspace.close()


def test_a_letter_in_arabic_is_mirrored_and_one_in_tigrinya_is_in_its_script(ws):
    arabic = ws.packs.survivor_document(ws.reference, language="ar")
    assert arabic.rtl and right_to_left(arabic.title)
    reader = PdfReader(io.BytesIO(render_pdf(arabic)))
    text = reader.pages[0].extract_text()
    assert ws.reference in text and "NRM-26-104233" in text  # references unbroken
    tigrinya = ws.packs.survivor_document(ws.reference, language="ti")
    assert not tigrinya.rtl
    reader = PdfReader(io.BytesIO(render_pdf(tigrinya)))
    text = reader.pages[0].extract_text()
    assert tigrinya.title in text and ws.reference in text
    assert any("\u1200" <= ch <= "\u137f" for ch in text)  # Ethiopic letters drawn as such
    english = ws.packs.survivor_document(ws.reference, language="en")
    assert english.title == "A letter for you" and not english.rtl


def test_the_letters_language_defaults_to_the_persons_where_it_is_translated(ws, tmp_path):
    ws.cases.answer(ws.reference, "fc-language", "Tigrinya")
    assert ws.packs.letter_language(ws.reference) == "ti"
    ws.cases.answer(ws.reference, "fc-language", "Klingon")
    assert ws.packs.letter_language(ws.reference) == "en"
    path, _sha = ws.packs.survivor_copy(ws.reference, tmp_path / "copy.pdf", "pdf-password-1",
                                        CopySafety("now"), language="vi")
    assert path.exists()
