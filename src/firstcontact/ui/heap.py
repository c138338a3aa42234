"""Keep the garbage collector's full passes off the worker's clicks.

After start-up the heap holds tens of thousands of long-lived objects (Qt bindings, SQLAlchemy,
the checklist). A full collection walks all of them: 50–80 ms, landing on whatever the worker
does next, e.g. opening the case list. Moving them to the permanent generation once they are
loaded keeps each later pass short.

Frozen objects are never freed, so locking thaws the heap again (:func:`release_heap`): the
closed store, its engine and every case widget must go, not linger in memory.
"""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Collect what is garbage now, then stop scanning everything that survived."""
    gc.collect()
    gc.freeze()


def release_heap() -> None:
    """Undo :func:`settle_heap` and free what is unreachable now (after locking)."""
    gc.unfreeze()
    gc.collect()
