"""``case …`` and ``consent …``: a case's interview, notes and consent records."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from firstcontact.app.errors import Invalid
from firstcontact.cli import exitcodes
from firstcontact.cli.errors import CliError
from firstcontact.cli.files import (
    STDIN,
    output_path,
    read_limited,
    refuse_stdout_in_store,
    text_value,
)
from firstcontact.cli.output import json_text, print_json
from firstcontact.cli.workspace_access import data_dir, opened
from firstcontact.domain.consent_terms import NOT_SOUGHT_REASONS, ConsentState
from firstcontact.i18n import _
from firstcontact.safe_files import write_private_atomic

if TYPE_CHECKING:
    from firstcontact.app.views import CaseDetail


def register(sub: Any) -> None:
    case = sub.add_parser("case", help=_("cases: create, list, show, answer, notes, import/export"))
    cs = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    p = cs.add_parser("new", help=_("start a new case; prints only its id (reference)"))
    p.set_defaults(func=cmd_new)
    p = cs.add_parser("list", help=_("list cases"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.add_argument("--status", choices=["open", "closed"], help=_("only open or closed cases"))
    p.add_argument("--search", metavar="TEXT", help=_("only references containing TEXT"))
    p.set_defaults(func=cmd_list)
    p = cs.add_parser("show", help=_("show a case: progress, answers, consent, coverage"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_show)
    p = cs.add_parser("answer", help=_("record an answer (see `firstcontact steps` for fields)"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("field", help=_("field id"))
    p.add_argument("value", help=_("option value, ISO date, list entry, JSON array for multiple "
                                   "choice, true/false for a checkbox; empty clears; - reads it "
                                   "from standard input (kept out of the process list)"))
    p.set_defaults(func=cmd_answer)
    p = cs.add_parser("skip", help=_("mark a step 'not possible now', with the reason"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("step", help=_("step id"))
    p.add_argument("--reason", required=True,
                   help=_("why it was not possible now: chose-not-to-say, too-distressing, "
                          "not-safe, not-the-moment, no-time or other (the interview's "
                          "skip_reason list); a referral may state it as \"Not discussed: "
                          "…\""))
    p.add_argument("--note", default="", help=_("your own note (kept in the case record, never "
                                                "in a referral); needed for the reason 'other'"))
    p.set_defaults(func=cmd_skip)
    p = cs.add_parser("unskip", help=_("take back 'not possible now' for a step"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("step", help=_("step id"))
    p.set_defaults(func=cmd_unskip)
    p = cs.add_parser("mark", help=_("record how a criterion was met, or why it does not apply"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("criterion", help=_("PC id, e.g. PC31"))
    p.add_argument("--status", required=True, choices=["met", "not-applicable", "clear"])
    p.add_argument("--note", default="", help=_("how it was met / why it does not apply"))
    p.set_defaults(func=cmd_mark)
    p = cs.add_parser("note", help=_("add a free-text note (PC29)"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("text", help=_("the note; - reads it from standard input (kept out of the "
                                  "process list)"))
    p.set_defaults(func=cmd_note)
    p = cs.add_parser("follow-up", help=_("record a follow-up contact reviewing needs, welfare "
                                          "and safety (PC27)"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("text", help=_("what was reviewed and agreed; - reads it from standard "
                                  "input"))
    p.set_defaults(func=cmd_follow_up)
    for name, status in (("close", "closed"), ("reopen", "open")):
        p = cs.add_parser(name, help=_("close a case") if name == "close" else _("reopen a case"))
        p.add_argument("case", help=_("case reference or id"))
        p.set_defaults(func=cmd_status, status=status)
    p = cs.add_parser("delete", help=_("erase a case and everything about it (on request)"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    p.add_argument("--discard-unsynced", action="store_true",
                   help=_("erase it even though the organisation's hub has not acknowledged "
                          "its latest changes (they are lost; audited)"))
    p.set_defaults(func=cmd_delete)
    p = cs.add_parser("export", help=_("print a case as JSON (docs/case-format.md)"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("--out", metavar="FILE", help=_("write it to FILE (0600) instead"))
    p.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    p.set_defaults(func=cmd_export)
    p = cs.add_parser("import", help=_("import a case from JSON (all or nothing)"))
    p.add_argument("file", help=_("a JSON file as written by `case export`; - for stdin"))
    p.set_defaults(func=cmd_import)

    consent = sub.add_parser("consent", help=_("record or withdraw consent per destination"))
    cn = consent.add_subparsers(dest="consent_command", metavar="ACTION", required=True)
    p = cn.add_parser("record", help=_("record the person's informed decision, or that it "
                                       "could not be sought"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("--for", dest="destination", required=True, help=_("destination id"))
    p.add_argument("--given", required=True, choices=["yes", "no", "not-sought"],
                   help=_("the person's answer; not-sought: they could not be asked "
                          "(with --reason)"))
    p.add_argument("--reason", choices=NOT_SOUGHT_REASONS,
                   help=_("not-sought only: why the person could not be asked"))
    p.add_argument("--explained-by", required=True, help=_("who explained (or tried to)"))
    p.add_argument("--language", default="", help=_("the language it was explained in"))
    p.add_argument("--interpreter", help=_("the interpreter's name, as recorded on the "
                                           "interpreter step, if one was used"))
    p.add_argument("--interpreter-reason", default="",
                   help=_("why an interpreter who is not independent of the person was used"))
    p.add_argument("--explained", default="", help=_("what was explained, in your words"))
    p.add_argument("--point", dest="points", action="append", default=[], metavar="ID",
                   help=_("a point the explanation covered (repeat it; `firstcontact steps` "
                          "lists each consent step's points): a \"yes\" needs every point"))
    p.add_argument("--shares-account", action="store_true",
                   help=_("the explanation covered sharing the person's account, risks and "
                          "needs with the receiving caseworker, and they agreed"))
    p.set_defaults(func=cmd_consent_record)
    p = cn.add_parser("withdraw", help=_("record that consent was withdrawn"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("--for", dest="destination", required=True, help=_("destination id"))
    p.add_argument("--taken-by", required=True, help=_("who took the withdrawal"))
    p.add_argument("--language", required=True, help=_("the language it was given in"))
    p.add_argument("--interpreter", help=_("the interpreter's name, if one was used"))
    p.add_argument("--interpreter-reason", default="",
                   help=_("why an interpreter who is not independent of the person was used"))
    p.add_argument("--note", default="", help=_("anything the person said about it"))
    p.set_defaults(func=cmd_consent_withdraw)


def cmd_new(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        case = ws.cases.new()
    print(case.reference)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from firstcontact import dates
    from firstcontact.app.reminders import reminder_words

    with opened(args) as ws:
        rows = ws.queries.list_cases(status=args.status, search=args.search)
    if args.json:
        print_json([{**r.as_json(), "reminders": reminder_words(r)} for r in rows])
        return 0
    if not rows:
        print(_("No cases."))
    for r in rows:
        complete = ", ".join(f"{d}: {s}" for d, s in r.completeness.items())
        reminders = "".join(f"  [{w}]" for w in reminder_words(r))
        review = f"  [{r.review_words}]" if r.review_words else ""
        print(f"{r.reference}  {dates.when(r.created_at)}  {r.status:<6}  "
              f"{r.stage_title or _('not started')}  {complete}{reminders}  [{r.sync_words}]"
              f"{review}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        detail = ws.queries.detail(args.case)
    if args.json:
        print_json(detail.as_json())
    else:
        print_detail(detail)
    return 0


def print_detail(d: CaseDetail) -> None:
    from firstcontact import dates

    print(f"{d.reference}  ({d.status})  {_('created')} {dates.when(d.created_at)}")
    if d.sync is not None:
        print(_("Sync: {state}").format(state=d.sync.words))
    if d.reviews:
        print("\n" + _("Reviews"))
        for r in d.reviews:
            print(f"  {r.words}" + (f": {r.note}" if r.note else ""))
    if d.warnings:
        print("\n" + _("Warnings"))
        for w in d.warnings:
            print(f"  ! {w.step}: {w.text}")
    for stage in d.stages:
        print(f"\n{stage.title}  {stage.done}/{stage.total}")
        for step in stage.steps:
            skipped = f"  — {_('not possible now')}: {step.skip_reason}" if step.skip_reason else ""
            print(f"  [{step.status}] {step.id}: {step.title}{skipped}")
            for a in step.answers:
                print(f"      {a.label}: {a.display}")
    if d.consents:
        print("\n" + _("Consent"))
        for c in d.consents:
            interp = f", {_('interpreter')} {c.interpreter}" if c.interpreter else ""
            print(f"  {c.destination}: {c.state} ({c.explained_by}, {c.language}{interp}, "
                  f"{dates.when(c.recorded_at)})")
    if d.exports:
        print("\n" + _("Exports"))
        for e in d.exports:
            print(f"  {e.destination}: {dates.when(e.exported_at)}  SHA-256 {e.sha256}")
    print("\n" + _("Criteria coverage"))
    for cov in d.coverage:
        why = cov.missing if cov.status == "open" else cov.reasons
        reasons = f" — {'; '.join(why)}" if why else ""
        print(f"  {cov.id:>4} {cov.status}{reasons}")
    if d.notes:
        print("\n" + _("Notes"))
        for n in d.notes:
            print(f"  {dates.when(n.created_at)} [{n.kind}] {n.text}")


def cmd_answer(args: argparse.Namespace) -> int:
    value = text_value(args.value)
    with opened(args) as ws:
        if value == "":
            ws.cases.clear_answer(args.case, args.field)
        else:
            revision = ws.cases.answer_text(args.case, args.field, value)
    print(_("Cleared {field}.").format(field=args.field) if value == "" else
          _("Saved {field} (revision {n}).").format(field=args.field, n=revision))
    return 0


def cmd_skip(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        ws.cases.skip_step(args.case, args.step, args.reason, args.note)
    print(_("Marked {step} not possible now.").format(step=args.step))
    return 0


def cmd_unskip(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        ws.cases.skip_step(args.case, args.step, None)
    print(_("{step} is open again.").format(step=args.step))
    return 0


def cmd_mark(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        status = None if args.status == "clear" else args.status
        ws.cases.mark_criterion(args.case, args.criterion, status, args.note)
    print(_("Cleared your note on {pc}.").format(pc=args.criterion) if status is None else
          _("Recorded {pc}: {status}.").format(pc=args.criterion, status=status))
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    text = text_value(args.text)
    with opened(args) as ws:
        ws.cases.add_note(args.case, text)
    print(_("Added a note to {ref}.").format(ref=args.case))
    return 0


def cmd_follow_up(args: argparse.Namespace) -> int:
    text = text_value(args.text)
    with opened(args) as ws:
        ws.cases.add_note(args.case, text, kind="follow-up")
    print(_("Added a follow-up contact to {ref}.").format(ref=args.case))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        ws.cases.set_status(args.case, args.status)
    print(_("{ref} is closed.").format(ref=args.case) if args.status == "closed" else
          _("{ref} is open again.").format(ref=args.case))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    directory = data_dir(args)
    out = output_path(args.out, args.force, directory) if args.out else None
    if out is None:
        refuse_stdout_in_store(directory)
    with opened(args) as ws:
        doc = ws.queries.export_document(args.case)
    if out is None:
        print_json(doc)
        return 0
    try:
        write_private_atomic(out, json_text(doc).encode("utf-8"), replace=args.force)
    except OSError as exc:
        raise Invalid(_("could not write {path}: {reason}").format(
            path=out, reason=exc.strerror or type(exc).__name__)) from None
    print(_("Wrote {path} (case content in clear: keep it only as long as needed).").format(
        path=out))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from firstcontact.app.case_io import MAX_CASE_FILE_BYTES, parse_case_file

    limit = MAX_CASE_FILE_BYTES
    try:
        if args.file == STDIN:
            raw = read_limited(sys.stdin.buffer, limit, _("the case file"))
        else:
            with Path(args.file).open("rb") as fh:
                raw = read_limited(fh, limit, _("the case file"))
    except OSError as exc:
        raise Invalid(_("cannot read the case file: {kind}").format(
            kind=exc.strerror or type(exc).__name__)) from None
    doc = parse_case_file(raw)
    with opened(args) as ws:
        case = ws.cases.import_case(doc)
    print(case.reference)
    return 0


_GIVEN: dict[str, ConsentState] = {"yes": "given", "no": "declined", "not-sought": "not-sought"}


def cmd_consent_record(args: argparse.Namespace) -> int:
    state = _GIVEN[args.given]
    if (state == "not-sought") != (args.reason is not None):
        raise Invalid(_("--reason goes with --given not-sought, and only with it"))
    with opened(args) as ws:
        ws.cases.record_consent(args.case, args.destination, state,
                          explained_by=args.explained_by, language=args.language,
                          interpreter=args.interpreter, explained=args.explained,
                          interpreter_reason=args.interpreter_reason,
                          shares_account=args.shares_account,
                          not_sought_reason=args.reason or "",
                          explained_points=args.points)
    print(_("Recorded: {destination} consent {state}.").format(destination=args.destination,
                                                               state=state))
    return 0


def cmd_consent_withdraw(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        ws.cases.withdraw_consent(args.case, args.destination, taken_by=args.taken_by,
                            language=args.language, interpreter=args.interpreter,
                            interpreter_reason=args.interpreter_reason, note=args.note)
    print(_("Recorded: {destination} consent withdrawn.").format(destination=args.destination))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            raise Invalid(_("case delete needs --yes when there is no terminal to confirm on"))
        if input(_("Erase {ref} and everything about it? Type DELETE: ").format(
                ref=args.case)).strip() != "DELETE":
            raise Invalid(_("not deleted"))
    from firstcontact.app.errors import UnsyncedChanges

    with opened(args) as ws:
        try:
            ws.cases.delete(args.case, discard_unsynced=args.discard_unsynced)
        except UnsyncedChanges as exc:
            raise CliError(_("{reason} (`firstcontact sync`, or --discard-unsynced)").format(
                reason=exc.message), exitcodes.REFUSED) from None
    print(_("Erased {ref}; only an audit event without content remains.").format(ref=args.case))
    return 0
