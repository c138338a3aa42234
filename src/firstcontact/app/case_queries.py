"""Reading cases: find one, its state, its detail for the screens and `case show`, its notes,
coverage, audit trail and interpreters, the case list's ids and rows, and the case as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from firstcontact.app.case_io import FORMAT, VERSION
from firstcontact.app.case_listing import CaseQuery, list_row, summary_query
from firstcontact.app.context import Context
from firstcontact.app.errors import NotFound
from firstcontact.app.review_words import review_view
from firstcontact.app.sync_words import sync_words
from firstcontact.app.views import (
    AnswerView,
    AuditView,
    CaseDetail,
    CaseListRow,
    CoverageView,
    ExportView,
    NoteView,
    StageView,
    StepView,
    SyncView,
    WarningView,
)
from firstcontact.domain.case import CaseState, ConsentRecord, CriterionMark
from firstcontact.domain.interpreters import Interpreter, case_interpreters
from firstcontact.domain.model import Value
from firstcontact.i18n import _
from firstcontact.referral.check import not_discussed
from firstcontact.referral.content import display_value
from firstcontact.store import records
from firstcontact.store.errors import StoreError


class CaseQueries:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def find(self, ref: str) -> records.CaseRow:
        """A case by reference or id (NotFound with a message otherwise)."""
        try:
            return self._ctx.store.get_case(ref)
        except StoreError:
            raise NotFound(_("no case '{ref}'").format(ref=ref)) from None

    def state(self, case_id: str, *, audit: bool = False) -> CaseState:
        """The case as the domain sees it; ``audit``: recorded as opened."""
        return state_from(self._ctx.store.load_case(case_id, audit=audit))

    def data(self, case_id: str) -> records.CaseData:
        return self._ctx.store.load_case(case_id)

    def state_with_history(self, case_id: str) -> tuple[CaseState, tuple[ConsentRecord, ...]]:
        data = self._ctx.store.load_case(case_id)
        return state_from(data), data.consent_history

    # -- the case list -------------------------------------------------------------------------
    def list_cases(self, *, status: str | None = None, search: str | None = None,
             limit: int | None = None) -> list[CaseListRow]:
        """Every matching case, newest first (the CLI; the GUI reads a screenful at a time)."""
        titles = self._stage_titles
        return [list_row(r, titles) for r in
                self._ctx.store.list_summaries(status=status, search=search, limit=limit)]

    def ids(self, query: CaseQuery) -> list[str]:
        """The ids of the cases matching ``query`` in its order: the case list's rows."""
        return self._ctx.store.summary_ids(summary_query(query, self._ctx.checklist))

    def rows(self, case_ids: Sequence[str]) -> list[CaseListRow]:
        """The rows of ``case_ids`` in that order (cases deleted meanwhile are left out)."""
        titles = self._stage_titles
        return [list_row(r, titles) for r in self._ctx.store.summaries(case_ids)]

    # the case list's model reads through these names (ui.cases.table_model.CaseSource)
    case_ids = ids
    case_rows = rows

    @cached_property
    def _stage_titles(self) -> dict[str, str]:
        return {s.id: s.title for s in self._ctx.checklist.stages}

    # -- one case ------------------------------------------------------------------------------
    def detail(self, ref: str) -> CaseDetail:
        case = self.find(ref)
        data = self._ctx.store.load_case(case.id, audit=True)
        state = state_from(data)
        iv = self._ctx.interview
        applicable = iv.applicable_steps(state)
        progress = {p.stage.id: p for p in iv.progress(state)}
        stages = []
        for stage in self._ctx.checklist.stages:
            steps = []
            for step in (s for s in self._ctx.checklist.steps if s.stage == stage.id):
                answers = tuple(
                    AnswerView(f.id, f.label, state.answers[f.id],
                               display_value(iv, f.id, state.answers[f.id]))
                    for f in step.fields if f.id in state.answers)
                status: str
                if step in applicable:
                    status = iv.step_status(step, state)
                elif answers or step.id in state.skips:
                    status = "not-applicable"  # kept, shown, but not on this case's route
                else:
                    continue
                skip = state.skips.get(step.id)
                steps.append(StepView(step.id, step.title, status,
                                      iv.skip_words(state, step.id) if skip else None, answers,
                                      skip.reason if skip else None))
            p = progress[stage.id]
            stages.append(StageView(stage.id, stage.title, p.done, p.total, tuple(steps)))
        return CaseDetail(
            case_id=case.id, reference=case.reference, status=case.status,
            created_at=case.created_at, stages=tuple(stages),
            consents=tuple(state.consents.values()),
            consent_history=data.consent_history,
            coverage=self.coverage(state),
            notes=tuple(NoteView(n.id, n.kind, n.text, n.created_at) for n in data.notes),
            exports=tuple(ExportView(e.destination, e.exported_at, e.sha256)
                          for e in data.exports),
            warnings=tuple(WarningView(step.id, step.title, _(w.text),
                                       w.urgent and not iv.acted_on(w, state))
                           for step, w in iv.warnings(state)),
            sync=self.sync_view(case.id),
            reviews=tuple(review_view(r) for r in self._ctx.store.reviews(case.id)))

    def sync_view(self, case_id: str) -> SyncView:
        """Where the case stands with the organisation's hub, in words too."""
        sync = self._ctx.store.case_sync(case_id)
        return SyncView(sync.state, sync.revision, sync.acknowledged, sync.at, sync.reason,
                        sync_words(sync.state, sync.at, sync.reason))

    def coverage(self, state: CaseState) -> tuple[CoverageView, ...]:
        """Each PC's coverage as the case record, `case show` and the GUI show it."""
        return tuple(CoverageView(c.criterion.id, c.criterion.text, c.status, c.reasons,
                                  c.steps, tuple(_(m) for m in c.missing))
                     for c in self._ctx.interview.coverage(state))

    def notes(self, ref: str) -> tuple[NoteView, ...]:
        """The case's notes and follow-up contacts, oldest first (not audited as "opened")."""
        case = self.find(ref)
        data = self._ctx.store.load_case(case.id, audit=False)
        return tuple(NoteView(n.id, n.kind, n.text, n.created_at) for n in data.notes)

    def audit_events(self, ref: str | None = None) -> list[AuditView]:
        case_id = self.find(ref).id if ref else None
        refs = {r.case_id: r.reference for r in self._ctx.store.list_summaries()}
        return [AuditView(e.at, e.event, refs.get(e.case_id or "", e.case_id), e.detail)
                for e in self._ctx.store.audit_events(case_id)]

    def interpreters(self, ref: str) -> tuple[Interpreter, ...]:
        """The case's interpreters: the one on the interpreter step now, then earlier ones."""
        state, history = self.state_with_history(self.find(ref).id)
        return case_interpreters(state.answers, history, self._ctx.checklist.interpreter_fields)

    def not_discussed(self, state: CaseState) -> dict[str, str]:
        """Field id -> what a referral says of it ("Not discussed: …") on this case."""
        return not_discussed(self._ctx.interview, state)

    def export_document(self, ref: str) -> dict[str, Any]:
        """The case as a `case.schema.json` document (content: shown only because asked)."""
        case = self.find(ref)
        data = self._ctx.store.load_case(case.id, audit=True)
        self._ctx.store.audit("exported-json", case.id)
        return case_document(data)


