"""The command line over the store: init, cases, answers, consent, audit, import/export,
and the exit codes of the README (0 ok, 1 user error, 2 usage, 3 incomplete, 4 refused)."""

import json
import subprocess
import sys

import pytest

from firstcontact.cli.main import main
from tests.conftest import PASSPHRASE


def test_init_refuses_to_overwrite(cli, data_dir):
    before = (data_dir / "keys.json").read_bytes()
    code, _out, err = cli("init")
    assert code == 1
    assert "already exists" in err
    assert (data_dir / "keys.json").read_bytes() == before


def test_case_new_prints_only_the_id(cli):
    code, out, _err = cli("case", "new")
    assert code == 0
    assert len(out.split()) == 1
    assert out.startswith("FC-")


def test_answer_show_list_and_export(cli):
    ref = cli("case", "new")[1].strip()
    assert cli("case", "answer", ref, "pv-under-age", "no")[0] == 0
    assert cli("case", "answer", ref, "pv-contact-details", '["post","email"]')[0] == 0
    assert cli("case", "answer", ref, "types-of-exploitation-other", "true")[0] == 0
    assert cli("case", "answer", ref, "pv-nationality", "Eritrean")[0] == 0
    _code, out, _ = cli("case", "show", ref, "--json")
    detail = json.loads(out)
    answers = {a["field_id"]: a["value"] for st in detail["stages"] for s in st["steps"]
               for a in s["answers"]}
    assert answers["pv-contact-details"] == ["email", "post"]
    assert answers["types-of-exploitation-other"] is True
    _code, out, _ = cli("case", "list", "--json")
    (row,) = json.loads(out)
    assert row["reference"] == ref
    assert row["stage"] is not None
    assert set(row["completeness"]) == {"nrm", "dtn", "child-safeguarding",
                                        "specialist-support", "legal", "advocate",
                                        "case-record"}
    _code, out, _ = cli("case", "export", ref)
    doc = json.loads(out)
    assert doc["format"] == "firstcontact-case"
    assert doc["answers"]["pv-under-age"] == "no"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("pv-under-age", "maybe", "not one of the options"),
    ("pv-nationality", "eritrean", "spelling must be exact"),
    ("pv-dob", "31/12/1990", "YYYY-MM-DD"),
    ("pv-contact-details", "email", "JSON array"),
    ("no-such-field", "x", "no field"),
])
def test_bad_answer_is_refused_with_one_line_and_nothing_changes(cli, field, value, message):
    ref = cli("case", "new")[1].strip()
    before = cli("case", "export", ref)[1]
    code, _out, err = cli("case", "answer", ref, field, value)
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert value not in err or field == "no-such-field"
    assert json.loads(cli("case", "export", ref)[1])["answers"] == json.loads(before)["answers"]


def test_derived_field_cannot_be_set(cli):
    ref = cli("case", "new")[1].strip()
    code, _out, err = cli("case", "answer", ref, "pv-want-to-submit-nrm", "yes")
    assert code == 4
    assert "consent" in err


def test_consent_record_and_withdraw(cli):
    ref = cli("case", "new")[1].strip()
    for field, value in (("pv-interpreter-requirements", "yes"),
                         ("fc-interpreter-name", "A. Interpreter"),
                         ("fc-interpreter-independent", "yes")):
        assert cli("case", "answer", ref, field, value)[0] == 0
    points = [arg for p in ("what", "who-decides", "support", "not-permission", "police",
                            "choice") for arg in ("--point", p)]
    code, out, _ = cli("consent", "record", ref, "--for", "nrm", "--given", "yes",
                       "--explained-by", "Sam Worker", "--language", "Tigrinya",
                       "--interpreter", "A. Interpreter", *points)
    assert code == 0
    assert out.strip() == "Recorded: nrm consent given."
    code, out, _ = cli("consent", "withdraw", ref, "--for", "nrm", "--taken-by", "Jo Colleague",
                       "--language", "Tigrinya", "--interpreter", "A. Interpreter")
    assert code == 0 and "withdrawn" in out
    detail = json.loads(cli("case", "show", ref, "--json")[1])
    assert [c["state"] for c in detail["consent_history"]] == ["given", "withdrawn"]
    assert detail["consent_history"][1]["explained_by"] == "Jo Colleague"
    code, _, err = cli("consent", "withdraw", ref, "--for", "nrm", "--taken-by", "Jo",
                       "--language", "English")
    assert code == 1
    assert "no given consent" in err
    assert cli("consent", "record", ref, "--for", "police", "--given", "yes",
               "--explained-by", "x", "--language", "y")[0] == 1
    code, _, err = cli("consent", "record", ref, "--for", "dtn", "--given", "yes",
                       "--explained-by", "x", "--language", "y", "--explained", "z")
    assert code == 4 and "needs no consent" in err
    code, _, err = cli("consent", "record", ref, "--for", "nrm", "--given", "no",
                       "--explained-by", "Sam", "--language", "English", "--point", "what",
                       "--interpreter", "Not Recorded")
    assert code == 1 and "Interpreter step" in err


