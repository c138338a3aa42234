"""The built app (dist/firstcontact/, `make package`) on its own: started from a folder outside
the project with an environment holding only PATH, HOME, LANG and QT_QPA_PLATFORM — no venv,
no PYTHONPATH, no source tree — it creates a store, answers a field, exports a pack, shows its
first window offscreen and exits cleanly; and the hub from the build serves, enrols a device and
takes its envelopes.

`make package-test` builds and runs these; `make test` runs them on a build made in the same
run (see the README). With no build they are skipped, saying how to make one."""

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from firstcontact import __version__
from firstcontact.sync.client import HubLink, SyncClient
from firstcontact.sync.enrol import enrol
from firstcontact.sync.envelope import seal
from firstcontact.sync.keys import DeviceKeys
from firstcontact.sync.outbox import MemoryOutbox
from firstcontact.sync.wire import HEALTH_PATH
from tests.fixtures import SAMPLE_CASE
from tests.package import REPO

BUILD = Path(os.environ.get("FIRSTCONTACT_BUILD", REPO / "dist" / "firstcontact"))
APP, HUB = BUILD / "firstcontact", BUILD / "firstcontact-hub"
PASSPHRASE = "a passphrase for the packaged app"
TIMEOUT = 120  # a slow shared machine; a hang fails instead of blocking the run

pytestmark = pytest.mark.skipif(
    not APP.exists() and not os.environ.get("FIRSTCONTACT_PACKAGE_TEST"),
    reason=f"no build in {BUILD}: `make package-test` builds it and runs these tests")


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """What a worker's session gives the app, and nothing of the project or its venv."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen", **extra}


@pytest.fixture
def place(tmp_path):
    """A working folder outside the project, with a home of its own."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    return tmp_path