def case_document(data: records.CaseData) -> dict[str, Any]:
    """A stored case as the case format's document (docs/case-format.md): what `case export`
    prints and what sync seals for the organisation."""
    case = data.case
    state = state_from(data)
    return {
        "format": FORMAT, "version": VERSION, "reference": case.reference,
        "status": case.status, "created_at": case.created_at,
        "answers": dict(state.answers),
        "consents": [consent_json(c) for c in data.consent_history],
        "skips": {step: {"reason": k.reason, "note": k.note}
                  for step, k in state.skips.items()},
        "exports": [{"destination": e.destination, "exported_at": e.exported_at,
                     "sha256": e.sha256} for e in data.exports],
        "criteria_marks": {pc: {"status": m.status, "note": m.note}
                           for pc, m in state.marks.items()},
        "notes": [{"kind": n.kind, "text": n.text, "created_at": n.created_at,
                   "details": _details(n.details_json)} for n in data.notes],
    }


def _details(stored: str | None) -> Any:
    """A note's details as standard JSON (NaN or Infinity stored by an older version: null)."""
    return json.loads(stored, parse_constant=lambda _name: None) if stored else None


def consent_json(c: ConsentRecord) -> dict[str, Any]:
    """A consent record as the case format writes it (docs/case-format.md)."""
    return {"destination": c.destination, "state": c.state, "explained_by": c.explained_by,
            "explained": c.explained, "language": c.language, "interpreter": c.interpreter,
            "recorded_at": c.recorded_at,
            "interpreter_independent": c.interpreter_independent,
            "interpreter_accredited": c.interpreter_accredited,
            "interpreter_reason": c.interpreter_reason, "shares_account": c.shares_account,
            "not_sought_reason": c.not_sought_reason,
            "explained_points": list(c.explained_points)}


def state_from(data: records.CaseData) -> CaseState:
    """The domain's view of a stored case."""
    answers: dict[str, Value] = {fid: json.loads(a.value_json) for fid, a in data.answers.items()}
    exports: dict[str, str] = {}
    for e in data.exports:  # oldest first: the last export per destination wins
        exports[e.destination] = e.exported_at
    return CaseState(
        answers=answers,
        consents=dict(data.consents),
        skips=dict(data.skips),
        marks={pc: CriterionMark(m.status, m.note or "") for pc, m in data.marks.items()},
        exports=exports, contact_date=data.case.created_at[:10])

