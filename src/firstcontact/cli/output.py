"""Printing helpers shared by commands."""

from __future__ import annotations

import json
import sys
from typing import Any

from firstcontact.cli.terminal import raw


def json_text(data: Any) -> str:
    """Standard JSON only (no NaN or Infinity), one object, a final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def print_json(data: Any) -> None:
    """JSON goes out exact (never through the terminal escaping of human output)."""
    raw(sys.stdout).write(json_text(data))
