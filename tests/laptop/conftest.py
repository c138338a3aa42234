"""The laptop's side of sync against a real hub (SQLite: the hub suite covers PostgreSQL):
one hub for the module's tests, each test enrolling its own store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cli.conftest import cli as cli  # the command line over the test's store
from tests.hub.proxy import FaultProxy
from tests.hub.support import Hub


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    running = Hub(tmp_path_factory.mktemp("hub") / "hub")
    running.init()
    running.start()
    yield running
    running.stop()


@pytest.fixture
def proxy(hub: Hub) -> Iterator[FaultProxy]:
    faulty = FaultProxy(hub.port)
    yield faulty
    faulty.close()
