"""firstcontact-hub on the command line: init, enrol, status, audit verify, serve's refusals."""

from __future__ import annotations

import json
import re
import sqlite3
import ssl
from pathlib import Path

import httpx
import pytest

from firstcontact.sync.enrol import CODE_ALPHABET
from firstcontact.sync.org_key_file import OrgKeyFileError, open_org_key_file
from tests.hub.support import ORG_PASSPHRASE, Hub, run_cli


@pytest.fixture
def new_hub_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FIRSTCONTACT_ORG_PASSPHRASE", ORG_PASSPHRASE)
    return tmp_path / "hub"


def test_init_creates_a_hub_and_an_offline_org_key_file(new_hub_dir: Path,
                                                        tmp_path: Path) -> None:
    key_file = tmp_path / "org.key"
    code, out, _ = run_cli("--data-dir", str(new_hub_dir), "init", "--org-key-out",
                           str(key_file))
    assert code == 0
    pair = open_org_key_file(key_file, ORG_PASSPHRASE)
    assert pair.public.fingerprint() in out
    with pytest.raises(OrgKeyFileError, match="wrong passphrase"):
        open_org_key_file(key_file, "not the passphrase at all")
    assert key_file.stat().st_mode & 0o077 == 0
    # The hub keeps the public half only.
    hub_files = b"".join(p.read_bytes() for p in new_hub_dir.iterdir() if p.is_file())
    assert pair.private_bytes() not in hub_files
    code, out, _ = run_cli("--data-dir", str(new_hub_dir), "status", "--json")
    status = json.loads(out)
    assert code == 0 and status["devices"] == 0 and status["envelopes"] == 0
    assert status["org_fingerprint"] == pair.public.fingerprint()
    assert status["database"] == "sqlite"


def test_init_never_overwrites(new_hub_dir: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "org.key"
    assert run_cli("--data-dir", str(new_hub_dir), "init", "--org-key-out", str(key_file))[0] == 0
    before = key_file.read_bytes()
    code, _, err = run_cli("--data-dir", str(new_hub_dir), "init", "--org-key-out",
                           str(tmp_path / "other.key"))
    assert code == 1 and "already holds a hub" in err and len(err.splitlines()) == 1
    code, _, err = run_cli("--data-dir", str(tmp_path / "second"), "init", "--org-key-out",
                           str(key_file))
    assert code == 1 and "already exists" in err
    assert key_file.read_bytes() == before and not (tmp_path / "second").exists()


def test_init_without_a_passphrase_says_how(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIRSTCONTACT_ORG_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115 - closed by pytest
    code, _, err = run_cli("--data-dir", str(tmp_path / "hub"), "init", "--org-key-out",
                           str(tmp_path / "org.key"))
    assert code == 1 and "FIRSTCONTACT_ORG_PASSPHRASE" in err
    assert not (tmp_path / "org.key").exists()


def test_commands_on_a_folder_without_a_hub_say_so(tmp_path: Path) -> None:
    for args in (["status", "--json"], ["enrol", "--worker", "Ann"], ["audit", "verify"],
                 ["serve"]):
        code, _, err = run_cli("--data-dir", str(tmp_path / "nothing"), *args)
        assert code == 1 and "firstcontact-hub init" in err


def test_enrol_prints_a_qr_code_and_the_code_alone_on_the_last_line(hub: Hub) -> None:
    code, out, _ = run_cli("--data-dir", str(hub.data_dir),
                           *(["--db", hub.db_url] if hub.db_url else []),
                           "enrol", "--worker", "Amira Khan", "--role", "supervisor")
    assert code == 0
    last = out.rstrip("\n").splitlines()[-1]
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{4}}(-[{CODE_ALPHABET}]{{4}}){{3}}", last)
    assert "█" in out and hub.url in out  # the QR code, and the address it carries


def test_serve_refuses_other_machines_without_tls(hub: Hub) -> None:
    code, _, err = run_cli("--data-dir", str(hub.data_dir), "serve", "--host", "0.0.0.0")  # noqa: S104
    assert code == 1 and "--cert" in err and "--insecure" in err


def test_serve_with_tls_on_loopback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime, timedelta
    from ipaddress import IPv4Address

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hub.test")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "hub.crt", tmp_path / "hub.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    hub = Hub(tmp_path / "tls-hub")
    hub.init()
    hub.serve_args = ["--cert", str(cert_file), "--key", str(key_file)]
    hub.start()
    try:
        assert hub.url.startswith("https://127.0.0.1:")
        answer = httpx.get(hub.url + "/v1/health",
                           verify=ssl.create_default_context(cafile=str(cert_file)))
        assert answer.json() == {"protocol": "firstcontact-sync/1", "status": "ok"}
        _, out, _ = run_cli("--data-dir", str(hub.data_dir), "enrol", "--worker", "Ann")
        fingerprint = cert.fingerprint(hashes.SHA256()).hex().upper()
        assert ":".join(fingerprint[i:i + 2] for i in range(0, 64, 2)) in out
    finally:
        hub.stop()


def test_audit_is_append_only_and_verify_finds_tampering(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    hub = Hub(tmp_path / "hub")
    hub.init()
    for worker in ("Ann", "Ben"):
        assert run_cli("--data-dir", str(hub.data_dir), "enrol", "--worker", worker)[0] == 0
    code, out, _ = run_cli("--data-dir", str(hub.data_dir), "audit", "verify")
    assert code == 0 and "3 rows" in out
    db = sqlite3.connect(hub.data_dir / "hub.db")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE hub_audit SET actor = 'someone' WHERE seq = 2")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM hub_audit WHERE seq = 2")
    # Someone with the file and sqlite3 drops the guard and edits a row: verify says where.
    db.execute("DROP TRIGGER hub_audit_no_update")
    db.execute("UPDATE hub_audit SET detail = '{}' WHERE seq = 2")
    db.commit()
    db.close()
    code, _, err = run_cli("--data-dir", str(hub.data_dir), "audit", "verify")
    assert code == 1 and "broken at row 2" in err


def test_an_unusable_database_is_one_line(tmp_path: Path) -> None:
    hub = Hub(tmp_path / "hub")
    hub.init()
    for url, words in (("mysql://u@127.0.0.1/x", "SQLite or PostgreSQL"),
                       ("postgresql+psycopg://fc@127.0.0.1:9/none", "cannot be used")):
        code, _, err = run_cli("--data-dir", str(hub.data_dir), "--db", url, "status", "--json")
        assert code == 1 and words in err and len(err.strip().splitlines()) == 1
