"""The command line as a terminal program: stored control characters never reach the terminal
raw (JSON stays exact), a closed pipe ends quietly, and every change is said in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from firstcontact.cli.terminal import visible
from tests.conftest import PASSPHRASE

HOSTILE = "Ana\x1b[2J\x07\x08\x7f\x85\u202eevil\r"


def test_visible_escapes_what_could_drive_a_terminal():
    assert visible(HOSTILE) == "Ana\\x1b[2J\\x07\\x08\\x7f\\x85\\u202eevil\\x0d"
    assert visible("Tigrinya ትግርኛ, العربية\nnext line\tand a tab") == \
        "Tigrinya ትግርኛ, العربية\nnext line\tand a tab"


def test_case_show_escapes_stored_control_characters_and_json_stays_exact(cli):
    ref = cli("case", "new")[1].strip()
    assert cli("case", "answer", ref, "pv-name-nickname", HOSTILE)[0] == 0
    code, out, _err = cli("case", "show", ref)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out and "\r" not in out
    assert "Ana\\x1b[2J" in out
    _code, out, _err = cli("case", "show", ref, "--json")
    answers = {a["field_id"]: a["value"] for st in json.loads(out)["stages"]
               for s in st["steps"] for a in s["answers"]}
    assert answers["pv-name-nickname"] == HOSTILE
    assert json.loads(cli("case", "export", ref)[1])["answers"]["pv-name-nickname"] == HOSTILE


def test_every_change_is_said_in_one_line(cli):
    ref = cli("case", "new")[1].strip()
    said = {
        ("case", "answer", ref, "fc-language", "Tigrinya"): "Saved fc-language (revision 1).",
        ("case", "answer", ref, "fc-language", ""): "Cleared fc-language.",
        ("case", "note", ref, "Prefers mornings"): f"Added a note to {ref}.",
        ("case", "follow-up", ref, "Called"): f"Added a follow-up contact to {ref}.",
        ("case", "skip", ref, "background", "--reason", "no-time"):
            "Marked background not possible now.",
        ("case", "unskip", ref, "background"): "background is open again.",
        ("case", "mark", ref, "PC2", "--status", "not-applicable", "--note", "Came alone"):
            "Recorded PC2: not-applicable.",
        ("case", "close", ref): f"{ref} is closed.",
        ("case", "reopen", ref): f"{ref} is open again.",
        ("profile", "set", "--role", "Outreach worker"): "Profile updated: role.",
        ("retention", "set", "--closed-days", "30"):
            "Closed cases are erased 30 days after their last change.",
    }
    for argv, line in said.items():
        code, out, err = cli(*argv)
        assert code == 0, (argv, err)
        assert out.splitlines() == [line], argv


def test_a_closed_pipe_ends_quietly():
    env = {**os.environ, "FIRSTCONTACT_HOME": "/nonexistent-never-used"}
    proc = subprocess.Popen([sys.executable, "-m", "firstcontact.cli.main", "criteria"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # the reader is gone before the first line (`… | head -0`)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 128 + 13  # as a pipeline's writer ends on SIGPIPE
    assert err == ""


CANARY = "CANARY-Ana-Petrova-07700900123"
FAILING = f"""
import sys
from firstcontact.cli import commands_case
from firstcontact.cli.main import main

def fails(args):
    raise RuntimeError({CANARY!r})

commands_case.cmd_list = fails
sys.exit(main(sys.argv[1:]))
"""


def test_an_unexpected_error_is_one_plain_line_and_logged_without_content(data_dir):
    env = {**os.environ, "FIRSTCONTACT_HOME": str(data_dir), "FIRSTCONTACT_PASSPHRASE": PASSPHRASE}
    env.pop("FIRSTCONTACT_DEBUG", None)
    done = subprocess.run([sys.executable, "-c", FAILING, "case", "list"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and CANARY not in done.stderr
    assert "unexpected error (RuntimeError)" in done.stderr
    log = data_dir / "firstcontact.log"
    assert str(log) in done.stderr
    assert oct(log.stat().st_mode & 0o777) == "0o600"
    text = log.read_text()
    assert "command case" in text and "RuntimeError" in text and CANARY not in text


def test_an_unexpected_error_never_creates_the_data_directory(tmp_path):
    absent = tmp_path / "never-made"
    env = {**os.environ, "FIRSTCONTACT_HOME": str(absent)}
    done = subprocess.run([sys.executable, "-c", FAILING, "case", "list"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 1 and "unexpected error (RuntimeError)" in done.stderr
    assert not absent.exists()