def run(program: Path, *args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    done = subprocess.run([str(program), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def test_the_build_is_there():
    assert APP.is_file() and os.access(APP, os.X_OK), f"no app in {BUILD}: run `make package`"
    assert HUB.is_file() and os.access(HUB, os.X_OK)


def test_the_built_app_works_outside_the_venv(place):
    data = place / "data"
    env = clean_env(place / "home")
    cli_env = {**env, "FIRSTCONTACT_PASSPHRASE": PASSPHRASE}

    def app(*args: str, environ: dict[str, str] = cli_env) -> tuple[int, str, str]:
        return run(APP, "--data-dir", str(data), *args, cwd=place, env=environ)

    code, out, _ = run(APP, "--version", cwd=place, env=env)
    assert (code, out.strip()) == (0, f"firstcontact {__version__}")

    # the desktop app with no store: its first-run window opens, then it exits cleanly
    shown = {**env, "FIRSTCONTACT_BENCH_EXIT_ON_SHOW": "1"}
    code, _, err = app(environ=shown)
    assert code == 0, err
    assert not (data / "keys.json").exists()  # showing the first-run window creates nothing

    assert app("init")[0] == 0
    header = (data / "cases.db").read_bytes()[:16]
    assert header != b"SQLite format 3\x00"  # SQLCipher from the build encrypts the store
    assert app("profile", "set", "--first-name", "Sam", "--last-name", "Worker", "--role",
               "Outreach worker", "--phone", "+44 20 7946 0000", "--email", "sam@example.org",
               "--organisation", "The Salvation Army", "--nation", "england",
               "--public-authority", "none")[0] == 0
    code, out, err = app("case", "import", str(SAMPLE_CASE))
    assert code == 0, err
    ref = out.strip()
    surname = "Popescu-Ţăran"  # beyond ASCII: drawn by the fonts the build carries
    assert app("case", "answer", ref, "pv-name-last-name", surname)[0] == 0
    code, out, _ = app("case", "show", ref, "--json")
    shown_case = json.loads(out)
    assert code == 0 and json.dumps(shown_case, ensure_ascii=False).count(surname) >= 1

    password = place / "pdf-password"
    password.write_text("pdf password 123\n")
    pack = place / "nrm.pdf"
    code, out, err = app("pack", "export", ref, "--to", "nrm", "--out", str(pack),
                         "--password-file", str(password))
    assert code == 0, err
    reader = PdfReader(pack)
    assert reader.is_encrypted
    reader.decrypt("pdf password 123")
    assert surname in "".join(page.extract_text() for page in reader.pages)

    # the desktop app again, now with a store: the unlock window, then a clean exit
    code, _, err = app(environ=shown)
    assert code == 0, err
    log = data / "firstcontact.log"
    assert not log.exists() or surname not in log.read_text(errors="replace")


def test_the_built_hub_serves_and_takes_envelopes(place):
    hub_dir, key_file = place / "hub", place / "org-sync.key"
    env = clean_env(place / "home", FIRSTCONTACT_ORG_PASSPHRASE="organisation passphrase 1")
    code, _, err = run(HUB, "--data-dir", str(hub_dir), "init", "--org-key-out", str(key_file),
                       cwd=place, env=env)
    assert code == 0, err
    log = (place / "hub.log").open("w")
    server = subprocess.Popen([str(HUB), "--data-dir", str(hub_dir), "serve", "--port", "0"],
                              cwd=place, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    log.close()
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert "listening on" in line, line
        url = line.rsplit(" ", 1)[1].strip()
        assert httpx.get(url + HEALTH_PATH, timeout=30).status_code == 200

        code, out, err = run(HUB, "--data-dir", str(hub_dir), "enrol", "--worker", "Sam Worker",
                             cwd=place, env=env)
        assert code == 0, err
        keys = DeviceKeys.generate()
        enrolment = enrol(url, out.strip().splitlines()[-1], keys)
        sealed = [seal(b"notes", case_id=f"00000000-0000-4000-8000-00000000000{i}", rev=1,
                       base_rev=0, device_id=enrolment.device_id, org_key=enrolment.org_key,
                       signing_key=keys.signing_key) for i in range(3)]
        outbox = MemoryOutbox([(s.envelope_id, s.data) for s in sealed])
        with SyncClient(HubLink(url, enrolment.token, enrolment.hub_key), outbox) as client:
            assert client.push().pushed == 3

        code, out, _ = run(HUB, "--data-dir", str(hub_dir), "status", "--json", cwd=place,
                           env=env)
        assert code == 0 and json.loads(out)["envelopes"] == 3
    finally:
        server.send_signal(signal.SIGTERM)
        # uvicorn shuts down, then raises the signal again for whoever started it (as from
        # the venv)
        assert server.wait(timeout=TIMEOUT) in (0, -signal.SIGTERM)
        if server.stdout is not None:
            server.stdout.close()
    shutdown = (place / "hub.log").read_text()
    assert "Application shutdown complete" in shutdown and "Traceback" not in shutdown


def test_install_puts_the_app_in_the_menu_and_uninstall_takes_it_away(place):
    prefix = place / "prefix"
    env = clean_env(place / "home")
    code, _, err = run(BUILD / "install.sh", "--prefix", str(prefix), cwd=place, env=env)
    assert code == 0, err
    entry = prefix / "share" / "applications" / "org.firstcontact.FirstContact.desktop"
    assert f'Exec="{prefix}/lib/firstcontact/firstcontact"' in entry.read_text()
    for size in (16, 48, 256):
        assert (prefix / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
                / "org.firstcontact.FirstContact.png").is_file()
    assert (prefix / "share" / "metainfo" / "org.firstcontact.FirstContact.metainfo.xml").is_file()
    if shutil.which("desktop-file-validate"):
        assert subprocess.run(["desktop-file-validate", str(entry)]).returncode == 0
    code, out, _ = run(prefix / "bin" / "firstcontact", "--version", cwd=place, env=env)
    assert (code, out.strip()) == (0, f"firstcontact {__version__}")

    code, _, err = run(prefix / "lib" / "firstcontact" / "install.sh", "--uninstall", "--prefix",
                       str(prefix), cwd=place, env=env)
    assert code == 0, err
    assert not entry.exists() and not (prefix / "lib" / "firstcontact").exists()
    assert not (prefix / "bin" / "firstcontact").exists()
