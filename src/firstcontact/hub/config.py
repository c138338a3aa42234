"""The hub's data directory: ``hub.json`` (the organisation's public sync key and fingerprint,
the database URL), ``hub-signing-key.json`` (the key that signs receipts; 0600), ``hub.db``
(SQLite, when no PostgreSQL URL was given) and ``serve.json`` (where ``serve`` last listened,
for ``enrol``'s QR code)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from firstcontact.safe_files import write_private_atomic
from firstcontact.sync.keys import (
    HUB_KEY_LABEL,
    KemPublicKey,
    KeyFormatError,
    fingerprint,
    signing_key_from_bytes,
)
from firstcontact.sync.wire import b64d, b64e

ENV_HOME = "FIRSTCONTACT_HUB_HOME"
ENV_DB = "FIRSTCONTACT_HUB_DB"
HUB_FILE = "hub.json"
SIGNING_FILE = "hub-signing-key.json"
SERVE_FILE = "serve.json"
DB_FILE = "hub.db"


class HubConfigError(Exception):
    """The data directory is missing, not a hub's, or damaged (message says which)."""


def resolve_data_dir(cli_value: str | None) -> Path:
    """``--data-dir``, else ``$FIRSTCONTACT_HUB_HOME``, else the platform's data folder."""
    chosen = cli_value or os.environ.get(ENV_HOME)
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_data_dir("firstcontact-hub", appauthor=False))


@dataclass(frozen=True)
class HubConfig:
    data_dir: Path
    org_key: KemPublicKey
    signing_key: Ed25519PrivateKey
    db_url: str

    @property
    def hub_key_raw(self) -> bytes:
        return self.signing_key.public_key().public_bytes_raw()

    @property
    def hub_fingerprint(self) -> str:
        return fingerprint(self.hub_key_raw, HUB_KEY_LABEL)


def default_db_url(data_dir: Path) -> str:
    return f"sqlite+pysqlite:///{data_dir / DB_FILE}"


def create(data_dir: Path, org_key: KemPublicKey, db_url: str | None) -> HubConfig:
    """A new hub's files; refuses a directory that already holds one."""
    if (data_dir / HUB_FILE).exists():
        raise HubConfigError(f"{data_dir} already holds a hub; it was left as it is")
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    signing = Ed25519PrivateKey.generate()
    write_private_atomic(data_dir / SIGNING_FILE, json.dumps(
        {"version": 1, "ed25519": b64e(signing.private_bytes_raw())}).encode())
    doc: dict[str, Any] = {"version": 1, "org_public_key": b64e(org_key.raw),
                           "org_fingerprint": org_key.fingerprint()}
    if db_url:
        doc["database"] = db_url
    write_private_atomic(data_dir / HUB_FILE, json.dumps(doc, indent=1).encode())
    return HubConfig(data_dir, org_key, signing, db_url or default_db_url(data_dir))


def load(data_dir: Path, db_override: str | None = None) -> HubConfig:
    hub_file = data_dir / HUB_FILE
    if not hub_file.exists():
        raise HubConfigError(f"no hub in {data_dir}: run `firstcontact-hub init` first")
    try:
        doc = json.loads(hub_file.read_bytes())
        org_key = KemPublicKey(b64d(doc["org_public_key"]))
        if doc["org_fingerprint"] != org_key.fingerprint():
            raise ValueError("fingerprint")
        signing_doc = json.loads((data_dir / SIGNING_FILE).read_bytes())
        signing = signing_key_from_bytes(b64d(signing_doc["ed25519"]))
        db_url = db_override or os.environ.get(ENV_DB) or doc.get("database") \
            or default_db_url(data_dir)
    except OSError as exc:
        raise HubConfigError(f"cannot read the hub's files in {data_dir}: {exc.strerror}") \
            from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, KeyFormatError):
        raise HubConfigError(f"the hub's files in {data_dir} are damaged") from None
    return HubConfig(data_dir, org_key, signing, str(db_url))


def record_serving(data_dir: Path, url: str, tls_fingerprint: str | None) -> None:
    write_private_atomic(data_dir / SERVE_FILE, json.dumps(
        {"url": url, "tls_sha256": tls_fingerprint}).encode())


def last_serving(data_dir: Path) -> tuple[str | None, str | None]:
    try:
        doc = json.loads((data_dir / SERVE_FILE).read_bytes())
        return doc.get("url"), doc.get("tls_sha256")
    except (OSError, ValueError, AttributeError):
        return None, None
