"""A real hub for the tests: created in-process with the CLI, served by a `firstcontact-hub
serve` subprocess on a random loopback port; devices enrolled through the real API."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import ssl
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select

from firstcontact.hub import cli, enrolment
from firstcontact.hub.clock import utc_now
from firstcontact.hub.config import default_db_url
from firstcontact.hub.db import Database
from firstcontact.hub.models import envelopes
from firstcontact.sync.backoff import Backoff
from firstcontact.sync.client import HubLink, SyncClient
from firstcontact.sync.enrol import Enrolment, enrol
from firstcontact.sync.envelope import SealedEnvelope, seal
from firstcontact.sync.keys import DeviceKeys, KemKeyPair
from firstcontact.sync.org_key_file import open_org_key_file
from firstcontact.sync.wire import HEALTH_PATH
from tests.hub.file_outbox import FileOutbox

ORG_PASSPHRASE = "organisation passphrase for tests"


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


@dataclass
class Hub:
    data_dir: Path
    db_url: str | None = None
    proc: subprocess.Popen[str] | None = None
    url: str = ""
    serve_args: list[str] = field(default_factory=list)
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.data_dir.parent / f"{self.data_dir.name}.log"

    @property
    def database_url(self) -> str:
        return self.db_url or default_db_url(self.data_dir)

    def _global(self) -> list[str]:
        return ["--data-dir", str(self.data_dir), *(["--db", self.db_url] if self.db_url else [])]

    def init(self) -> None:
        os.environ["FIRSTCONTACT_ORG_PASSPHRASE"] = ORG_PASSPHRASE
        try:
            code, _out, err = run_cli(*self._global(), "init", "--org-key-out",
                                      str(self.org_key_path))
        finally:
            del os.environ["FIRSTCONTACT_ORG_PASSPHRASE"]
        assert code == 0, err

    @property
    def org_key_path(self) -> Path:
        return self.data_dir.parent / f"{self.data_dir.name}-org.key"

    def org_key(self) -> KemKeyPair:
        return open_org_key_file(self.org_key_path, ORG_PASSPHRASE)

    def start(self, port: int = 0) -> None:
        log = self.log_path.open("a")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "firstcontact.hub.cli", *self._global(), "serve",
             "--port", str(port), *self.serve_args], stdout=subprocess.PIPE, stderr=log,
            text=True)
        log.close()
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert "listening on" in line, f"the hub did not start: {self.log_path.read_text()}"
        self.url = line.rsplit(" ", 1)[1].strip()
        ca = next((self.serve_args[i + 1] for i, arg in enumerate(self.serve_args)
                   if arg == "--cert"), None)
        answer = httpx.get(self.url + HEALTH_PATH, timeout=30,
                           verify=ssl.create_default_context(cafile=ca) if ca else True)
        assert answer.status_code == 200

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()

    def issue_code(self, worker: str = "Test Worker", role: str = "worker") -> str:
        db = Database(self.database_url)
        try:
            return enrolment.issue_code(db, utc_now, worker, role)
        finally:
            db.dispose()

    def flags(self, case_id: str) -> dict[str, str | None]:
        """Envelope id → the hub's flag (revision-clash, stale-base or None) for one case."""
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                return dict(conn.execute(select(envelopes.c.envelope_id, envelopes.c.flag)
                                         .where(envelopes.c.case_id == case_id)).all())
        finally:
            engine.dispose()

    def pairs(self, device_id: str) -> dict[tuple[str, int], int]:
        """(case, revision) → how many copies the hub holds, for one device."""
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(select(envelopes.c.case_id, envelopes.c.rev, func.count())
                                    .where(envelopes.c.device_id == device_id)
                                    .group_by(envelopes.c.case_id, envelopes.c.rev))
                return {(case, rev): count for case, rev, count in rows}
        finally:
            engine.dispose()


@dataclass
class Device:
    keys: DeviceKeys
    enrolment: Enrolment

    @property
    def device_id(self) -> str:
        return self.enrolment.device_id

    def link(self, url: str | None = None) -> HubLink:
        return HubLink(url or self.enrolment.hub_url, self.enrolment.token,
                       self.enrolment.hub_key)

    def seal_cases(self, cases: int, revisions: int, text: bytes = b"notes " * 300,
                   **seal_args: object) -> list[SealedEnvelope]:
        sealed = []
        for _ in range(cases):
            case_id = str(uuid.uuid4())
            for rev in range(1, revisions + 1):
                sealed.append(seal(text + f" r{rev}".encode(), case_id=case_id, rev=rev,
                                   base_rev=rev - 1, device_id=self.device_id,
                                   org_key=self.enrolment.org_key,
                                   signing_key=self.keys.signing_key, **seal_args))  # type: ignore[arg-type]
        return sealed


@contextlib.contextmanager
def serving(base: Path) -> Iterator[Hub]:
    """A new SQLite hub under ``base``, served until the block ends."""
    hub = Hub(base / "hub")
    hub.init()
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


def enrol_device(hub: Hub, role: str = "worker") -> Device:
    keys = DeviceKeys.generate()
    return Device(keys, enrol(hub.url, hub.issue_code(role=role), keys))


def client(device: Device, outbox: FileOutbox, url: str, *, timeout: float = 10.0,
           retries: int = 30, batch_count: int = 10) -> SyncClient:
    """A client with quick backoff (the jitter and caps are unit-tested on their own)."""
    return SyncClient(device.link(url), outbox, timeout=timeout, retries=retries,
                      backoff=Backoff(base=0.01, cap=0.05), batch_count=batch_count)


def assert_exactly_once(hub: Hub, device: Device, outbox: FileOutbox) -> None:
    """The hub holds each local (case, revision) exactly once, and every one of them is
    acknowledged locally."""
    held = hub.pairs(device.device_id)
    states = outbox.states()
    assert set(held) == set(states)
    assert set(held.values()) == {1}
    assert set(states.values()) == {"acked"}


def assert_consistent(hub: Hub, device: Device, outbox: FileOutbox) -> None:
    """Mid-way: nothing twice on the hub; every local revision acknowledged (and then on the
    hub) or still pending."""
    held = hub.pairs(device.device_id)
    states = outbox.states()
    assert set(held.values()) <= {1}
    assert set(held) <= set(states)
    assert set(states.values()) <= {"acked", "pending"}
    assert all(pair in held for pair, state in states.items() if state == "acked")
