"""The application layer: an unlocked store plus the interview, used by the CLI and the GUI.

Every change goes through here: the answer is validated by the domain, saved by the store with
the case's summary (stage reached, completeness per destination) in the same transaction, and
audited by id only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from firstcontact.app.case_io import FORMAT, validate_document
from firstcontact.app.case_listing import CaseQuery, list_row, summary_query
from firstcontact.app.errors import Invalid, NotFound, Refused
from firstcontact.app.profile import Profile, profile_from_json, updated_profile
from firstcontact.app.views import (
    AnswerView,
    AuditView,
    CaseDetail,
    CaseListRow,
    ConsentView,
    CoverageView,
    NoteView,
    StageView,
    StepView,
)
from firstcontact.checklists import load_checklist
from firstcontact.domain.case import CaseState, ConsentRecord, CriterionMark
from firstcontact.domain.interview import Interview
from firstcontact.domain.model import DESTINATIONS, Checklist, Value
from firstcontact.domain.values import InvalidAnswer, parse_text, validate
from firstcontact.i18n import _
from firstcontact.referral.check import PackCheck, PackInputs, check_pack
from firstcontact.referral.content import display_value
from firstcontact.referral.loader import load_destinations
from firstcontact.referral.model import Destinations
from firstcontact.referral.services import Service, load_services, services_file
from firstcontact.store import records
from firstcontact.store.audit_chain import ChainCheck
from firstcontact.store.errors import DiskFull, StoreError
from firstcontact.store.facade import Store

PROFILE_KEY = "profile"
RETENTION_KEY = "retention"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Workspace:
    """One unlocked store. Close it to drop the key."""

    def __init__(self, store: Store, data_dir: Path, checklist: Checklist | None = None) -> None:
        self.store = store
        self.data_dir = data_dir
        self.checklist = checklist or load_checklist()
        self.interview = Interview(self.checklist)
        self._profile: Profile | None = None  # read once per unlock; set_profile updates it

    # -- opening -------------------------------------------------------------------------------
    @staticmethod
    def exists(data_dir: Path) -> bool:
        return Store.exists(data_dir)

    @staticmethod
    def require_store(data_dir: Path) -> None:
        if not Store.exists(data_dir):
            raise NotFound(_("no store in {dir}: create one with `firstcontact init`").format(
                dir=data_dir))

    @staticmethod
    def refuse_existing(data_dir: Path) -> None:
        if Store.exists(data_dir):
            raise Invalid(_("a store already exists in {dir}; it was left untouched").format(
                dir=data_dir))

    @classmethod
    def create(cls, data_dir: Path, passphrase: str,
               recovery_public_key: Path | None = None) -> Workspace:
        return cls(Store.create(data_dir, passphrase, recovery_public_key), data_dir)

    @classmethod
    def unlock(cls, data_dir: Path, passphrase: str) -> Workspace:
        ws = cls(Store.unlock(data_dir, passphrase), data_dir)
        with contextlib.suppress(DiskFull):  # a full disk: applied at a later unlock
            ws.apply_retention()
        return ws

    # -- retention and erasure -----------------------------------------------------------------
    def retention_days(self) -> int | None:
        """Closed cases are erased this many days after their last change (None: never)."""
        raw = self.store.get_setting(RETENTION_KEY)
        value = json.loads(raw).get("closed_days") if raw else None
        return int(value) if isinstance(value, int) else None

    def set_retention_days(self, days: int | None) -> None:
        if days is not None and days < 1:
            raise Invalid(_("retention must be at least 1 day (or off)"))
        self.store.set_setting(RETENTION_KEY, json.dumps({"closed_days": days}))
        self.store.audit("retention-changed", detail=f"closed_days={days}")

    def apply_retention(self) -> int:
        """Erase closed cases past the retention period; returns how many."""
        days = self.retention_days()
        if days is None:
            return 0
        cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ")
        return self.store.purge_closed(cutoff)

    def delete_case(self, ref: str) -> None:
        self.store.delete_case(self.find_case(ref).id)

    def close(self) -> None:
        self.store.close()

    @property
    def is_open(self) -> bool:
        return self.store.is_open

    def change_passphrase(self, old: str, new: str, progress: Callable[[float], None] | None = None,
                          recovery_public_key: Path | None = None) -> None:
        """A new passphrase and a new data key: the store is re-encrypted (``progress`` is told
        the fraction done)."""
        self.store.change_passphrase(old, new, progress, recovery_public_key)

    def verify_audit(self) -> ChainCheck:
        return self.store.verify_audit()

    # -- reference data ------------------------------------------------------------------------
    @cached_property
    def destinations(self) -> Destinations:
        return load_destinations(self.checklist)

    def services(self, kind: str | None = None) -> tuple[Service, ...]:
        found = load_services(services_file(self.data_dir))
        return tuple(s for s in found if kind is None or s.kind == kind)

    def service(self, service_id: str) -> Service:
        found = next((s for s in self.services() if s.id == service_id), None)
        if found is None:
            raise NotFound(_("no service '{id}' in the services directory (see `firstcontact "
                             "services list`)").format(id=service_id))
        return found

    # -- profile -------------------------------------------------------------------------------
    def profile(self) -> Profile:
        if self._profile is None:
            raw = self.store.get_setting(PROFILE_KEY)
            self._profile = profile_from_json(json.loads(raw)) if raw else Profile()
        return self._profile

    def set_profile(self, **changes: str | None) -> Profile:
        new = updated_profile(self.profile(), dict(changes), self.checklist)
        self.store.set_setting(PROFILE_KEY, json.dumps(new.as_json()))
        self._profile = new
        self.store.audit("profile-changed")
        return new

    # -- cases ---------------------------------------------------------------------------------
    def find_case(self, ref: str) -> records.CaseRow:
        try:
            return self.store.get_case(ref)
        except StoreError:
            raise NotFound(_("no case '{ref}'").format(ref=ref)) from None

    def state(self, case_id: str, *, audit: bool = False) -> CaseState:
        return state_from(self.store.load_case(case_id, audit=audit))

    def summary(self, case: records.CaseRow, state: CaseState) -> records.SummaryUpdate:
        stage = self.interview.stage_reached(state)
        inputs = self.pack_inputs(case, None)
        completeness = {}
        for d in self.destinations.items:
            result = check_pack(self.interview, self.destinations, d, state, inputs)
            completeness[d.id] = ("refused" if result.refusals else
                                  "complete" if result.complete else "incomplete")
        return records.SummaryUpdate(stage_reached=stage.id if stage else None,
                                     completeness=completeness, sync_state="local-only",
                                     search_text=case.reference)

    def new_case(self) -> records.CaseRow:
        case = self.store.create_case()
        nation = self.profile().nation
        if nation:
            state = CaseState(answers={"fr-location": nation})
            self.store.save_answer(case.id, "fr-location", json.dumps(nation),
                                   self.summary(case, state))
        else:
            self.store.update_summary(case.id, self.summary(case, CaseState()))
        return case

    def list_cases(self, *, status: str | None = None, search: str | None = None,
                   limit: int | None = None) -> list[CaseListRow]:
        """Every matching case, newest first (the CLI; the GUI reads a screenful at a time)."""
        titles = self._stage_titles
        return [list_row(r, titles)
                for r in self.store.list_summaries(status=status, search=search, limit=limit)]

    def case_ids(self, query: CaseQuery) -> list[str]:
        """The ids of the cases matching ``query`` in its order: the case list's rows."""
        return self.store.summary_ids(summary_query(query, self.checklist))

    def case_rows(self, case_ids: Sequence[str]) -> list[CaseListRow]:
        """The rows of ``case_ids`` in that order (cases deleted meanwhile are left out)."""
        titles = self._stage_titles
        return [list_row(r, titles) for r in self.store.summaries(case_ids)]

    @cached_property
    def _stage_titles(self) -> dict[str, str]:
        return {s.id: s.title for s in self.checklist.stages}

    def set_status(self, ref: str, status: str) -> None:
        case = self.find_case(ref)
        self.store.set_case_status(case.id, status)

    # -- answers -------------------------------------------------------------------------------
    def _field(self, field_id: str) -> Any:
        if self.interview.is_derived(field_id):
            raise Refused(_("'{field}' is derived from the consent record; record consent "
                            "instead (`firstcontact consent record`)").format(field=field_id))
        field = self.checklist.field(field_id)
        if field is None:
            raise NotFound(_("no field '{field}' (see `firstcontact steps`)").format(
                field=field_id))
        return field

    def answer(self, ref: str, field_id: str, value: object) -> int:
        """Validate and save one answer; returns its new revision."""
        field = self._field(field_id)
        try:
            clean = validate(field, value, self.checklist.list_values)
        except InvalidAnswer as exc:
            raise Invalid(exc.message if exc.message.startswith(field_id)
                          else f"{field_id}: {exc.message}") from None
        case = self.find_case(ref)
        state = self.state(case.id)
        new = CaseState({**state.answers, field_id: clean}, state.consents, state.skips,
                        state.marks)
        return self.store.save_answer(case.id, field_id, json.dumps(clean, ensure_ascii=False),
                                      self.summary(case, new))

    def answer_text(self, ref: str, field_id: str, text: str) -> int:
        field = self._field(field_id)
        try:
            value = parse_text(field, text)
        except InvalidAnswer as exc:
            raise Invalid(f"{field_id}: {exc.message}") from None
        return self.answer(ref, field_id, value)

    def clear_answer(self, ref: str, field_id: str) -> None:
        self._field(field_id)
        case = self.find_case(ref)
        state = self.state(case.id)
        answers = {k: v for k, v in state.answers.items() if k != field_id}
        self.store.clear_answer(case.id, field_id,
                                self.summary(case, CaseState(answers, state.consents,
                                                             state.skips, state.marks)))

    def skip_step(self, ref: str, step_id: str, reason: str | None) -> None:
        if self.checklist.step(step_id) is None:
            raise NotFound(_("no step '{step}' (see `firstcontact steps`)").format(step=step_id))
        if reason is not None and not reason.strip():
            raise Invalid(_("give a reason why the step was not possible now"))
        case = self.find_case(ref)
        state = self.state(case.id)
        skips = {k: v for k, v in state.skips.items() if k != step_id}
        if reason is not None:
            skips[step_id] = reason
        self.store.set_skip(case.id, step_id, reason, self.summary(
            case, CaseState(state.answers, state.consents, skips, state.marks)))

    def mark_criterion(self, ref: str, pc: str, status: str | None, note: str) -> None:
        if pc not in {c.id for c in self.checklist.criteria}:
            raise NotFound(_("no criterion '{pc}' (see `firstcontact criteria`)").format(pc=pc))
        if status is not None and not note.strip():
            raise Invalid(_("add a note saying how it was met or why it does not apply"))
        case = self.find_case(ref)
        state = self.state(case.id)
        marks = {k: v for k, v in state.marks.items() if k != pc}
        if status is not None:
            marks[pc] = CriterionMark(status, note)  # type: ignore[arg-type]
        self.store.set_criterion_mark(case.id, pc, status, note if status else None, self.summary(
            case, CaseState(state.answers, state.consents, state.skips, marks)))

    def add_note(self, ref: str, text: str, *, kind: str = "note",
                 details: dict[str, Any] | None = None) -> str:
        if not text.strip():
            raise Invalid(_("the note is empty"))
        _check_text(text)
        case = self.find_case(ref)
        state = self.state(case.id)
        return self.store.add_note(case.id, kind, text,
                                   json.dumps(details, ensure_ascii=False) if details else None,
                                   self.summary(case, state))

    # -- consent -------------------------------------------------------------------------------
    def record_consent(self, ref: str, destination: str, state_name: str, *, explained_by: str,
                       language: str, interpreter: str | None = None,
                       explained: str = "") -> None:
        if destination not in DESTINATIONS:
            raise NotFound(_("no destination '{d}'; destinations: {all}").format(
                d=destination, all=", ".join(DESTINATIONS)))
        if not explained_by.strip() or not language.strip():
            raise Invalid(_("say who explained and in which language"))
        if state_name != "withdrawn" and not explained.strip():
            raise Invalid(_("say what was explained: an informed decision needs it"))
        for text in (explained_by, language, interpreter or "", explained):
            _check_text(text)
        case = self.find_case(ref)
        if state_name == "withdrawn":
            current = self.state(case.id).consents.get(destination)
            if current is None or current.state != "given":
                raise Invalid(_("there is no given consent for '{d}' to withdraw").format(
                    d=destination))
        record = ConsentRecord(destination, state_name, explained_by,  # type: ignore[arg-type]
                               language, interpreter or None, explained, now_iso())
        state = self.state(case.id)
        consents = {**state.consents, destination: record}
        self.store.record_consent(case.id, records.ConsentInput(
            destination=destination, state=state_name, explained_by=explained_by,
            explained=explained, language=language, interpreter=interpreter or None),
            self.summary(case, CaseState(state.answers, consents, state.skips, state.marks)))

    def withdraw_consent(self, ref: str, destination: str) -> None:
        case = self.find_case(ref)
        current = self.state(case.id).consents.get(destination)
        if current is None or current.state != "given":
            raise Invalid(_("there is no given consent for '{d}' to withdraw").format(
                d=destination))
        self.record_consent(ref, destination, "withdrawn", explained_by=current.explained_by,
                            language=current.language, interpreter=current.interpreter,
                            explained=current.explained)

    # -- import / export ----------------------------------------------------------------------
    def export_case(self, ref: str) -> dict[str, Any]:
        """The case as a `case.schema.json` document (content: shown only because asked)."""
        case = self.find_case(ref)
        data = self.store.load_case(case.id, audit=True)
        state = state_from(data)
        self.store.audit("exported-json", case.id)
        return {
            "format": FORMAT, "version": 1, "reference": case.reference,
            "status": case.status, "created_at": case.created_at,
            "answers": dict(state.answers),
            "consents": [{"destination": c.destination, "state": c.state,
                          "explained_by": c.explained_by, "explained": c.explained,
                          "language": c.language, "interpreter": c.interpreter,
                          "recorded_at": c.recorded_at} for c in consent_history(data)],
            "skips": dict(state.skips),
            "criteria_marks": {pc: {"status": m.status, "note": m.note}
                               for pc, m in state.marks.items()},
            "notes": [{"kind": n.kind, "text": n.text, "created_at": n.created_at,
                       "details": _details(n.details_json)} for n in data.notes],
        }

    def import_case(self, doc: object) -> records.CaseRow:
        """Create a new case from a document; all or nothing."""
        derived = {d.id for d in self.checklist.derived_fields}
        imported = validate_document(doc, self.checklist, derived)
        consents = [ConsentRecord(c["destination"], c["state"], c["explained_by"], c["language"],
                                  c.get("interpreter"), c.get("explained", ""),
                                  c.get("recorded_at", "")) for c in imported.consents]
        current = {c.destination: c for c in consents}
        state = CaseState(imported.answers, current, imported.skips,
                          {pc: CriterionMark(m["status"], m["note"])  # type: ignore[arg-type]
                           for pc, m in imported.marks.items()})
        # computed before the write: the store fills in the new case's reference
        placeholder = records.CaseRow("", "", "", "", imported.status, None)
        summary = self.summary(placeholder, state)

        return self.store.import_case(
            status=imported.status,
            answers={k: json.dumps(v, ensure_ascii=False) for k, v in imported.answers.items()},
            consents=[records.ConsentInput(destination=c.destination, state=c.state,
                                           explained_by=c.explained_by, explained=c.explained,
                                           language=c.language, interpreter=c.interpreter)
                      for c in consents],
            skips=imported.skips,
            marks={pc: (m["status"], m["note"]) for pc, m in imported.marks.items()},
            notes=[(n["kind"], n["text"], json.dumps(n["details"], ensure_ascii=False,
                                                     allow_nan=False)
                    if n.get("details") else None) for n in imported.notes],
            summary=summary)

    # -- views ---------------------------------------------------------------------------------
    def case_detail(self, ref: str) -> CaseDetail:
        case = self.find_case(ref)
        data = self.store.load_case(case.id, audit=True)
        state = state_from(data)
        iv = self.interview
        applicable = iv.applicable_steps(state)
        progress = {p.stage.id: p for p in iv.progress(state)}
        stages = []
        for stage in self.checklist.stages:
            steps = []
            for step in (s for s in self.checklist.steps if s.stage == stage.id):
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
                steps.append(StepView(step.id, step.title, status, state.skips.get(step.id),
                                      answers))
            p = progress[stage.id]
            stages.append(StageView(stage.id, stage.title, p.done, p.total, tuple(steps)))
        return CaseDetail(
            case_id=case.id, reference=case.reference, status=case.status,
            created_at=case.created_at, stages=tuple(stages),
            consents=tuple(_consent_view(c) for c in state.consents.values()),
            consent_history=tuple(_consent_view(c) for c in consent_history(data)),
            coverage=tuple(CoverageView(c.criterion.id, c.criterion.text, c.status, c.reasons,
                                        c.steps) for c in iv.coverage(state)),
            notes=tuple(NoteView(n.id, n.kind, n.text, n.created_at) for n in data.notes))

    def notes(self, ref: str) -> tuple[NoteView, ...]:
        """The case's notes and follow-up contacts, oldest first (not audited as "opened")."""
        case = self.find_case(ref)
        data = self.store.load_case(case.id, audit=False)
        return tuple(NoteView(n.id, n.kind, n.text, n.created_at) for n in data.notes)

    def audit_events(self, ref: str | None = None) -> list[AuditView]:
        case_id = self.find_case(ref).id if ref else None
        refs = {r.case_id: r.reference for r in self.store.list_summaries()}
        return [AuditView(e.at, e.event, refs.get(e.case_id or "", e.case_id), e.detail)
                for e in self.store.audit_events(case_id)]

    # -- packs ---------------------------------------------------------------------------------
    def pack_inputs(self, case: records.CaseRow, service_id: str | None) -> PackInputs:
        return PackInputs(reference=case.reference, profile=self.profile().nrm_fields(),
                          service=self.service(service_id) if service_id else None)

    def check_pack(self, ref: str, destination: str, service_id: str | None = None
                   ) -> PackCheck:
        dest = self.destinations.get(destination)
        if dest is None:
            raise NotFound(_("no destination '{d}'; destinations: {all}").format(
                d=destination, all=", ".join(self.destinations.ids())))
        case = self.find_case(ref)
        return check_pack(self.interview, self.destinations, dest, self.state(case.id),
                          self.pack_inputs(case, service_id))


