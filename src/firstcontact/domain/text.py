"""The one rule for text the store can hold: valid Unicode that encodes as UTF-8 (an unpaired
surrogate, which a clipboard or a broken import can carry, cannot be stored). Each layer raises
its own error with its own message when it refuses."""

from __future__ import annotations


def storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
