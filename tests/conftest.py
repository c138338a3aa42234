"""Shared fixtures: one passphrase, a fresh 0700 data directory per test (the default one: it is
$FIRSTCONTACT_HOME) and a fast KDF for tests."""

import os

import pytest

os.environ.setdefault("FIRSTCONTACT_TEST_FAST_KDF", "1")
# Never the machine's real keyring (tests that need one set their own backend); subprocesses
# inherit this too.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def data_dir(tmp_path):
    """The test's data directory, made 0700; it is also $FIRSTCONTACT_HOME (see below)."""
    path = tmp_path / "home"
    path.mkdir(mode=0o700, exist_ok=True)
    os.chmod(path, 0o700)
    return path


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Never touch the real user data directory or a real passphrase from the environment."""
    monkeypatch.setenv("FIRSTCONTACT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FIRSTCONTACT_PASSPHRASE", raising=False)
    monkeypatch.delenv("FIRSTCONTACT_NEW_PASSPHRASE", raising=False)