def _details(stored: str | None) -> Any:
    """A note's details as standard JSON (NaN or Infinity stored by an older version: null)."""
    return json.loads(stored, parse_constant=lambda _name: None) if stored else None


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(_("the text contains characters that cannot be stored (an unpaired "
                        "surrogate)")) from None


def _consent_view(c: ConsentRecord) -> ConsentView:
    return ConsentView(c.destination, c.state, c.explained_by, c.language, c.interpreter,
                       c.explained, c.recorded_at)


def _to_record(c: Any) -> ConsentRecord:
    return ConsentRecord(destination=c.destination, state=c.state, explained_by=c.explained_by,
                         language=c.language, interpreter=c.interpreter,
                         explained=c.explained or "", recorded_at=c.recorded_at)


def consent_history(data: records.CaseData) -> list[ConsentRecord]:
    return [_to_record(c) for c in data.consent_history]


def state_from(data: records.CaseData) -> CaseState:
    """The domain's view of a stored case."""
    answers: dict[str, Value] = {fid: json.loads(a.value_json) for fid, a in data.answers.items()}
    return CaseState(
        answers=answers,
        consents={d: _to_record(c) for d, c in data.consents.items()},
        skips=dict(data.skips),
        marks={pc: CriterionMark(m.status, m.note or "")  # type: ignore[arg-type]
               for pc, m in data.marks.items()})

