"""`pack check|export|survivor-copy`, `profile`, `services` from the command line."""

import hashlib
import json
import shutil

import pytest
from pypdf import PdfReader

from firstcontact.app.consent_points import points_for
from firstcontact.app.workspace import Workspace
from firstcontact.cli.main import main
from tests.conftest import PASSPHRASE
from tests.fixtures import SERVICES
from tests.walk import walk

NRM_POINTS = ("what", "who-decides", "support", "not-permission", "police", "choice")

ADULT = {"pv-under-age": "no", "does-pv-need-support": "no", "who-contact": "potential-victim",
         "pv-contact-details": ["post"], "authorities-cooperation": "no",
         "pv-interpreter-requirements": "no", "fr-location": "england"}
CANARY = "Canary Survivorname"


@pytest.fixture
def cli(cli, data_dir, tmp_path):
    """The command line (tests/cli/conftest.py), a PDF password file and the test services."""
    (tmp_path / "pw").write_text("pdf-password-1\n")
    shutil.copy(SERVICES, data_dir / "services.toml")  # the fictional test directory
    return cli


def fill(data_dir, answers, consents=None, ref=None):
    """Answer a whole route through the application layer (as the GUI or CLI would)."""
    ws = Workspace.unlock(data_dir, PASSPHRASE)
    case = ws.queries.find(ref) if ref else ws.cases.new()
    state = walk(ws.interview, {**answers, "pv-name-first-name": CANARY}, consents or {})
    for fid, value in state.answers.items():
        ws.cases.answer(case.reference, fid, value)
    for dest, record in state.consents.items() if not ref else ():
        if record.state == "withdrawn":
            ws.cases.record_consent(case.reference, dest, "given", explained_by=record.explained_by,
                              language=record.language, explained=record.explained,
                              explained_points=[p.id for p in points_for(ws.checklist, dest)])
            ws.cases.withdraw_consent(case.reference, dest, taken_by=record.explained_by,
                                language=record.language)
            continue
        ws.cases.record_consent(case.reference, dest, record.state,
                                explained_by=record.explained_by, language=record.language,
                                explained=record.explained,
                                explained_points=[p.id for p in points_for(ws.checklist, dest)])
    ws.close()
    return case.reference


def set_profile(cli):
    code, _, err = cli("profile", "set", "--first-name", "Sam", "--last-name", "Worker",
                       "--role", "Outreach worker", "--phone", "+44 20 7946 0000",
                       "--email", "sam@example.org", "--organisation", "The Salvation Army",
                       "--nation", "england", "--public-authority", "local-authority")
    assert code == 0, err


def test_profile_validates_against_the_nrm_list(cli):
    code, _, err = cli("profile", "set", "--organisation", "Not An Org")
    assert code == 1
    assert "organisations" in err
    set_profile(cli)
    code, out, _ = cli("profile", "show", "--json")
    assert json.loads(out)["organisation"] == "The Salvation Army"


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--email", "sam.carter@", "email address is not valid"),
    ("--email", "sam@example", "email address is not valid"),
    ("--phone", "0207 ABC 0000", "phone number is not valid"),
])
def test_a_worker_address_every_pack_prints_must_be_one(cli, option, value, said):
    """Every pack prints the worker's email and phone (the SCA writes to that address): a
    value no one can reach is refused, and the one saved before stays."""
    set_profile(cli)
    code, _, err = cli("profile", "set", option, value)
    assert code == 1 and said in err
    code, out, _ = cli("profile", "show", "--json")
    shown = json.loads(out)
    assert shown["email"] == "sam@example.org" and shown["phone"] == "+44 20 7946 0000"


def test_services_list_by_kind(cli):
    code, out, _ = cli("services", "list", "--kind", "legal", "--json")
    assert code == 0
    services = json.loads(out)
    assert services
    assert {s["kind"] for s in services} == {"legal"}


