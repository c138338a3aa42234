"""Pack benchmark (brief §6: a full case's referral pack ≤ 1 s including encryption), with a
baseline in the same run: the same document through reportlab's Helvetica, unencrypted."""

from __future__ import annotations

import io
import statistics
import sys
import time

from _report import Report
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from firstcontact.referral.document import CoverageRow, PackDocument, PackRow, PackSection
from firstcontact.referral.pdf import render_pdf
from firstcontact.referral.pdf_crypt import encrypt_pdf

RUNS = 7


def document() -> PackDocument:
    sections = tuple(PackSection(f"Section {s}", tuple(
        PackRow(f"Question {s}.{i}", "A long answer in the person's own words. " * 12)
        for i in range(12))) for s in range(11))
    return PackDocument("NRM referral", (PackRow("Reference", "FC-BENCH1"),), ("Notice",),
                        sections, PackSection("Consent", (PackRow("Consent", "Given"),)),
                        tuple(CoverageRow(f"PC{i}", "criterion text " * 4, "Evidenced", "")
                              for i in range(1, 36)))


def baseline(doc: PackDocument) -> bytes:
    style = getSampleStyleSheet()["BodyText"]
    story = [Paragraph(f"{r.label}: {r.value}", style) for s in doc.sections for r in s.rows]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def timed(fn: object, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    doc = document()
    full = timed(lambda: encrypt_pdf(render_pdf(doc), "password"))
    base = timed(lambda: baseline(doc))
    report = Report("pack")
    report.add("full pack: render + AES-256", full * 1000, "ms", at_most=1000,
               baseline=base * 1000, baseline_name="Helvetica, unencrypted",
               source="brief §6")
    return report.done()

if __name__ == "__main__":
    sys.exit(main())
