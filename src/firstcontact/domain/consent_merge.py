"""Two versions of one case's consent history made one: a union, so a decision recorded in
either version is never lost — and a refusal always survives.

The union is every record of either history (a record in both counted once), oldest first. For
each destination, if either version's *current* decision is a withdrawal or a refusal, that
decision is the merged current one, whatever the other version recorded later: a person's "no"
found in one copy is never overruled by a "yes" found only in another (a backup restored on a
laptop can hold an older consent the person has since withdrawn). The worker records consent
again if the person agrees now.
"""

from __future__ import annotations

from collections.abc import Sequence

from firstcontact.domain.case import ConsentRecord

REFUSALS = frozenset({"withdrawn", "declined"})


def current(history: Sequence[ConsentRecord]) -> dict[str, ConsentRecord]:
    """The decision that stands per destination: the last one recorded."""
    return {c.destination: c for c in history}


def merge_histories(*histories: Sequence[ConsentRecord]) -> tuple[ConsentRecord, ...]:
    """The union of ``histories``, ordered so that its last record per destination is the
    merged current decision (see the module's rule)."""
    union: list[ConsentRecord] = []
    for history in histories:
        for record in history:
            if record not in union:
                union.append(record)
    union.sort(key=lambda c: c.recorded_at)
    for destination in dict.fromkeys(c.destination for c in union):
        refusals = [now for now in (current(h).get(destination) for h in histories)
                    if now is not None and now.state in REFUSALS]
        if not refusals:
            continue
        standing = max(refusals, key=lambda c: c.recorded_at)
        if current(union)[destination].state not in REFUSALS:
            union.remove(standing)
            union.append(standing)
    return tuple(union)
