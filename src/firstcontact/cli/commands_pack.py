"""``pack check|export|survivor-copy``, ``profile``, ``services``: referral packs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from firstcontact.app.errors import Invalid
from firstcontact.app.pdf_password import check_pdf_password
from firstcontact.app.profile import FIELD_NAMES
from firstcontact.checklists.constants import SERVICE_KINDS
from firstcontact.cli import exitcodes
from firstcontact.cli.files import output_path
from firstcontact.cli.output import print_json
from firstcontact.cli.workspace_access import data_dir, opened
from firstcontact.domain.handover import HANDOVERS
from firstcontact.i18n import _

if TYPE_CHECKING:
    from firstcontact.referral.check import PackCheck

MAX_PASSWORD_FILE_BYTES = 4096


def register(sub: Any) -> None:
    pack = sub.add_parser("pack", help=_("referral packs: check completeness, export, survivor "
                                         "copy"))
    ps = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    p = ps.add_parser("check", help=_("is the pack complete? exit 0 complete, 3 incomplete, "
                                      "4 refused by a rule"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("--to", dest="destination", required=True, help=_("destination id"))
    p.add_argument("--service", help=_("receiving service id (services list)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_check)
    p = ps.add_parser("export", help=_("write the encrypted PDF pack (only when complete)"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("--to", dest="destination", required=True, help=_("destination id"))
    p.add_argument("--service", help=_("receiving service id (services list)"))
    p.add_argument("--out", required=True, help=_("the PDF file to write"))
    p.add_argument("--force", action="store_true", help=_("replace the file if it exists"))
    p.add_argument("--password-file", required=True,
                   help=_("a file whose first line is the PDF password"))
    p.set_defaults(func=cmd_export)
    p = ps.add_parser("survivor-copy", help=_("a letter to the person: what they told us, what "
                                              "was shared, what happens next, their rights; "
                                              "an encrypted PDF"))
    p.add_argument("case", help=_("case reference or id"))
    p.add_argument("--out", required=True, help=_("the PDF file to write"))
    p.add_argument("--force", action="store_true", help=_("replace the file if it exists"))
    p.add_argument("--password-file", required=True,
                   help=_("a file whose first line is the PDF password"))
    p.add_argument("--handover", required=True, choices=HANDOVERS,
                   help=_("the safety check: it is safe for the person to have a copy, and it "
                          "is given now, kept for them to collect later, or sent to a safe "
                          "address they gave (if it is not safe, make no copy)"))
    p.add_argument("--language", metavar="CODE",
                   help=_("the letter's language, e.g. ar, ti, vi, cy (default: the person's "
                          "recorded language where the letter is translated into it, else "
                          "English); the status of its translation is said"))
    p.add_argument("--include-exploiters", action="store_true",
                   help=_("it is safe for the person to carry the names and whereabouts of "
                          "the people involved (left out otherwise)"))
    p.set_defaults(func=cmd_survivor_copy)

    prof = sub.add_parser("profile", help=_("the worker profile used by every pack"))
    pr = prof.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    p = pr.add_parser("show", help=_("show the profile"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_profile_show)
    p = pr.add_parser("set", help=_("change profile fields"))
    for name in FIELD_NAMES:
        p.add_argument("--" + name.replace("_", "-"), dest=name)
    p.set_defaults(func=cmd_profile_set)
    p = pr.add_parser("organisations", help=_("list the NRM first responder organisations"))
    p.add_argument("--search", help=_("only names containing this text"))
    p.set_defaults(func=cmd_organisations)

    svc = sub.add_parser("services", help=_("the services directory"))
    sv = svc.add_subparsers(dest="services_command", metavar="ACTION", required=True)
    p = sv.add_parser("list", help=_("list services"))
    p.add_argument("--kind", choices=SERVICE_KINDS)
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_services)


def read_password(path: str) -> str:
    """The first line of ``path``, read within :data:`MAX_PASSWORD_FILE_BYTES`."""
    try:
        with Path(path).open("rb") as fh:
            raw = fh.read(MAX_PASSWORD_FILE_BYTES + 1)
        line, newline, _rest = raw.partition(b"\n")
        if not newline and len(raw) > MAX_PASSWORD_FILE_BYTES:
            raise Invalid(_("the password file's first line is longer than {limit} bytes")
                          .format(limit=MAX_PASSWORD_FILE_BYTES))
        text = line.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(_("cannot read the password file: {kind}").format(
            kind=type(exc).__name__)) from None
    password = text.rstrip("\r")
    if not password:
        raise Invalid(_("the password file's first line is empty"))
    check_pdf_password(password)
    return password


def check_json(result: PackCheck) -> dict[str, Any]:
    return {
        "destination": result.destination.id,
        "complete": result.complete,
        "refused": list(result.refusals),
        "notices": list(result.notices),
        "missing": [{"item": m.key, "label": m.label, "problem": m.problem, "step": m.step,
                     "fix": m.fix} for m in result.missing],
        "not_discussed": [{"label": label, "sent_as": text}
                          for label, text in result.not_discussed],
    }


def print_check(result: PackCheck) -> None:
    title = _(result.destination.title)
    for notice in result.notices:
        print(_("Note: {text}").format(text=notice))
    if result.refusals:
        print(_("{title}: not allowed for this case").format(title=title))
        for r in result.refusals:
            print(f"  - {r}")
    elif result.complete:
        print(_("{title}: complete").format(title=title))
        for label, text in result.not_discussed:
            print("  " + _("will be sent as: {label} — {text}").format(label=_(label),
                                                                      text=text))
    else:
        print(_("{title}: incomplete, {n} item(s) missing").format(title=title,
                                                                  n=len(result.missing)))
        for m in result.missing:
            where = {"step": _("step {step}"), "consent": _("consent step {step}"),
                     "profile": _("`firstcontact profile set`"),
                     "service": _("--service (see `firstcontact services list`)")}[m.fix]
            print(f"  - {m.label}: {m.problem}  → {where.format(step=m.step)}")


def code_for(result: PackCheck) -> int:
    if result.refusals:
        return exitcodes.REFUSED
    return exitcodes.OK if result.complete else exitcodes.INCOMPLETE


def cmd_check(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        result = ws.packs.check_for_export(args.case, args.destination, args.service)
    if args.json:
        print_json(check_json(result))
    else:
        print_check(result)
    return code_for(result)


def cmd_export(args: argparse.Namespace) -> int:
    out = output_path(args.out, args.force, data_dir(args))
    password = read_password(args.password_file)
    with opened(args) as ws:
        outcome = ws.packs.export(args.case, args.destination, out, password,
                                  args.service, replace=args.force)
    if outcome.written is None:
        print_check(outcome.check)
        return code_for(outcome.check)
    for notice in outcome.check.notices:
        print(_("Note: {text}").format(text=notice))
    print(_("Wrote {path} (AES-256 encrypted; SHA-256 {sha}).").format(
        path=outcome.written, sha=outcome.sha256))
    return 0


def cmd_survivor_copy(args: argparse.Namespace) -> int:
    from firstcontact.app.survivor_copy import CopySafety

    out = output_path(args.out, args.force, data_dir(args))
    password = read_password(args.password_file)
    with opened(args) as ws:
        languages = {lang.code: lang for lang in ws.packs.letter_languages()}
        if args.language is not None and args.language not in languages:
            raise Invalid(_("the letter is not translated into '{code}'; languages: "
                            "{codes}").format(code=args.language, codes=", ".join(languages)))
        language = languages[args.language or ws.packs.letter_language(args.case)]
        path, sha = ws.packs.survivor_copy(args.case, out, password,
                                           CopySafety(args.handover, args.include_exploiters),
                                           replace=args.force, language=language.code)
    print(_("Wrote {path} (AES-256 encrypted; SHA-256 {sha}).").format(path=path, sha=sha))
    print(letter_language_line(language.english, language.status))
    return 0


def letter_language_line(name: str, status: str) -> str:
    """What the worker must know of the letter's translation before handing it over."""
    if status == "":
        return _("The letter is in English.")
    if status == "reviewed":
        return _("The letter is in {language}, a translation reviewed by an accredited "
                 "translator.").format(language=name)
    return _("The letter is in {language}. This translation has NOT been reviewed by an "
             "accredited translator yet: go through it with an interpreter before relying on "
             "it.").format(language=name)


