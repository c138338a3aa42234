"""The laptop's side of sync against a real hub (SQLite: the hub suite covers PostgreSQL):
one hub for the module's tests, each test enrolling its own store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cli.conftest import cli as cli  # the command line over the test's store
from tests.hub.conftest import proxy as proxy  # a fault proxy in front of `hub`
from tests.hub.support import Hub, serving


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with serving(tmp_path_factory.mktemp("hub")) as running:
        yield running