def test_skip_note_follow_up_mark_close(cli):
    ref = cli("case", "new")[1].strip()
    code, out, _ = cli("case", "skip", ref, "treatment", "--reason", "too-distressing",
                       "--note", "She asked to stop")
    assert code == 0 and out.strip() == "Marked treatment not possible now."
    assert cli("case", "note", ref, "Prefers afternoons")[0] == 0
    assert cli("case", "follow-up", ref, "Reviewed safety; all well")[0] == 0
    assert cli("case", "mark", ref, "PC2", "--status", "not-applicable",
               "--note", "Came alone")[0] == 0
    assert cli("case", "close", ref)[0] == 0
    detail = json.loads(cli("case", "show", ref, "--json")[1])
    assert detail["status"] == "closed"
    assert [n["kind"] for n in detail["notes"]] == ["note", "follow-up"]
    step = next(s for st in detail["stages"] for s in st["steps"] if s["id"] == "treatment")
    assert step["status"] == "skipped"
    assert step["skip_reason"] == "It was too distressing for the person today: She asked to stop"
    assert step["skip_reason_id"] == "too-distressing"
    cov = {c["id"]: c for c in detail["coverage"]}
    assert cov["PC2"]["status"] == "not-applicable"
    assert cli("case", "list", "--status", "open", "--json")[1].strip() == "[]"
    code, _, err = cli("case", "skip", ref, "treatment", "--reason", "tired")
    assert code == 1 and "chose-not-to-say" in err
    code, _, err = cli("case", "skip", ref, "treatment", "--reason", "other")
    assert code == 1 and "note" in err


def test_import_is_all_or_nothing(cli, tmp_path):
    ref = cli("case", "new")[1].strip()
    cli("case", "answer", ref, "pv-under-age", "yes")
    cli("case", "note", ref, "a note")
    doc = json.loads(cli("case", "export", ref)[1])
    good = tmp_path / "good.json"
    good.write_text(json.dumps(doc))
    code, out, _ = cli("case", "import", str(good))
    assert code == 0
    new_ref = out.strip()
    assert new_ref != ref
    copy = json.loads(cli("case", "export", new_ref)[1])
    assert copy["answers"] == doc["answers"]
    assert [n["text"] for n in copy["notes"]] == ["a note"]
    doc["answers"]["pv-gender"] = "robot"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    before = cli("case", "list", "--json")[1]
    code, _, err = cli("case", "import", str(bad))
    assert code == 1
    assert "pv-gender" in err
    assert cli("case", "list", "--json")[1] == before
    bad.write_text("{not json")
    assert cli("case", "import", str(bad))[0] == 1


def test_audit_has_events_without_content(cli):
    ref = cli("case", "new")[1].strip()
    cli("case", "answer", ref, "fc-own-words", "CANARY-AUDIT-77")
    cli("case", "show", ref)
    _code, out, _ = cli("audit", ref, "--json")
    events = [e["event"] for e in json.loads(out)]
    assert {"created", "answered", "opened"} <= set(events)
    assert "CANARY-AUDIT-77" not in out


def test_wrong_passphrase_and_no_store_are_user_errors(cli, data_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("FIRSTCONTACT_PASSPHRASE", "wrong passphrase")
    code, _, err = cli("case", "list")
    assert code == 1
    assert "wrong passphrase" in err
    monkeypatch.setenv("FIRSTCONTACT_PASSPHRASE", PASSPHRASE)
    code, _, err = main(["--data-dir", str(tmp_path / "none"), "case", "list"]), None, None
    assert code == 1


def test_passwd_changes_passphrase(cli, monkeypatch):
    monkeypatch.setenv("FIRSTCONTACT_NEW_PASSPHRASE", "another long passphrase")
    assert cli("passwd")[0] == 0
    assert cli("case", "list")[0] == 1
    monkeypatch.setenv("FIRSTCONTACT_PASSPHRASE", "another long passphrase")
    assert cli("case", "list")[0] == 0


def test_no_terminal_and_no_variable_exits_1_without_hanging(data_dir, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "FIRSTCONTACT_HOME": str(data_dir),
           "FIRSTCONTACT_TEST_FAST_KDF": "1"}
    # a new session: no controlling terminal either (else the prompt would go to /dev/tty)
    r = subprocess.run([sys.executable, "-m", "firstcontact.cli.main", "init"],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env,
                       timeout=60, check=False, start_new_session=True)
    assert r.returncode == 1
    assert "FIRSTCONTACT_PASSPHRASE" in r.stderr
    assert not (data_dir / "keys.json").exists()


def test_data_dir_from_environment(monkeypatch, tmp_path, capsys):
    home = tmp_path / "from-env"
    monkeypatch.setenv("FIRSTCONTACT_HOME", str(home))
    monkeypatch.setenv("FIRSTCONTACT_PASSPHRASE", PASSPHRASE)
    assert main(["init"]) == 0
    assert (home / "keys.json").exists()
    assert oct(home.stat().st_mode & 0o777) == "0o700"


def test_consent_needs_what_was_explained(cli):
    ref = cli("case", "new")[1].strip()
    code, _, err = cli("consent", "record", ref, "--for", "nrm", "--given", "yes",
                       "--explained-by", "Sam Worker", "--language", "English",
                       "--explained", "x", "--point", "what", "--point", "choice")
    assert code == 1  # a yes needs every point of the NRM explanation, whatever the text
    assert "every point explained" in err and "That it is not by itself permission" in err
    code, _, err = cli("consent", "record", ref, "--for", "nrm", "--given", "no",
                       "--explained-by", "Sam Worker", "--language", "English",
                       "--explained", "x")
    assert code == 1 and "what was explained" in err  # "x" is not an explanation
    code, _, err = cli("consent", "record", ref, "--for", "nrm", "--given", "yes",
                       "--explained-by", "Sam Worker", "--language", "English",
                       "--point", "nonsense")
    assert code == 1 and "not a point of this consent" in err
    detail = json.loads(cli("case", "show", ref, "--json")[1])
    assert detail["consent_history"] == []