def test_check_exit_codes_and_export(cli, data_dir, tmp_path):
    ref = fill(data_dir, ADULT)
    code, out, _ = cli("pack", "check", ref, "--to", "nrm", "--json")
    assert code == 3  # no consent yet, no profile
    missing = {m["item"]: m for m in json.loads(out)["missing"]}
    assert missing["consent:nrm"]["step"] == "nrm-consent"
    assert missing["fr-details-phone"]["fix"] == "profile"
    out_file = tmp_path / "nrm.pdf"
    code, _, _ = cli("pack", "export", ref, "--to", "nrm", "--out", str(out_file),
                     "--password-file", str(tmp_path / "pw"))
    assert code == 3
    assert not out_file.exists()
    set_profile(cli)
    points = [arg for p in NRM_POINTS for arg in ("--point", p)]
    assert cli("consent", "record", ref, "--for", "nrm", "--given", "yes", "--explained-by",
               "Sam", "--language", "English", *points)[0] == 0
    fill(data_dir, ADULT, {"nrm": "given"}, ref=ref)  # the steps consent opened
    code, out, _ = cli("pack", "check", ref, "--to", "nrm")
    assert code == 0, out
    code, out, err = cli("pack", "export", ref, "--to", "nrm", "--out", str(out_file),
                         "--password-file", str(tmp_path / "pw"))
    assert code == 0, err
    sha = hashlib.sha256(out_file.read_bytes()).hexdigest()
    assert sha in out
    reader = PdfReader(str(out_file))
    assert reader.decrypt("pdf-password-1")
    assert CANARY in "".join(p.extract_text() for p in reader.pages)
    assert CANARY.encode() not in out_file.read_bytes()
    audit = json.loads(cli("audit", ref, "--json")[1])
    exports = [e for e in audit if e["event"] == "exported"]
    assert exports[-1]["detail"] == f"destination=nrm sha256={sha}"
    assert [e["event"] for e in audit].count("export-refused") == 1
    # re-export after a correction is allowed (replacing the file only with --force) and
    # audited again
    cli("case", "answer", ref, "fc-own-words", "Corrected account")
    code, _, err = cli("pack", "export", ref, "--to", "nrm", "--out", str(out_file),
                       "--password-file", str(tmp_path / "pw"))
    assert code == 1 and "--force" in err and len(err.strip().splitlines()) == 1
    assert hashlib.sha256(out_file.read_bytes()).hexdigest() == sha  # left as it was
    assert cli("pack", "export", ref, "--to", "nrm", "--out", str(out_file), "--force",
               "--password-file", str(tmp_path / "pw"))[0] == 0
    audit = json.loads(cli("audit", ref, "--json")[1])
    assert [e["event"] for e in audit].count("exported") == 2


def test_withdrawn_consent_refuses_with_exit_4_and_writes_nothing(cli, data_dir, tmp_path):
    set_profile(cli)
    ref = fill(data_dir, ADULT, {"nrm": "given"})
    assert cli("pack", "check", ref, "--to", "nrm")[0] == 0
    assert cli("consent", "withdraw", ref, "--for", "nrm", "--taken-by", "Sam Worker",
               "--language", "English")[0] == 0
    code, out, _ = cli("pack", "check", ref, "--to", "nrm")
    assert code == 4
    assert "withdrew" in out
    out_file = tmp_path / "x.pdf"
    assert cli("pack", "export", ref, "--to", "nrm", "--out", str(out_file),
               "--password-file", str(tmp_path / "pw"))[0] == 4
    assert not out_file.exists()


def test_child_duty_to_notify_refused(cli, data_dir):
    ref = fill(data_dir, {"pv-under-age": "not-sure", "fr-location": "england"})
    code, out, _ = cli("pack", "check", ref, "--to", "dtn", "--json")
    assert code == 4
    assert "child" in json.loads(out)["refused"][0].lower()


def test_duty_to_notify_in_scotland_is_voluntary(cli, data_dir, tmp_path):
    set_profile(cli)
    ref = fill(data_dir, {**ADULT, "fr-location": "scotland"}, {"nrm": "declined"})
    code, out, _ = cli("pack", "check", ref, "--to", "dtn")
    assert code == 0, out
    assert "voluntary" in out
    out_file = tmp_path / "dtn.pdf"
    assert cli("pack", "export", ref, "--to", "dtn", "--out", str(out_file),
               "--password-file", str(tmp_path / "pw"))[0] == 0
    reader = PdfReader(str(out_file))
    reader.decrypt("pdf-password-1")
    text = "".join(p.extract_text() for p in reader.pages)
    assert CANARY not in text  # withheld: the person did not agree to cooperate
    assert "voluntary" in text


