"""The PDF pack: AES-256 that poppler, qpdf and pypdf open; every page marked and numbered;
non-Latin scripts embedded; neutral metadata; atomic writes."""

import hashlib
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from firstcontact.app.errors import Invalid
from firstcontact.app.packs import write_document
from firstcontact.referral.document import CoverageRow, PackDocument, PackRow, PackSection
from firstcontact.referral.pdf import markup, render_pdf
from firstcontact.referral.pdf_crypt import encrypt_pdf

PASSWORD = "pack-password-42"
SCRIPTS = {
    "Arabic": "مرحبا بكم في المملكة المتحدة",
    "Tigrinya": "ሰላም ከመይ ኣለኹም",
    "Amharic": "እንኳን ደህና መጡ",
    "Vietnamese": "Tôi đã làm việc ở nhà hàng",
    "Russian": "Мне не платили зарплату",
}
NAMES = ("Zebedee Canaryworth", "Wilhelmina Testperson")
SMALL = PackDocument(title="NRM referral", cover=(PackRow("Reference", "FC-TEST01"),), notices=(),
                     sections=(), consent=None, coverage=())


def tool(name):
    path = shutil.which(name)
    assert path, f"{name} is missing: run `make deps` (packaging/debian-packages.txt)"
    return path


@pytest.fixture(scope="module")
def document():
    rows = [PackRow(f"Question {i}", f"Answer {i} " * (i % 7 + 1)) for i in range(40)]
    rows += [PackRow(lang, text) for lang, text in SCRIPTS.items()]
    rows += [PackRow("Long", "word " * 1000), PackRow("Unbroken", "x" * 5000),
             PackRow("Hostile", "<b>&amp; \u202eevil\u202c \x00\x1b[31m")]
    return PackDocument(
        title="NRM referral",
        cover=(PackRow("Reference", "FC-TEST01"), PackRow("First responder", NAMES[1])),
        notices=("A notice.",),
        sections=(PackSection("What happened", tuple(rows)),
                  PackSection("Potential victim's details", (PackRow("Name", NAMES[0]),))),
        consent=PackSection("Consent", (PackRow("Consent", "Given"),)),
        coverage=tuple(CoverageRow(f"PC{i}", "criterion text", "Evidenced", "")
                       for i in range(1, 36)))


@pytest.fixture(scope="module")
def encrypted(document, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "pack.pdf"
    data = encrypt_pdf(render_pdf(document), PASSWORD)
    path.write_bytes(data)
    return path


def test_poppler_opens_it_only_with_the_password(encrypted):
    info = subprocess.run([tool("pdfinfo"), "-upw", PASSWORD, str(encrypted)],
                          capture_output=True, text=True, check=True).stdout
    assert "AES-256" in info
    assert "Title:           Referral pack" in info
    locked = subprocess.run([tool("pdfinfo"), str(encrypted)], capture_output=True, check=False)
    assert locked.returncode != 0


def test_qpdf_sees_aes_256_revision_6(encrypted, tmp_path):
    shown = subprocess.run([tool("qpdf"), f"--password={PASSWORD}", "--show-encryption",
                            str(encrypted)], capture_output=True, text=True, check=True).stdout
    assert "R = 6" in shown
    assert "AESv3" in shown
    subprocess.run([tool("qpdf"), f"--password={PASSWORD}", "--decrypt", str(encrypted),
                    str(tmp_path / "plain.pdf")], check=True)


def test_pypdf_reads_text_marking_and_page_numbers(encrypted):
    reader = PdfReader(str(encrypted))
    assert reader.is_encrypted
    assert reader.decrypt(PASSWORD)
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) > 2
    for n, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") == 2  # top and bottom, once each
        assert f"Page {n} of {len(pages)}" in text
    everything = "\n".join(pages)
    assert SCRIPTS["Russian"] in everything
    assert "Tôi" in everything
    assert "PC35" in everything


def test_wrong_password_fails_in_pypdf(encrypted):
    reader = PdfReader(str(encrypted))
    assert not reader.decrypt("not the password")


def test_metadata_is_neutral_and_names_never_in_clear(encrypted):
    raw = encrypted.read_bytes()
    for name in NAMES:
        assert name.encode() not in raw
    reader = PdfReader(str(encrypted))
    reader.decrypt(PASSWORD)
    meta = {k: str(v) for k, v in (reader.metadata or {}).items()}
    assert meta.get("/Title") == "Referral pack"
    assert meta.get("/Author", "") == ""
    assert "D:2000" in meta.get("/CreationDate", "")
    assert not any(name in value for name in NAMES for value in meta.values())


def test_fonts_for_every_script_are_embedded(encrypted, tmp_path):
    plain = tmp_path / "plain.pdf"
    subprocess.run([tool("qpdf"), f"--password={PASSWORD}", "--decrypt", str(encrypted),
                    str(plain)], check=True)
    fonts = subprocess.run([tool("pdffonts"), str(plain)], capture_output=True, text=True,
                           check=True).stdout
    for face in ("NotoSans-Regular", "NotoSansArabic", "NotoSansEthiopic"):
        assert face in fonts


def test_empty_password_refused():
    with pytest.raises(ValueError, match="password"):
        encrypt_pdf(b"%PDF", "")


def test_markup_escapes_and_drops_control_characters():
    text = markup("<b>&\x00\u202e")
    assert "&lt;b&gt;&amp;" in text
    assert "\x00" not in text
    assert "\u202e" not in text


def test_write_document_returns_the_files_sha256_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.pdf"
    sha = write_document(SMALL, target, PASSWORD)
    assert sha == hashlib.sha256(target.read_bytes()).hexdigest()
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_write_document_to_a_missing_folder_says_so_and_creates_nothing(tmp_path):
    with pytest.raises(Invalid, match="could not write"):
        write_document(SMALL, tmp_path / "nope" / "out.pdf", PASSWORD)
    assert list(tmp_path.iterdir()) == []
