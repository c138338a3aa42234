"""Issue 18, finding 8 (the command line's side): every hostile input ends in one specific line
and bounded memory; case text can stay out of the process list; the process leaves no core
dump; files and folders are private whatever the umask."""

from __future__ import annotations

import json
import os
import re
import resource
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from firstcontact.app.case_io import MAX_CASE_DEPTH, MAX_CASE_FILE_BYTES, MAX_CASE_VALUES
from firstcontact.store import keys
from firstcontact.store.facade import Store
from firstcontact.store.lifecycle import backup
from firstcontact.store.recovery import create_key_pair
from tests.cli.measured import PEAK_LIMIT_MB, run_cli
from tests.conftest import PASSPHRASE


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and "Traceback" not in err and "unexpected error" not in err


@pytest.fixture
def exported(cli):
    ref = cli("case", "new")[1].strip()
    cli("case", "note", ref, "a note")
    return json.loads(cli("case", "export", ref)[1])


@pytest.mark.parametrize(("document", "expected"), [
    (lambda d: json.dumps(d).replace('"details": null', '"details": {"x": NaN}'),
     "NaN is not standard JSON"),
    (lambda d: json.dumps(d).replace('"details": null', '"details": {"x": -Infinity}'),
     "-Infinity is not standard JSON"),
    (lambda d: json.dumps(d).replace('"details": null', '"details": {"x": 1e999}'),
     "a number is too large"),
    (lambda d: json.dumps(d).replace('"format": ', '"status": "open", "format": '),
     "a key appears twice"),
    (lambda d: json.dumps(d).replace('"details": null',
                                     '"details": ' + "[" * 20 + "]" * 20),
     f"nested deeper than {MAX_CASE_DEPTH} levels"),
    (lambda d: json.dumps(d).replace('"details": null',
                                     '"details": {"x": [' + "0," * MAX_CASE_VALUES + "0]}"),
     f"more than {MAX_CASE_VALUES:,} values"),
    (lambda d: "[" * 50_000 + "]" * 50_000, "nested deeper"),
])
def test_a_hostile_case_file_is_one_specific_line_and_nothing_is_imported(
        cli, exported, tmp_path, document, expected):
    path = tmp_path / "case.json"
    path.write_text(document(exported))
    before = cli("case", "list", "--json")[1]
    code, _out, err = cli("case", "import", str(path))
    assert code == 1 and one_line(err), err
    assert expected in err
    assert cli("case", "list", "--json")[1] == before


def test_a_300_mb_case_file_is_refused_by_its_size_in_bounded_memory(cli, data_dir, tmp_path):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # sparse: takes no disk, reads as 300 MB
    run = run_cli(data_dir, "case", "import", str(huge))
    assert run.code == 1 and one_line(run.err), run.err
    assert f"larger than {MAX_CASE_FILE_BYTES:,} bytes" in run.err
    assert run.peak_mb < PEAK_LIMIT_MB
    run = run_cli(data_dir, "case", "import", "-", stdin=b" " * (MAX_CASE_FILE_BYTES + 10))
    assert run.code == 1 and f"larger than {MAX_CASE_FILE_BYTES:,} bytes" in run.err


def test_nan_stored_by_an_earlier_version_is_exported_as_standard_json(cli, data_dir):
    ref = cli("case", "new")[1].strip()
    cli("case", "note", ref, "a note")
    s = Store.unlock(data_dir, PASSPHRASE)
    with s.engine.begin() as conn:
        conn.exec_driver_sql("""UPDATE notes SET details_json = '{"x": NaN}'""")
    s.close()
    code, out, _err = cli("case", "export", ref)
    assert code == 0
    assert "NaN" not in out and json.loads(out)["notes"][0]["details"] == {"x": None}


def test_a_password_file_without_end_is_read_within_a_limit(cli, data_dir, tmp_path):
    ref = cli("case", "new")[1].strip()
    run = run_cli(data_dir, "pack", "survivor-copy", ref, "--out", str(tmp_path / "s.pdf"),
                  "--handover", "now", "--password-file", "/dev/zero")
    assert run.code == 1 and one_line(run.err), run.err
    assert "longer than 4096 bytes" in run.err
    assert run.peak_mb < PEAK_LIMIT_MB
    assert not (tmp_path / "s.pdf").exists()


