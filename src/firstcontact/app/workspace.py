"""The application layer: an unlocked store plus the interview, used by the CLI and the GUI.

Every change goes through here: the answer is validated by the domain, saved by the store with
the case's summary (stage reached, completeness per destination) in the same transaction, and
audited by id only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

from firstcontact.app.case_io import FORMAT, VERSION, validate_document
from firstcontact.app.case_listing import CaseQuery, list_row, summary_query
from firstcontact.app.consent_points import checked_points
from firstcontact.app.errors import Invalid, NotFound, Refused
from firstcontact.app.profile import Profile, profile_from_json, updated_profile
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
    WarningView,
)
from firstcontact.checklists import load_checklist
from firstcontact.domain.case import (
    NOT_SOUGHT_REASONS,
    CaseState,
    ConsentRecord,
    ConsentState,
    CriterionMark,
    MarkStatus,
    SkipRecord,
)
from firstcontact.domain.conditions import evaluate
from firstcontact.domain.interpreters import Interpreter, case_interpreters, find
from firstcontact.domain.interview import Interview
from firstcontact.domain.model import DESTINATIONS, Checklist, Value
from firstcontact.domain.values import InvalidAnswer, parse_text, validate
from firstcontact.i18n import _
from firstcontact.referral.check import PackCheck, PackInputs, check_pack, not_discussed
from firstcontact.referral.content import display_value
from firstcontact.referral.loader import load_destinations
from firstcontact.referral.model import Destinations
from firstcontact.referral.services import Service, load_services, services_file
from firstcontact.store import records
from firstcontact.store.errors import StoreError
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

    def change_passphrase(self, old: str, new: str) -> None:
        self.store.change_passphrase(old, new)

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

    def state_with_history(self, case_id: str) -> tuple[CaseState, tuple[ConsentRecord, ...]]:
        data = self.store.load_case(case_id)
        return state_from(data), data.consent_history

    def summary(self, case: records.CaseRow, state: CaseState) -> records.SummaryUpdate:
        stage = self.interview.stage_reached(state)
        inputs = self.pack_inputs(case, None)
        completeness = {}
        for d in self.destinations.items:
            result = check_pack(self.interview, self.destinations, d, state, inputs)
            completeness[d.id] = ("refused" if result.refusals else
                                  "complete" if result.complete else "incomplete")
        reminders = self.interview.reminders(state)
        return records.SummaryUpdate(stage_reached=stage.id if stage else None,
                                     completeness=completeness, sync_state="local-only",
                                     search_text=case.reference,
                                     decision_due=reminders.decision_due,
                                     follow_up_due=reminders.review_date)

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
        new = replace(state, answers={**state.answers, field_id: clean})
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
                                self.summary(case, replace(state, answers=answers)))

    def skip_step(self, ref: str, step_id: str, reason: str | None, note: str = "") -> None:
        """Mark a step "not possible now" with one of the interview's skip reasons (what a
        pack may say) and the worker's own note (never in a referral); ``reason=None`` takes
        it back."""
        if self.checklist.step(step_id) is None:
            raise NotFound(_("no step '{step}' (see `firstcontact steps`)").format(step=step_id))
        skip = None
        if reason is not None:
            if self.checklist.skip_reason(reason) is None:
                raise Invalid(_("the reason must be one of: {reasons}").format(
                    reasons=", ".join(r.id for r in self.checklist.skip_reasons)))
            if reason == "other" and not note.strip():
                raise Invalid(_("say why in the note when the reason is 'other'"))
            _check_text(note)
            skip = SkipRecord(reason, note.strip())
        case = self.find_case(ref)
        state = self.state(case.id)
        skips = {k: v for k, v in state.skips.items() if k != step_id}
        if skip is not None:
            skips[step_id] = skip
        self.store.set_skip(case.id, step_id, skip, self.summary(
            case, replace(state, skips=skips)))

    def mark_criterion(self, ref: str, pc: str, status: MarkStatus | None, note: str) -> None:
        if pc not in {c.id for c in self.checklist.criteria}:
            raise NotFound(_("no criterion '{pc}' (see `firstcontact criteria`)").format(pc=pc))
        if status is not None and not note.strip():
            raise Invalid(_("add a note saying how it was met or why it does not apply"))
        case = self.find_case(ref)
        state = self.state(case.id)
        marks = {k: v for k, v in state.marks.items() if k != pc}
        if status is not None:
            marks[pc] = CriterionMark(status, note)
        self.store.set_criterion_mark(case.id, pc, status, note if status else None, self.summary(
            case, replace(state, marks=marks)))

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
    def interpreters(self, ref: str) -> tuple[Interpreter, ...]:
        """The case's interpreters: the one on the interpreter step now, then earlier ones."""
        state, history = self.state_with_history(self.find_case(ref).id)
        return case_interpreters(state.answers, history, self.checklist.interpreter_fields)

    def _consent_refusal(self, destination: str, state: CaseState) -> str | None:
        """Why no consent is recorded for ``destination`` on this case (None: it needs one)."""
        dest = self.destinations.get(destination)
        if dest is None or dest.consent is None:
            return _("this destination needs no consent from the person ({title} is made "
                     "without it, within its own rules)").format(
                         title=_(dest.title) if dest else destination)
        need = dest.consent
        if need.when is not None and not evaluate(need.when, self.interview.facts(state)):
            return _("no consent is asked for this case (a child's referral is made without "
                     "it); record the child's views on the child referral step instead")
        return None

    def record_consent(self, ref: str, destination: str, state_name: ConsentState, *,
                       explained_by: str, language: str, interpreter: str | None = None,
                       explained: str = "", interpreter_reason: str = "",
                       shares_account: bool = False, not_sought_reason: str = "",
                       explained_points: Sequence[str] = ()) -> None:
        """Record the person's decision (given, declined), that it could not be sought (with
        the reason), or — through :meth:`withdraw_consent` — its withdrawal.

        The interpreter must be one of the case's interpreters (recorded on the interpreter
        step); one who is not independent of the person needs ``interpreter_reason``.
        ``explained_points``: the consent step's points the explanation covered (every one for
        a decision "given"; see `consent_points`)."""
        if destination not in DESTINATIONS:
            raise NotFound(_("no destination '{d}'; destinations: {all}").format(
                d=destination, all=", ".join(DESTINATIONS)))
        if not explained_by.strip():
            raise Invalid(_("say who explained (or who took the decision)"))
        if state_name == "not-sought":
            if not_sought_reason not in NOT_SOUGHT_REASONS:
                raise Invalid(_("say why consent could not be sought: {reasons}").format(
                    reasons=", ".join(NOT_SOUGHT_REASONS)))
        elif not language.strip():
            raise Invalid(_("say who explained and in which language"))
        for text in (explained_by, language, interpreter or "", explained, interpreter_reason):
            _check_text(text)
        case = self.find_case(ref)
        state, history = self.state_with_history(case.id)
        refusal = self._consent_refusal(destination, state)
        if refusal is not None:
            raise Refused(refusal)
        points = checked_points(self.checklist, destination, state_name, explained_points,
                                explained)
        if state_name == "withdrawn":
            current = state.consents.get(destination)
            if current is None or current.state != "given":
                raise Invalid(_("there is no given consent for '{d}' to withdraw").format(
                    d=destination))
        who = None
        if interpreter and interpreter.strip():
            who = find(case_interpreters(state.answers, history,
                                         self.checklist.interpreter_fields), interpreter)
            if who is None:
                raise Invalid(_("no interpreter of that name is recorded on this case: record "
                                "them on the Interpreter step first (name, agency, "
                                "accreditation, whether independent of the person)"))
            if who.companion_like and not interpreter_reason.strip():
                raise Invalid(_("this interpreter is not independent of the person: say why "
                                "they were used (for example: no accredited interpreter could "
                                "be reached and the person asked to go on)"))
        record = ConsentRecord(
            destination, state_name, explained_by.strip(), language.strip(),
            who.name if who else None, explained.strip(), now_iso(),
            interpreter_independent=who.independent if who else None,
            interpreter_accredited=who.accredited if who else None,
            interpreter_reason=interpreter_reason.strip() if who and who.companion_like else "",
            shares_account=bool(shares_account and state_name == "given"),
            not_sought_reason=not_sought_reason if state_name == "not-sought" else "",
            explained_points=points if state_name in ("given", "declined") else ())
        consents = {**state.consents, destination: record}
        self.store.record_consent(case.id, record,
                                  self.summary(case, replace(state, consents=consents)))

    def withdraw_consent(self, ref: str, destination: str, *, taken_by: str, language: str,
                         interpreter: str | None = None, interpreter_reason: str = "",
                         note: str = "") -> None:
        """Record that the person withdrew their consent: who took the withdrawal, in which
        language, through which interpreter (never copied from the earlier record)."""
        self.record_consent(ref, destination, "withdrawn", explained_by=taken_by,
                            language=language, interpreter=interpreter, explained=note,
                            interpreter_reason=interpreter_reason)

    # -- import / export ----------------------------------------------------------------------
    def export_case(self, ref: str) -> dict[str, Any]:
        """The case as a `case.schema.json` document (content: shown only because asked)."""
        case = self.find_case(ref)
        data = self.store.load_case(case.id, audit=True)
        state = state_from(data)
        self.store.audit("exported-json", case.id)
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
                       "details": json.loads(n.details_json) if n.details_json else None}
                      for n in data.notes],
        }

    def import_case(self, doc: object) -> records.CaseRow:
        """Create a new case from a document; all or nothing."""
        derived = {d.id for d in self.checklist.derived_fields}
        imported = validate_document(doc, self.checklist, derived)
        consents = imported.consents
        current = {c.destination: c for c in consents}
        exports = {e["destination"]: e["exported_at"] for e in imported.exports}
        state = CaseState(imported.answers, current, imported.skips,
                          {pc: CriterionMark(m["status"], m["note"])  # type: ignore[arg-type]
                           for pc, m in imported.marks.items()}, exports)
        # computed before the write: the store fills in the new case's reference
        placeholder = records.CaseRow("", "", "", "", imported.status, None)
        summary = self.summary(placeholder, state)

        return self.store.import_case(
            status=imported.status,
            answers={k: json.dumps(v, ensure_ascii=False) for k, v in imported.answers.items()},
            consents=consents,
            skips=imported.skips,
            marks={pc: (m["status"], m["note"]) for pc, m in imported.marks.items()},
            notes=[(n["kind"], n["text"], json.dumps(n["details"], ensure_ascii=False)
                    if n.get("details") else None) for n in imported.notes],
            exports=[(e["destination"], e["exported_at"], e["sha256"]) for e in imported.exports],
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
            warnings=tuple(WarningView(step.id, step.title, _(w.text), w.urgent)
                           for step, w in iv.warnings(state)))

    def coverage(self, state: CaseState) -> tuple[CoverageView, ...]:
        """Each PC's coverage as the case record, `case show` and the GUI show it."""
        return tuple(CoverageView(c.criterion.id, c.criterion.text, c.status, c.reasons,
                                  c.steps, tuple(_(m) for m in c.missing))
                     for c in self.interview.coverage(state))

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
        return PackInputs(reference=case.reference, profile=self.profile().pack_facts(),
                          service=self.service(service_id) if service_id else None)

    def not_discussed(self, state: CaseState) -> dict[str, str]:
        """Field id -> what a referral says of it ("Not discussed: …") on this case."""
        return not_discussed(self.interview, state)

    def record_export(self, ref: str, destination: str, sha256: str,
                      service_id: str | None) -> None:
        """A pack was written: kept with the case and audited (destination and hash only)."""
        case = self.find_case(ref)
        state = self.state(case.id)
        exports = {**state.exports, destination: now_iso()}
        self.store.record_export(case.id, destination, sha256, service_id,
                                 self.summary(case, replace(state, exports=exports)))

    def check_pack(self, ref: str, destination: str, service_id: str | None = None
                   ) -> PackCheck:
        dest = self.destinations.get(destination)
        if dest is None:
            raise NotFound(_("no destination '{d}'; destinations: {all}").format(
                d=destination, all=", ".join(self.destinations.ids())))
        case = self.find_case(ref)
        return check_pack(self.interview, self.destinations, dest, self.state(case.id),
                          self.pack_inputs(case, service_id))


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(_("the text contains characters that cannot be stored (an unpaired "
                        "surrogate)")) from None


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

