"""Issue 18, findings 5 and 6: outputs never land on the store, never replace a file without
--force, and their temporary files are never a planted file or symlink."""

from __future__ import annotations

import hashlib
import itertools
import os
import stat
import subprocess
import sys
import tempfile

import pytest

from firstcontact.app.workspace import Workspace
from firstcontact.safe_files import write_private_atomic
from tests.cli.test_cli_packs import ADULT, fill, set_profile
from tests.conftest import PASSPHRASE


@pytest.fixture
def cli(cli, tmp_path):
    """The command line (tests/cli/conftest.py) and a PDF password file."""
    (tmp_path / "pw").write_text("pdf-password-1\n")
    return cli


def digests(directory):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in directory.iterdir() if p.is_file()}


@pytest.fixture
def complete_case(cli, data_dir):
    set_profile(cli)
    return fill(data_dir, ADULT, {"nrm": "given"})


def outputs_into_the_store(data_dir, tmp_path):
    link = tmp_path / "link-to-data"
    link.symlink_to(data_dir)
    hard = tmp_path / "hard-link-to-keys.json"
    os.link(data_dir / "keys.json", hard)
    return [data_dir / "keys.json", data_dir / "cases.db", data_dir / "new.pdf",
            link / "keys.json", hard]


def test_pack_exports_and_backups_into_the_data_directory_are_refused(
        cli, data_dir, tmp_path, complete_case):
    pw = str(tmp_path / "pw")
    commands = [
        lambda out: ("pack", "export", complete_case, "--to", "nrm", "--out", out,
                     "--password-file", pw, "--force"),
        lambda out: ("pack", "survivor-copy", complete_case, "--out", out,
                     "--handover", "now", "--password-file", pw, "--force"),
        lambda out: ("backup", "--out", out, "--force"),
        lambda out: ("case", "export", complete_case, "--out", out, "--force"),
    ]
    for target, command in itertools.product(outputs_into_the_store(data_dir, tmp_path),
                                             commands):
        before = digests(data_dir)
        code, _out, err = cli(*command(str(target)))
        assert code == 1, (target, command(str(target)))
        assert "inside the data directory" in err and err.count("\n") == 1
        assert digests(data_dir) == before
    assert cli("case", "list")[0] == 0  # the store still opens


def test_an_existing_file_is_replaced_only_with_force(cli, data_dir, tmp_path, complete_case):
    for command in (("backup",), ("case", "export", complete_case),
                    ("pack", "survivor-copy", complete_case, "--handover", "now",
                     "--password-file", str(tmp_path / "pw"))):
        out = tmp_path / "existing"
        out.write_bytes(b"keep me")
        code, _out, err = cli(*command, "--out", str(out))
        assert code == 1 and "--force" in err and out.read_bytes() == b"keep me"
        assert cli(*command, "--out", str(out), "--force")[0] == 0
        assert out.read_bytes() != b"keep me"
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        out.unlink()


def test_case_export_redirected_into_the_data_directory_writes_nothing(data_dir, tmp_path):
    env = {**os.environ, "FIRSTCONTACT_PASSPHRASE": PASSPHRASE}
    ws = Workspace.create(data_dir, PASSPHRASE)
    ref = ws.cases.new().reference
    ws.close()
    keys_before = (data_dir / "keys.json").read_bytes()
    for target, mode in ((data_dir / "keys.json", "ab"), (data_dir / "export.json", "wb")):
        with target.open(mode) as redirected:  # `>> DATA/keys.json`, `> DATA/export.json`
            done = subprocess.run(
                [sys.executable, "-m", "firstcontact.cli.main", "--data-dir", str(data_dir),
                 "case", "export", ref], stdout=redirected, stderr=subprocess.PIPE, text=True,
                env=env, timeout=120, check=False)
        assert done.returncode == 1
        assert "inside the data directory" in done.stderr
    assert (data_dir / "keys.json").read_bytes() == keys_before
    assert (data_dir / "export.json").read_bytes() == b""
    Workspace.unlock(data_dir, PASSPHRASE).close()


def test_a_planted_temporary_symlink_or_file_is_never_used(tmp_path, monkeypatch):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o777)
    victim = tmp_path / "victim"
    victim.write_bytes(b"not yours to overwrite")
    out = folder / "nrm.pdf"
    # the old predictable name, and the next name the random sequence will give
    (folder / f".nrm.pdf.tmp-{os.getpid()}").symlink_to(victim)
    names = iter(["planted1", "planted2"])
    real = tempfile._get_candidate_names

    class Planted:
        def __next__(self):
            return next(names, None) or next(real())

    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: Planted())
    (folder / ".nrm.pdf.planted1.tmp").symlink_to(victim)
    planted_file = folder / ".nrm.pdf.planted2.tmp"
    planted_file.write_bytes(b"")
    os.chmod(planted_file, 0o666)  # noqa: S103 - the planted file is world-writable
    if os.geteuid() == 0:  # CI runs as root: make it another user's file
        os.chown(planted_file, 65534, 65534)
    write_private_atomic(out, b"encrypted pack")
    assert victim.read_bytes() == b"not yours to overwrite"
    assert out.read_bytes() == b"encrypted pack"
    st = out.stat()
    assert st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) == 0o600
    assert planted_file.read_bytes() == b""  # left alone, never reused
