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


@pytest.fixture(autouse=True)
def _english_screens():
    """Every test starts, and leaves the process, with the screens in English."""
    from firstcontact import i18n

    i18n.set_language(i18n.ENGLISH)
    yield
    i18n.set_language(i18n.ENGLISH)


@pytest.fixture(scope="session")
def pseudo_catalogs(tmp_path_factory):
    """The pseudo-locale's compiled catalogs (tests/i18n/pseudo.py), made once per run."""
    from tests.i18n.pseudo import build

    where = tmp_path_factory.mktemp("pseudo-locale")
    build(where)
    return where


@pytest.fixture
def pseudo_locale(pseudo_catalogs, monkeypatch):
    """The screens (and the texts for the person) in the pseudo-locale "qps"."""
    from firstcontact import i18n
    from firstcontact.app import person_texts

    def forget():
        i18n.catalog.cache_clear()
        person_texts.person_languages.cache_clear()

    monkeypatch.setattr(i18n, "LOCALE_DIR", pseudo_catalogs)
    monkeypatch.setattr(person_texts, "_TRANSLATED", {})  # nothing translated before counts
    monkeypatch.setenv("LANGUAGE", "qps")  # the system's language, as the app reads it
    forget()
    i18n.set_language("qps")
    yield "qps"
    i18n.set_language(i18n.ENGLISH)
    monkeypatch.undo()
    forget()
