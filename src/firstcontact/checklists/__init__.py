"""The criteria and the interview as data files, validated at load.

The loader (and its JSON Schema validator) is imported on first use, so that a module that only
needs `checklists.constants` — the command line's `--help` — does not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from firstcontact.checklists.loader import ChecklistError, load_checklist

__all__ = ["ChecklistError", "load_checklist"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from firstcontact.checklists import loader

        return getattr(loader, name)
    raise AttributeError(name)
