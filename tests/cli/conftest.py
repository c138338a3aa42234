"""The command line in-process over the test's data directory (tests/conftest.py)."""

from __future__ import annotations

import io

import pytest

from firstcontact.cli.main import main
from tests.conftest import PASSPHRASE


@pytest.fixture
def cli(data_dir, monkeypatch, capsys):
    """``cli(*argv, stdin=None) -> (exit code, stdout, stderr)`` over an initialised store, the
    passphrase given in the environment."""
    monkeypatch.setenv("FIRSTCONTACT_PASSPHRASE", PASSPHRASE)

    def run(*argv, stdin: bytes | None = None):
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        try:
            code = main(["--data-dir", str(data_dir), *argv])
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    assert run("init")[0] == 0
    return run
