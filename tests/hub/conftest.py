"""A real hub for the tests, on SQLite and on PostgreSQL (a throwaway cluster started once
per run; skipped, with the reason, only where PostgreSQL cannot be started)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub import postgres
from tests.hub.file_outbox import FileOutbox
from tests.hub.proxy import FaultProxy
from tests.hub.support import Hub

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[postgres.Cluster | str]:
    cluster = postgres.start()
    yield cluster
    if isinstance(cluster, postgres.Cluster):
        cluster.stop()


def _db_url(request: pytest.FixtureRequest, backend: str) -> str | None:
    if backend == "sqlite":
        return None
    cluster = request.getfixturevalue("pg_cluster")
    if isinstance(cluster, str):
        pytest.skip(f"hub suite on PostgreSQL skipped: {cluster}")
    return str(cluster.create_database(f"hub_{uuid.uuid4().hex[:12]}"))


def new_hub(request: pytest.FixtureRequest, backend: str, base: Path) -> Hub:
    hub = Hub(base / "hub", _db_url(request, backend))
    hub.init()
    return hub


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def hub(request: pytest.FixtureRequest, backend: str,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """A running hub per backend, shared by the tests (each test enrols its own devices and
    checks only what they pushed)."""
    running = new_hub(request, backend, tmp_path_factory.mktemp("hub"))
    running.start()
    yield running
    running.stop()


@pytest.fixture
def proxy(hub: Hub) -> Iterator[FaultProxy]:
    faulty = FaultProxy(hub.port)
    yield faulty
    faulty.close()


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[FileOutbox]:
    box = FileOutbox(tmp_path / "outbox.db")
    yield box
    box.close()
