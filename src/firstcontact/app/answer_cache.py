"""What the answer path keeps between saves, so that an autosave costs little more than the
write itself (brief §6): each case's state and the summary last written with it, and which
fields the summary reads only for whether they are answered and valid.

- **The case state** is kept per case with the stamp it had: the case's ``updated_at`` when it
  was read, or — after our own save — the span of time the save took, which holds the stamp
  the store gave it (every change to a case stamps ``updated_at`` with
  :func:`firstcontact.clock.now_iso`, inside its write transaction). A change made anywhere
  else — another command, the command line in another process — leaves a stamp outside that
  span and the state is read again. Changes in this process are made one at a time
  (:attr:`AnswerCache.lock`). As before this cache, a change another process commits while
  an answer of ours is being worked out is not seen by that answer's summary (the summary is
  the case list's copy; answers themselves are written as given).
- **The summary** (stage reached, completeness per destination) reads a field's value in only
  three ways: through a condition (steps, fields, derived facts, the NRM form's page flow and
  required-when, the destinations' rules), through whether it is answered, and through whether
  its value passes the field's rules (length limits). A field no condition reads, which is not a
  checkbox (packs require a ticked box) and not the nation (a destination's nations): while an
  edit keeps it answered and valid, the summary cannot change, so the last one is written
  again. Any other edit recomputes it. tests/app/test_answer_cache.py holds the fast path to
  the full recomputation on every field of the interview.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass

from firstcontact.domain.case import CaseState
from firstcontact.domain.conditions import is_present
from firstcontact.domain.model import Checklist, Field, Value
from firstcontact.domain.values import InvalidAnswer, validate
from firstcontact.referral.check import NATION_FIELD
from firstcontact.referral.model import Destinations
from firstcontact.store import records

KEPT_CASES = 8  # a worker has a case or two open; more is memory for nothing
# Parts of the interview data the summary never reads: the evidence rules decide criteria
# coverage, which `case show` and the Criteria tab work out when shown.
NOT_SUMMARISED = frozenset({"evidence"})


@dataclass(frozen=True)
class Kept:
    # the case's updated_at when ``state`` was read (``after == before``), or the span in
    # which our own save stamped it
    before: str
    after: str
    state: CaseState
    summary: records.SummaryUpdate | None  # the summary written with it (None: not known)
    reference: str = ""


class AnswerCache:
    def __init__(self) -> None:
        self._kept: OrderedDict[str, Kept] = OrderedDict()
        self.lock = threading.RLock()  # every change to a case in this process holds it

    def get(self, case: records.CaseRow) -> Kept | None:
        """The kept state of ``case``, if nothing changed it since."""
        kept = self._kept.get(case.id)
        if kept is None or not kept.before <= case.updated_at <= kept.after:
            return None
        self._kept.move_to_end(case.id)
        return kept

    def case_id(self, ref: str) -> str | None:
        """The id of a kept case named by ``ref`` (its id or its reference)."""
        if ref in self._kept:
            return ref
        return next((case_id for case_id, kept in self._kept.items()
                     if kept.reference == ref), None)

    def put(self, case_id: str, kept: Kept) -> None:
        self._kept[case_id] = kept
        self._kept.move_to_end(case_id)
        while len(self._kept) > KEPT_CASES:
            self._kept.popitem(last=False)

    def clear(self) -> None:
        """Forget every case (the worker profile changed: every summary may read it)."""
        self._kept.clear()


def _conditions_read(data: object) -> set[str]:
    """Every field id any condition anywhere in ``data`` reads: each mapping with a ``field``
    key (and ``at``) found by walking the loaded data, whatever holds it."""
    read: set[str] = set()
    seen: set[int] = set()
    todo: list[object] = [data]
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, str | bytes | int | float | bool | None):
            continue
        seen.add(id(item))
        if isinstance(item, Mapping):
            for key in ("field", "at"):
                if isinstance(item.get(key), str):
                    read.add(item[key])
            todo += list(item.keys()) + list(item.values())
        elif is_dataclass(item) and not isinstance(item, type):
            todo += [getattr(item, f.name) for f in fields(item)]
        elif isinstance(item, list | tuple | set | frozenset):
            todo += list(item)
    return read


def presence_only_fields(checklist: Checklist, destinations: Destinations) -> frozenset[str]:
    """The fields whose value the summary reads only as answered/not and valid/not."""
    parts = [getattr(checklist, f.name) for f in fields(checklist)
             if f.name not in NOT_SUMMARISED]
    read = _conditions_read(parts) | _conditions_read(destinations)
    derived = {d.id for d in checklist.derived_fields}
    return frozenset(f.id for _step, f in _all_fields(checklist)
                     if f.type != "checkbox" and f.id not in read and f.id not in derived
                     and f.id != NATION_FIELD)


def _all_fields(checklist: Checklist) -> Iterator[tuple[str, Field]]:
    for step in checklist.steps:
        for f in step.fields:
            yield step.id, f


def summary_unchanged(field: Field, before: Value | None, after: Value | None,
                      checklist: Checklist, presence_only: frozenset[str]) -> bool:
    """Whether replacing ``before`` by ``after`` leaves the summary as it was."""
    return (field.id in presence_only and is_present(before) == is_present(after)
            and _valid(field, before, checklist) == _valid(field, after, checklist))


def _valid(field: Field, value: Value | None, checklist: Checklist) -> bool:
    if not is_present(value):
        return True
    try:
        validate(field, value, checklist.list_values)
    except InvalidAnswer:
        return False
    return True