def test_specialist_referral_needs_a_service(cli, data_dir):
    set_profile(cli)
    ref = fill(data_dir, ADULT, {"nrm": "given", "legal": "given"})
    code, out, _ = cli("pack", "check", ref, "--to", "legal", "--json")
    assert code == 3
    assert [m["item"] for m in json.loads(out)["missing"]] == ["service"]
    assert cli("pack", "check", ref, "--to", "legal", "--service", "example-law")[0] == 0
    assert cli("pack", "check", ref, "--to", "legal", "--service", "example-advocate")[0] == 3
    assert cli("pack", "check", ref, "--to", "legal", "--service", "nope")[0] == 1


def test_survivor_copy_is_a_letter_made_after_the_safety_check(cli, data_dir, tmp_path):
    ref = fill(data_dir, ADULT, {"nrm": "given"})
    cli("case", "note", ref, "Unsynced note CANARY-NOTE")
    cli("case", "answer", ref, "fc-reflection", "WORKER-ONLY reflection")
    cli("consent", "withdraw", ref, "--for", "nrm", "--taken-by", "Sam Worker", "--language",
        "English")
    out_file = tmp_path / "copy.pdf"
    args = ("pack", "survivor-copy", ref, "--out", str(out_file),
            "--password-file", str(tmp_path / "pw"))
    code, _, err = cli(*args)  # no safety check, no copy
    assert code == 2 and "--handover" in err and not out_file.exists()
    code, _, err = cli(*args, "--handover", "later")
    assert code == 0, err
    reader = PdfReader(str(out_file))
    assert reader.decrypt("pdf-password-1")
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "A letter for you" in text and "Your first name" in text and CANARY in text
    assert "You agreed" in text and "withdrew" in text
    assert "Your decision about a referral was recorded." in text
    # the worker's notes, safety arrangements and reflection are not in the letter
    assert "CANARY-NOTE" not in text and "WORKER-ONLY" not in text
    # a run of the same event reads as one line with its count, not pages of repeats
    answered = [e for e in json.loads(cli("audit", ref, "--json")[1]) if e["event"] == "answered"]
    assert len(answered) > 20
    assert text.count("A worker wrote or changed an answer.") <= 3
    assert "times)" in text
    made = [e for e in json.loads(cli("audit", ref, "--json")[1]) if e["event"] == "survivor-copy"]
    assert "handover=later" in made[0]["detail"] and "exploiters=no" in made[0]["detail"]


def test_bad_password_file_is_a_user_error(cli, data_dir, tmp_path):
    ref = fill(data_dir, ADULT)
    (tmp_path / "empty").write_text("\n")
    for pw in (tmp_path / "empty", tmp_path / "missing"):
        code, _, err = cli("pack", "export", ref, "--to", "nrm", "--out",
                           str(tmp_path / "o.pdf"), "--password-file", str(pw))
        assert code == 1
        assert "password file" in err


def test_a_short_pdf_password_is_refused_before_anything_is_written(cli, data_dir, tmp_path):
    ref = fill(data_dir, ADULT)
    (tmp_path / "short").write_text("1234567\n")
    out = tmp_path / "o.pdf"
    code, _, err = cli("pack", "export", ref, "--to", "nrm", "--out", str(out),
                       "--password-file", str(tmp_path / "short"))
    assert code == 1
    assert "at least 8 characters" in err
    assert not out.exists()


def test_an_empty_services_directory_says_how_to_add_services(data_dir, monkeypatch, capsys):
    monkeypatch.setenv("FIRSTCONTACT_PASSPHRASE", PASSPHRASE)
    assert main(["--data-dir", str(data_dir), "init"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "services", "list"]) == 0
    out = capsys.readouterr().out
    assert "services directory is empty" in out and "services.toml" in out
    assert "fictional" in out  # … and says why nothing is shipped
