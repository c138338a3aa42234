"""Start the desktop app (the only entry point into Qt)."""

from __future__ import annotations

import sys

from firstcontact.ui.display import display_problem


def launch(data_dir: str | None) -> int:
    problem = display_problem()
    if problem is not None:
        print(f"firstcontact: {problem}", file=sys.stderr)
        return 1  # the command line's "user error"
    from firstcontact.ui.application import run

    return run(data_dir)