def cmd_profile_show(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        profile = ws.settings.profile()
    if args.json:
        print_json(profile.as_json())
        return 0
    for name, value in profile.as_json().items():
        print(f"{name.replace('_', '-'):>13}: {value or '—'}")
    return 0


def cmd_profile_set(args: argparse.Namespace) -> int:
    changes = {name: getattr(args, name) for name in FIELD_NAMES}
    if all(v is None for v in changes.values()):
        raise Invalid(_("nothing to change: give at least one option, e.g. --role"))
    with opened(args) as ws:
        ws.settings.set_profile(**changes)
    print(_("Profile updated: {names}.").format(
        names=", ".join(n.replace("_", "-") for n, v in changes.items() if v is not None)))
    return 0


def cmd_organisations(args: argparse.Namespace) -> int:
    from firstcontact.checklists import load_checklist

    needle = (args.search or "").lower()
    for name in load_checklist().lists["organisations"]:
        if needle in name.lower():
            print(name)
    return 0


def cmd_services(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        found = ws.settings.services(args.kind)
    if args.json:
        print_json([s.__dict__ | {"languages": list(s.languages)} for s in found])
        return 0
    if not found:
        from firstcontact.referral.services import how_to_add

        print(how_to_add(ws.data_dir) if args.kind is None else
              _("No services of the kind '{kind}' in the directory.").format(kind=args.kind))
    for s in found:
        print(f"{s.id}  [{s.kind}]  {s.name}")
        contact = "  ".join(x for x in (s.phone, s.email) if x)
        if contact:
            print(f"    {contact}")
        if s.languages:
            print("    " + _("Languages: {langs}").format(langs=", ".join(s.languages)))
    return 0
