"""The case list's queries: what the worker typed and clicked, as a query on the summaries."""

from __future__ import annotations

from dataclasses import dataclass

from firstcontact.app.review_words import state_words
from firstcontact.app.sync_words import sync_words
from firstcontact.app.views import CaseListRow
from firstcontact.domain.model import Checklist
from firstcontact.i18n import _
from firstcontact.store import records
from firstcontact.store.summary_query import SummaryQuery


@dataclass(frozen=True)
class CaseQuery:
    """Search text (reference, creation date or the stage's title as shown), a status (None for
    all) and the order: reference, created, stage, status, or ``dest:<id>`` for a destination's
    completeness."""

    text: str = ""
    status: str | None = None
    sort: str = "created"
    descending: bool = True
    review: str | None = None  # "for-review": a supervisor's pulled copies awaiting review


def summary_query(query: CaseQuery, checklist: Checklist) -> SummaryQuery:
    needle = query.text.strip().casefold()
    stages = tuple(s.id for s in checklist.stages
                   if needle and needle in _(s.title).casefold())
    sort = (f"completeness:{query.sort.removeprefix('dest:')}"
            if query.sort.startswith("dest:") else query.sort)
    return SummaryQuery(status=query.status, text=needle, stages=stages, sort=sort,
                        descending=query.descending, review=query.review,
                        stage_rank=tuple(s.id for s in checklist.stages))


def list_row(row: records.SummaryRow, stage_titles: dict[str, str]) -> CaseListRow:
    return CaseListRow(case_id=row.case_id, reference=row.reference, created_at=row.created_at,
                       status=row.status, stage=row.stage_reached,
                       stage_title=stage_titles.get(row.stage_reached or ""),
                       completeness=dict(row.completeness), sync_state=row.sync_state,
                       last_export_destination=row.last_export_destination,
                       last_export_at=row.last_export_at,
                       decision_due=row.decision_due and row.status == "open",
                       follow_up_due=row.follow_up_due if row.status == "open" else None,
                       sync_at=row.sync_at, sync_reason=row.sync_reason,
                       sync_words=sync_words(row.sync_state, row.sync_at, row.sync_reason),
                       origin=row.origin, owner=row.owner, review_state=row.review_state,
                       review_words=state_words(row.review_state))