def test_a_gzip_bomb_and_absurd_kdf_parameters_cost_no_memory(cli, data_dir, tmp_path):
    import gzip

    bomb = tmp_path / "bomb.fcb"
    with gzip.open(bomb, "wb") as fh:
        for _ in range(64):
            fh.write(b"\0" * (1024 * 1024))
    run = run_cli(tmp_path / "target", "restore", str(bomb))
    assert run.code == 1 and one_line(run.err) and "compressed (gzip)" in run.err
    assert run.peak_mb < PEAK_LIMIT_MB
    path = data_dir / "keys.json"
    doc = json.loads(path.read_text())
    doc["passphrase"]["memory_cost"] = 2**23  # 8 GiB
    doc["passphrase"]["check"] = keys._checksum(doc["passphrase"])
    path.write_text(json.dumps(doc))
    run = run_cli(data_dir, "case", "list")
    assert run.code == 1 and one_line(run.err) and "key derivation" in run.err
    assert run.peak_mb < PEAK_LIMIT_MB


def test_audit_verify_says_intact_or_where_it_broke(cli, data_dir):
    cli("case", "new")
    code, out, _err = cli("audit", "--verify")
    assert code == 0 and "intact" in out
    s = Store.unlock(data_dir, PASSPHRASE)
    with s.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.exec_driver_sql("UPDATE audit_log SET detail = 'rewritten' WHERE id = 2")
        conn.exec_driver_sql("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                             "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    s.close()
    code, _out, err = cli("audit", "--verify")
    assert code == 1 and one_line(err) and "broken at event 2" in err


def allow_core_dumps() -> None:
    """The child starts with core dumps allowed (this test process may have turned them off
    by running the CLI in-process): only the CLI itself may turn them off."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


@pytest.mark.skipif(resource.getrlimit(resource.RLIMIT_CORE)[1] == 0,
                    reason="this machine allows no core dumps at all")
def test_case_text_from_stdin_stays_out_of_the_process_list(cli, data_dir):
    ref = cli("case", "new")[1].strip()
    assert cli("case", "answer", ref, "fc-own-words", "-", stdin=b"Said in confidence\n")[0] == 0
    secret = "CANARY-cmdline Lives at 4 Hidden Road"
    env = {**os.environ, "FIRSTCONTACT_PASSPHRASE": PASSPHRASE}
    proc = subprocess.Popen([sys.executable, "-m", "firstcontact.cli.main", "--data-dir",
                             str(data_dir), "case", "note", ref, "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            preexec_fn=allow_core_dumps)
    try:
        proc_dir = Path(f"/proc/{proc.pid}")
        deadline = time.monotonic() + 60  # until the CLI runs (then it waits on stdin) …
        while not (b"case\0note" in (proc_dir / "cmdline").read_bytes() and re.search(
                r"Max core file size\s+0\s", (proc_dir / "limits").read_text())):
            assert time.monotonic() < deadline, "the CLI never turned core dumps off"
        cmdline = (proc_dir / "cmdline").read_bytes()  # … the note is not in its arguments
        assert secret.encode() not in cmdline
        _out, err = proc.communicate(secret.encode() + b"\n", timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    detail = json.loads(cli("case", "show", ref, "--json")[1])
    assert [n["text"] for n in detail["notes"]] == [secret]
    answers = {a["field_id"]: a["value"] for st in detail["stages"] for s in st["steps"]
               for a in s["answers"]}
    assert answers["fc-own-words"] == "Said in confidence"


def test_hardening_turns_core_dumps_off_and_makes_files_private():
    probe = ("import resource\n"
             "from firstcontact.process_hygiene import dumpable, harden\n"
             "harden()\n"
             "print(resource.getrlimit(resource.RLIMIT_CORE)[0], dumpable(), oct(__import__('os')"
             ".umask(0)))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.split() == ["0", "False", "0o77"]


def test_files_and_folders_are_private_whatever_the_umask(cli, data_dir, tmp_path,
                                                         monkeypatch):
    old = os.umask(0)
    try:
        public, private = create_key_pair(tmp_path / "org")
        seen = {}
        s = Store.unlock(data_dir, PASSPHRASE)
        real = s.backup_database

        def watched(target):
            real(target)
            seen["copy"] = stat.S_IMODE(target.stat().st_mode)
            seen["folder"] = stat.S_IMODE(target.parent.stat().st_mode)

        monkeypatch.setattr(s, "backup_database", watched)
        out = backup(s, tmp_path / "b.fcb")
        s.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "org").stat().st_mode) == 0o700
    assert stat.S_IMODE(public.stat().st_mode) == stat.S_IMODE(private.stat().st_mode) == 0o600
    assert seen == {"copy": 0o600, "folder": 0o700}
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    done = subprocess.run(["sh", "-c", f'umask 000 && "{sys.executable}" -m '
                           f'firstcontact.cli.main recovery-key create --out "{tmp_path}/cli"'],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE((tmp_path / "cli").stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "cli").iterdir()} == {0o600}
