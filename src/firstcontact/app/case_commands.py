"""Changing cases: every change goes through here. The value is validated by the domain,
saved by the store in one transaction with the case's summary (stage reached, completeness
per destination), and audited by id only.

Changes in this process are made one at a time (the answer cache's lock), and an answer keeps
the case's state and summary for the next one (app/answer_cache.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Concatenate, ParamSpec, TypeVar

from firstcontact.app.answer_cache import Kept, summary_unchanged
from firstcontact.app.case_io import validate_document
from firstcontact.app.case_queries import CaseQueries, state_from
from firstcontact.app.consent_points import checked_points
from firstcontact.app.context import Context, check_text, now_iso
from firstcontact.app.errors import Invalid, NotFound, Refused, UnsyncedChanges
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
from firstcontact.domain.interpreters import case_interpreters, find
from firstcontact.domain.model import DESTINATIONS, Field
from firstcontact.domain.values import InvalidAnswer, parse_text, validate
from firstcontact.i18n import _
from firstcontact.store import records

CASE_STATUSES = ("open", "closed")
P = ParamSpec("P")
R = TypeVar("R")
Change = Callable[Concatenate["CaseCommands", P], R]


def _one_at_a_time(method: Change[P, R]) -> Change[P, R]:
    """A change to a case, made while no other change of this process is under way (so that
    no other write of ours stamps a case within the span the answer cache keeps for a save)."""

    def locked(self: CaseCommands, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._ctx.answers.lock:
            return method(self, *args, **kwargs)

    locked.__name__, locked.__doc__ = method.__name__, method.__doc__
    return locked


class CaseCommands:
    def __init__(self, ctx: Context, queries: CaseQueries) -> None:
        self._ctx = ctx
        self._queries = queries

    def new(self) -> records.CaseRow:
        """A new case (its nation from the worker profile's default, when set)."""
        store = self._ctx.store
        case = store.create_case()
        nation = self._ctx.profile().nation
        if nation:
            state = CaseState(answers={"fr-location": nation})
            store.save_answer(case.id, "fr-location", json.dumps(nation),
                              self._ctx.summary(case, state))
        else:
            store.update_summary(case.id, self._ctx.summary(case, CaseState()))
        return case

    @_one_at_a_time
    def set_status(self, ref: str, status: str) -> None:
        if status not in CASE_STATUSES:
            raise Invalid(_("status must be open or closed"))
        case = self._queries.find(ref)
        self._ctx.store.set_case_status(case.id, status)

    @_one_at_a_time
    def delete(self, ref: str, *, discard_unsynced: bool = False) -> None:
        """Erase a case and everything about it; one audit event without content remains.

        On a laptop enrolled with a hub, a case whose latest changes the hub has not
        acknowledged is refused (:class:`UnsyncedChanges`, audited) unless
        ``discard_unsynced``: then they are lost, and the audit says so."""
        from firstcontact.store.errors import Unsynced

        try:
            self._ctx.store.delete_case(self._queries.find(ref).id,
                                        discard_unsynced=discard_unsynced)
        except Unsynced as exc:
            raise UnsyncedChanges(exc.message) from None

    # -- answers -------------------------------------------------------------------------------
    def _field(self, field_id: str) -> Field:
        if self._ctx.interview.is_derived(field_id):
            raise Refused(_("'{field}' is derived from the consent record; record consent "
                            "instead (`firstcontact consent record`)").format(field=field_id))
        field = self._ctx.checklist.field(field_id)
        if field is None:
            raise NotFound(_("no field '{field}' (see `firstcontact steps`)").format(
                field=field_id))
        return field

    def answer(self, ref: str, field_id: str, value: object) -> int:
        """Validate and save one answer; returns its new revision."""
        field = self._field(field_id)
        try:
            clean = validate(field, value, self._ctx.checklist.list_values)
        except InvalidAnswer as exc:
            raise Invalid(exc.message if exc.message.startswith(field_id)
                          else f"{field_id}: {exc.message}") from None
        value_json = json.dumps(clean, ensure_ascii=False)
        cache = self._ctx.answers
        with cache.lock:
            case = self._find_kept(ref)
            kept = cache.get(case)
            if kept is None:
                data = self._queries.data(case.id)
                case, state, summary = data.case, state_from(data), None
            else:
                state, summary = kept.state, kept.summary
            # the value as it will be read back from the store
            new = replace(state, answers={**state.answers, field_id: json.loads(value_json)})
            if summary is None or not summary_unchanged(field, state.answers.get(field_id),
                                                        clean, self._ctx.checklist,
                                                        self._ctx.presence_only):
                summary = self._ctx.summary(case, new)
            before = now_iso()
            revision = self._ctx.store.save_answer(case.id, field_id, value_json, summary)
            cache.put(case.id, Kept(before, now_iso(), new, summary, case.reference))
        return revision

    def _find_kept(self, ref: str) -> records.CaseRow:
        """The case, by its id when it is a kept one (one query instead of two)."""
        known = self._ctx.answers.case_id(ref)
        if known is not None:
            try:
                return self._queries.find(known)
            except NotFound:
                pass  # deleted meanwhile: the same message as for any unknown case
        return self._queries.find(ref)

    def answer_text(self, ref: str, field_id: str, text: str) -> int:
        field = self._field(field_id)
        try:
            value = parse_text(field, text)
        except InvalidAnswer as exc:
            raise Invalid(f"{field_id}: {exc.message}") from None
        return self.answer(ref, field_id, value)

    @_one_at_a_time
    def clear_answer(self, ref: str, field_id: str) -> None:
        self._field(field_id)
        case = self._queries.find(ref)
        state = self._queries.state(case.id)
        answers = {k: v for k, v in state.answers.items() if k != field_id}
        self._ctx.store.clear_answer(case.id, field_id,
                                self._ctx.summary(case, replace(state, answers=answers)))

    @_one_at_a_time
    def skip_step(self, ref: str, step_id: str, reason: str | None, note: str = "") -> None:
        """Mark a step "not possible now" with one of the interview's skip reasons (what a
        pack may say) and the worker's own note (never in a referral); ``reason=None`` takes
        it back."""
        if self._ctx.checklist.step(step_id) is None:
            raise NotFound(_("no step '{step}' (see `firstcontact steps`)").format(step=step_id))
        skip = None
        if reason is not None:
            if self._ctx.checklist.skip_reason(reason) is None:
                raise Invalid(_("the reason must be one of: {reasons}").format(
                    reasons=", ".join(r.id for r in self._ctx.checklist.skip_reasons)))
            if reason == "other" and not note.strip():
                raise Invalid(_("say why in the note when the reason is 'other'"))
            check_text(note)
            skip = SkipRecord(reason, note.strip())
        case = self._queries.find(ref)
        state = self._queries.state(case.id)
        skips = {k: v for k, v in state.skips.items() if k != step_id}
        if skip is not None:
            skips[step_id] = skip
        self._ctx.store.set_skip(case.id, step_id, skip, self._ctx.summary(
            case, replace(state, skips=skips)))

    @_one_at_a_time
    def mark_criterion(self, ref: str, pc: str, status: MarkStatus | None, note: str) -> None:
        if pc not in {c.id for c in self._ctx.checklist.criteria}:
            raise NotFound(_("no criterion '{pc}' (see `firstcontact criteria`)").format(pc=pc))
        if status is not None and not note.strip():
            raise Invalid(_("add a note saying how it was met or why it does not apply"))
        case = self._queries.find(ref)
        state = self._queries.state(case.id)
        marks = {k: v for k, v in state.marks.items() if k != pc}
        if status is not None:
            marks[pc] = CriterionMark(status, note)
        self._ctx.store.set_criterion_mark(case.id, pc, status, note if status else None,
                                           self._ctx.summary(case, replace(state, marks=marks)))

    @_one_at_a_time
    def add_note(self, ref: str, text: str, *, kind: str = "note",
                 details: dict[str, Any] | None = None) -> str:
        if not text.strip():
            raise Invalid(_("the note is empty"))
        check_text(text)
        case = self._queries.find(ref)
        state = self._queries.state(case.id)
        return self._ctx.store.add_note(case.id, kind, text,
                                   json.dumps(details, ensure_ascii=False) if details else None,
                                   self._ctx.summary(case, state))

    # -- consent -------------------------------------------------------------------------------
    def _consent_refusal(self, destination: str, state: CaseState) -> str | None:
        """Why no consent is recorded for ``destination`` on this case (None: it needs one)."""
        dest = self._ctx.destinations.get(destination)
        if dest is None or dest.consent is None:
            return _("this destination needs no consent from the person ({title} is made "
                     "without it, within its own rules)").format(
                         title=_(dest.title) if dest else destination)
        need = dest.consent
        if need.when is not None and not evaluate(need.when, self._ctx.interview.facts(state)):
            return _("no consent is asked for this case (a child's referral is made without "
                     "it); record the child's views on the child referral step instead")
        return None

    @_one_at_a_time
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
            check_text(text)
        case = self._queries.find(ref)
        state, history = self._queries.state_with_history(case.id)
        refusal = self._consent_refusal(destination, state)
        if refusal is not None:
            raise Refused(refusal)
        points = checked_points(self._ctx.checklist, destination, state_name, explained_points,
                                explained)
        if state_name == "withdrawn":
            current = state.consents.get(destination)
            if current is None or current.state != "given":
                raise Invalid(_("there is no given consent for '{d}' to withdraw").format(
                    d=destination))
        who = None
        if interpreter and interpreter.strip():
            who = find(case_interpreters(state.answers, history,
                                         self._ctx.checklist.interpreter_fields), interpreter)
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
        self._ctx.store.record_consent(case.id, record,
                                       self._ctx.summary(case, replace(state, consents=consents)))

    @_one_at_a_time
    def withdraw_consent(self, ref: str, destination: str, *, taken_by: str, language: str,
                         interpreter: str | None = None, interpreter_reason: str = "",
                         note: str = "") -> None:
        """Record that the person withdrew their consent: who took the withdrawal, in which
        language, through which interpreter (never copied from the earlier record)."""
        self.record_consent(ref, destination, "withdrawn", explained_by=taken_by,
                            language=language, interpreter=interpreter, explained=note,
                            interpreter_reason=interpreter_reason)

    # -- import ----------------------------------------------------------------------------------
    def import_case(self, doc: object) -> records.CaseRow:
        """Create a new case from a document; all or nothing."""
        derived = {d.id for d in self._ctx.checklist.derived_fields}
        imported = validate_document(doc, self._ctx.checklist, derived)
        consents = imported.consents
        current = {c.destination: c for c in consents}
        exports = {e["destination"]: e["exported_at"] for e in imported.exports}
        state = CaseState(imported.answers, current, imported.skips,
                          {pc: CriterionMark(m["status"], m["note"])  # type: ignore[arg-type]
                           for pc, m in imported.marks.items()}, exports)
        # computed before the write: the store fills in the new case's reference
        placeholder = records.CaseRow("", "", "", "", imported.status, None)
        summary = self._ctx.summary(placeholder, state)

        return self._ctx.store.import_case(
            status=imported.status,
            answers={k: json.dumps(v, ensure_ascii=False) for k, v in imported.answers.items()},
            consents=consents,
            skips=imported.skips,
            marks={pc: (m["status"], m["note"]) for pc, m in imported.marks.items()},
            notes=[(n["kind"], n["text"], json.dumps(n["details"], ensure_ascii=False,
                                                     allow_nan=False)
                    if n.get("details") else None) for n in imported.notes],
            exports=[(e["destination"], e["exported_at"], e["sha256"]) for e in imported.exports],
            summary=summary)

    @_one_at_a_time
    def record_export(self, ref: str, destination: str, sha256: str,
                      service_id: str | None) -> None:
        """A pack was written: kept with the case and audited (destination and hash only)."""
        case = self._queries.find(ref)
        if self._ctx.store.pulled_case(case.id) is not None:  # a supervisor's export
            from firstcontact.app.review import Review

            Review(self._ctx, self._queries).record_export(case.id, destination, sha256,
                                                           service_id)
            return
        state = self._queries.state(case.id)
        exports = {**state.exports, destination: now_iso()}
        self._ctx.store.record_export(case.id, destination, sha256, service_id,
                                      self._ctx.summary(case, replace(state, exports=exports)))
