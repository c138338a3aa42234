"""Pictures of each destination's pack for the README (docs/packs/): run with
FIRSTCONTACT_SCREENSHOTS=1. Built from a realistic, fictional case (tests/fixtures/
sample_case.json) and rendered with poppler's pdftoppm, the way a receiver would see a page."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from firstcontact.app.survivor_copy import CopySafety
from firstcontact.app.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.fixtures import SAMPLE_CASE, SERVICES

OUT = Path(__file__).resolve().parents[2] / "docs" / "packs"
PASSWORD = "pdf-password-1"

pytestmark = pytest.mark.skipif(not os.environ.get("FIRSTCONTACT_SCREENSHOTS"),
                                reason="set FIRSTCONTACT_SCREENSHOTS=1 to write pictures")


def picture(pdf: Path, page: int, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    plain = pdf.with_suffix(".plain.pdf")
    subprocess.run(["qpdf", f"--password={PASSWORD}", "--decrypt", str(pdf), str(plain)],
                   check=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page),
                    "-singlefile", str(plain), str(OUT / name)], check=True)
    plain.unlink()


def test_pack_pictures(data_dir, tmp_path):
    ws = Workspace.create(data_dir, PASSPHRASE)
    shutil.copy(SERVICES, data_dir / "services.toml")
    ws.settings.set_profile(first_name="Sam", last_name="Worker", role="Outreach worker",
                   phone="+44 20 7946 0000", email="sam@example.org",
                   organisation="The Salvation Army", nation="england",
                   public_authority="local-authority")
    doc = json.loads(SAMPLE_CASE.read_text("utf-8"))
    adult = ws.cases.import_case(doc).reference
    declined = copy.deepcopy(doc)
    declined["consents"][0]["state"] = "declined"
    declined["answers"]["refuse-nrm"] = "She is afraid he will find out and hurt her mother."
    child = copy.deepcopy(doc)
    child["consents"] = []
    child["answers"].update({
        "pv-under-age": "not-sure", "pv-dob": "2009-02-01", "fc-claimed-age": 16,
        "fc-age-basis": "She said she is 16; no documents. Looks are not a basis.",
        "local-authority-contacted-about-child-local-authority-name": "Leeds City Council",
        "local-authority-contacted-about-child-local-authority-phone": "+44 113 222 4403",
        "local-authority-contacted-about-child-local-authority-email": "mash@leeds.example",
        "fc-child-told": True, "fc-guardian": "yes"})
    del child["answers"]["pv-under-age-at-time-of-exploitation"]
    cases = {"adult": adult, "declined": ws.cases.import_case(declined).reference,
             "child": ws.cases.import_case(child).reference}
    for case, dest, page, name in (("adult", "nrm", 1, "nrm-1"), ("adult", "nrm", 5, "nrm-5"),
                                   ("declined", "dtn", 1, "dtn-1"),
                                   ("child", "child-safeguarding", 1, "child-safeguarding-1"),
                                   ("child", "nrm", 4, "child-nrm-4"),
                                   ("adult", "case-record", 1, "case-record-1")):
        out = tmp_path / f"{name}.pdf"
        outcome = ws.packs.export(cases[case], dest, out, PASSWORD, None)
        assert outcome.written is not None, outcome.check.missing
        picture(out, page, name)
    # the letter to the person, once the first decision has arrived
    ws.cases.answer(adult, "fc-rg-decision", "positive")
    ws.cases.answer(adult, "fc-rg-date", "2026-11-27")
    out = tmp_path / "survivor-copy.pdf"
    ws.packs.survivor_copy(adult, out, PASSWORD, CopySafety("now"), language="en")
    for page in (1, 2, 4):
        picture(out, page, f"survivor-copy-{page}")
    for language in ("ar", "ti", "vi"):  # the letter in the person's language (issue 16)
        out = tmp_path / f"letter-{language}.pdf"
        ws.packs.survivor_copy(adult, out, PASSWORD, CopySafety("now"), language=language)
        picture(out, 1, f"letter-{language}-1")
    ws.close()
