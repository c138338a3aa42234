"""Human output that is safe on a terminal: text from a case (an imported one could carry
anything) never reaches the terminal as control characters. Escape sequences, bells,
backspaces, carriage returns, DEL, C1 controls (NEL…) and bidi overrides are shown visibly,
e.g. ``\\x1b`` or ``\\u202e``, so nothing can redraw the screen or reorder what the worker
reads. JSON output is written to the raw stream, exact."""

from __future__ import annotations

import re
from typing import Any, TextIO

# C0 controls but tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates/marks,
# the Arabic letter mark, the line and paragraph separators
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                     "\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with every unsafe character shown as its escape."""
    def escape(match: re.Match[str]) -> str:
        cp = ord(match.group())
        return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}"

    return _UNSAFE.sub(escape, text)


class VisibleWriter:
    """Wraps standard output for human output: every write goes through :func:`visible`.
    ``raw_stream`` is the stream underneath (JSON is written there unchanged)."""

    def __init__(self, stream: TextIO) -> None:
        self.raw_stream = stream

    def write(self, text: str) -> int:
        return self.raw_stream.write(visible(text))

    def flush(self) -> None:
        self.raw_stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw_stream, name)


def raw(stream: TextIO) -> TextIO:
    """The stream underneath a :class:`VisibleWriter` (or the stream itself)."""
    inner = getattr(stream, "raw_stream", None)
    return inner if inner is not None else stream
