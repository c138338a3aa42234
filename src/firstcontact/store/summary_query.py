"""SQL over the stored case summaries: which cases match a filter, in which order, and the
rows for a block of them.

The case list asks for the ordered ids first (one small column, fast even for 10,000 cases)
and then for the rows of the block on screen, so opening, filtering and sorting never decode
every summary.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Integer, case, cast, func, or_, select

from firstcontact.store import records
from firstcontact.store.models import CaseSummary

_T = CaseSummary.__table__.c


@dataclass(frozen=True)
class SummaryQuery:
    """``text`` matches the reference or the creation date (YYYY-MM-DD) as a substring, case
    insensitively; ``stages`` adds cases whose stage reached is one of them (the caller matches
    the text against the stage titles it shows). ``sort`` is reference, created, stage, status,
    exported (the last export's time), reminders (a decision due first, then the review date),
    sync (the sync state) or ``completeness:<destination>``; ``stage_rank`` orders the stages
    for sorting."""

    status: str | None = None
    text: str = ""
    stages: tuple[str, ...] = ()
    sort: str = "created"
    descending: bool = True
    stage_rank: tuple[str, ...] = ()
    # "for-review": a supervisor's pulled copies still waiting for a decision (or with two
    # versions to compare); "pulled": every pulled copy
    review: str | None = None


def _sort_column(query: SummaryQuery) -> ColumnElement[object]:
    if query.sort == "reference":
        return _T.reference
    if query.sort == "created":
        return _T.created_at
    if query.sort == "status":
        return _T.status
    if query.sort == "exported":
        return func.coalesce(_T.last_export_at, "")
    if query.sort == "reminders":  # descending: a decision due, then the earliest review
        due = case((_T.decision_due.is_(True), 100_000_000), else_=0)
        review = func.coalesce(cast(func.replace(_T.follow_up_due, "-", ""), Integer), 99_999_999)
        return due - review
    if query.sort == "sync":
        return _T.sync_state
    if query.sort == "review":
        return func.coalesce(_T.review_state, "")
    if query.sort == "stage":
        ranks = [(_T.stage_reached == stage, rank) for rank, stage in enumerate(query.stage_rank)]
        return case(*ranks, else_=-1) if ranks else _T.stage_reached
    if query.sort.startswith("completeness:"):
        path = json.dumps(query.sort.removeprefix("completeness:"))  # a quoted JSON path key
        return func.coalesce(func.json_extract(_T.completeness_json, f"$.{path}"), "")
    raise ValueError(f"unknown sort key {query.sort!r}")


_COLUMNS = (_T.case_id, _T.reference, _T.created_at, _T.status, _T.stage_reached,
            _T.completeness_json, _T.sync_state, _T.last_export_destination,
            _T.last_export_at, _T.decision_due, _T.follow_up_due, _T.sync_at, _T.sync_reason,
            _T.origin, _T.owner, _T.review_state)


def _where(query: SummaryQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.status is not None:
        conditions.append(_T.status == query.status)
    if query.review == "for-review":
        conditions.append(_T.origin == "pulled")
        conditions.append(_T.review_state.in_(("for-review", "conflict")))
    elif query.review == "pulled":
        conditions.append(_T.origin == "pulled")
    needle = query.text.strip()
    if needle:
        # SQLite's LIKE ignores ASCII case (references and dates are ASCII); lower() on every
        # row would cost four times the scan
        matches = [_T.search_text.contains(needle, autoescape=True),
                   func.substr(_T.created_at, 1, 10).contains(needle, autoescape=True)]
        if query.stages:
            matches.append(_T.stage_reached.in_(query.stages))
        conditions.append(or_(*matches))
    return conditions


def case_ids(conn: Connection, query: SummaryQuery) -> list[str]:
    """The ids of the matching cases, in the query's order."""
    column = _sort_column(query)
    order = [column.desc() if query.descending else column.asc()]
    if query.sort != "created":
        order.append(_T.created_at.desc())  # ties (same stage, same status…) newest first
    # by creation time alone the index gives the order; a tie-breaker would sort the whole
    # table again (created_at has microseconds: ties are as good as impossible)
    stmt = select(_T.case_id).where(*_where(query)).order_by(*order)
    return list(conn.execute(stmt).scalars().all())


def summaries(conn: Connection, ids: Sequence[str]) -> list[records.SummaryRow]:
    """The summaries of ``ids`` (a screenful) in that order; ids no longer stored are left out."""
    stmt = select(*_COLUMNS).where(_T.case_id.in_(list(ids)))
    return _rows_in_order(conn.execute(stmt).all(), ids)


def all_summaries(conn: Connection, query: SummaryQuery,
                  limit: int | None = None) -> list[records.SummaryRow]:
    """Every matching summary in the query's order (for the CLI's list and exports)."""
    ids = case_ids(conn, query)[:limit]
    rows = conn.execute(select(*_COLUMNS).where(*_where(query))).all()
    return _rows_in_order(rows, ids)


def _rows_in_order(rows: Sequence[Sequence[object]],
                   ids: Sequence[str]) -> list[records.SummaryRow]:
    parsed: dict[str, dict[str, str]] = {}  # summaries share a few completeness shapes
    by_id: dict[str, records.SummaryRow] = {}
    for r in rows:
        text = str(r[5])
        completeness = parsed.get(text)
        if completeness is None:
            completeness = parsed[text] = json.loads(text)
        by_id[str(r[0])] = records.SummaryRow(
            str(r[0]), str(r[1]), str(r[2]), str(r[3]),
            None if r[4] is None else str(r[4]), completeness, str(r[6]),
            _opt(r[7]), _opt(r[8]), bool(r[9]), _opt(r[10]), _opt(r[11]), _opt(r[12]),
            str(r[13]), _opt(r[14]), _opt(r[15]))
    return [by_id[i] for i in ids if i in by_id]


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
