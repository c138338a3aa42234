"""`firstcontact --version` and `--help` start without loading the store, the interview data or
the GUI (their speed is measured in bench/startup.py, not here)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("firstcontact.store", "firstcontact.checklists.loader", "firstcontact.ui",
         "firstcontact.domain.model", "sqlalchemy", "sqlcipher3", "jsonschema", "babel",
         "PySide6", "reportlab", "alembic", "keyring")
SCRIPT = """
import json, sys
from firstcontact.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_load_nothing_heavy(option: str) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, option], capture_output=True, text=True,
                          check=True)
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    heavy = [m for m in loaded if m.startswith(HEAVY)]
    assert heavy == []
    assert "firstcontact" in done.stdout  # the version line, or the usage


def test_help_still_lists_every_command() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, "--help"], capture_output=True,
                          text=True, check=True)
    for command in ("init", "case", "consent", "pack", "profile", "backup", "criteria", "steps"):
        assert command in done.stdout
