"""Running the hub: bind, check TLS, migrate, answer ``GET /v1/health`` once ready."""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import socket
import sys
from pathlib import Path

import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from firstcontact.hub.api import create_app
from firstcontact.hub.config import HubConfig, record_serving
from firstcontact.hub.db import Database

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class ServeError(Exception):
    """Why the hub will not start (one line)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def tls_fingerprint(cert: Path) -> str:
    """SHA-256 of the certificate (DER), as ``AB:CD:…`` — what a device can compare."""
    try:
        der = x509.load_pem_x509_certificate(cert.read_bytes()).public_bytes(Encoding.DER)
    except OSError as exc:
        raise ServeError(f"cannot read the certificate {cert}: {exc.strerror}") from None
    except ValueError:
        raise ServeError(f"{cert} is not a PEM certificate") from None
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)  # connections wait in the queue until the app is up
    return sock


def serve(config: HubConfig, db: Database, *, host: str, port: int, cert: Path | None,
          key: Path | None, insecure: bool) -> None:
    if (cert is None) != (key is None):
        raise ServeError("TLS needs both --cert and --key")
    if not is_loopback(host) and cert is None and not insecure:
        raise ServeError(f"{host} is reachable from other machines: give --cert and --key "
                         "(TLS), or --insecure if a TLS proxy in front of the hub does it")
    fingerprint = tls_fingerprint(cert) if cert else None
    db.migrate()
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, stream=sys.stderr)
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host.strip('[]')}]" if ":" in host else host
    url = f"{'https' if cert else 'http'}://{shown_host}:{bound_port}"
    record_serving(config.data_dir, url, fingerprint)
    server = uvicorn.Server(uvicorn.Config(
        create_app(config, db), ssl_certfile=str(cert) if cert else None,
        ssl_keyfile=str(key) if key else None, log_config=None, access_log=True,
        timeout_keep_alive=30, server_header=False))
    print(f"firstcontact-hub: listening on {url}", flush=True)
    if fingerprint:
        print(f"TLS certificate SHA-256: {fingerprint}", flush=True)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        db.dispose()
