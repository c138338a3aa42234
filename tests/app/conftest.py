"""An unlocked workspace with the worker's profile and the fictional services directory."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from firstcontact.app.workspace import Workspace
from firstcontact.referral.services import FILE_NAME
from tests.conftest import PASSPHRASE
from tests.fixtures import SERVICES


@pytest.fixture
def ws(data_dir: Path) -> Iterator[Workspace]:
    workspace = Workspace.create(data_dir, PASSPHRASE)
    shutil.copy(SERVICES, data_dir / FILE_NAME)
    workspace.settings.set_profile(first_name="Sam", last_name="Worker", role="Outreach worker",
                          phone="+44 20 7946 0000", email="sam@example.org",
                          organisation="The Salvation Army", nation="england",
                          public_authority="local-authority")
    yield workspace
    workspace.close()
