"""``review``: a supervisor's review of the cases pulled from the hub."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from firstcontact.cli.output import print_json
from firstcontact.cli.workspace_access import opened
from firstcontact.i18n import _

if TYPE_CHECKING:
    from firstcontact.app.views import ReviewView


def register(sub: Any) -> None:
    p = sub.add_parser("review", help=_("a supervisor: review the cases pulled from the hub "
                                        "(list, show, note, sign-off, needs-changes)"))
    sc = p.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    ls = sc.add_parser("list", help=_("the pulled cases: whose, which revision, review state"))
    ls.add_argument("--json", action="store_true",
                    help=_("print a list of {reference, owner, revision, state}"))
    ls.add_argument("--waiting", action="store_true",
                    help=_("only the cases waiting for review (or a decision)"))
    ls.set_defaults(func=cmd_list)
    sh = sc.add_parser("show", help=_("a pulled case with its revisions and reviews"))
    sh.add_argument("case", metavar="CASE")
    sh.add_argument("--json", action="store_true", help=_("print JSON"))
    sh.set_defaults(func=cmd_show)
    n = sc.add_parser("note", help=_("add a review note (sent to the worker at the next pull)"))
    n.add_argument("case", metavar="CASE")
    n.add_argument("text", metavar="TEXT")
    n.set_defaults(func=cmd_note)
    so = sc.add_parser("sign-off", help=_("sign the case off (its current revision)"))
    so.add_argument("case", metavar="CASE")
    so.add_argument("--note", default="", metavar="TEXT", help=_("a note for the worker"))
    so.set_defaults(func=cmd_sign_off)
    nc = sc.add_parser("needs-changes", help=_("send the case back: say what needs changing"))
    nc.add_argument("case", metavar="CASE")
    nc.add_argument("--note", required=True, metavar="TEXT", help=_("what needs changing"))
    nc.set_defaults(func=cmd_needs_changes)
    rs = sc.add_parser("resolve", help=_("two versions of a case: choose the one that stands "
                                         "(consent histories are merged either way)"))
    rs.add_argument("case", metavar="CASE")
    rs.add_argument("--keep", required=True, choices=("current", "other"),
                    help=_("current: the version standing now; other: the one beside it"))
    rs.add_argument("--note", default="", metavar="TEXT", help=_("why (for the worker)"))
    rs.set_defaults(func=cmd_resolve)
    ho = sc.add_parser("hand-over", help=_("move a case to another worker's laptop (the old "
                                           "laptop stops pushing it)"))
    ho.add_argument("case", metavar="CASE")
    ho.add_argument("--to", required=True, metavar="DEVICE",
                    help=_("the worker's device id (or its start), or the worker's name"))
    ho.add_argument("--note", default="", metavar="TEXT", help=_("why (for both workers)"))
    ho.set_defaults(func=cmd_hand_over)


def cmd_list(args: argparse.Namespace) -> int:
    from firstcontact.app.review_words import state_words

    with opened(args) as ws:
        rows = ws.review.list(waiting_only=args.waiting)
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    if not rows:
        print(_("No cases pulled for review: run `firstcontact sync pull`."))
    for r in rows:
        print(f"{r.reference}  {r.owner}  " + _("revision {n}").format(n=r.revision)
              + f"  [{state_words(r.state)}]")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from firstcontact.app.review_words import state_words
    from firstcontact.cli.commands_case import print_detail

    with opened(args) as ws:
        detail = ws.review.show(args.case)
    if args.json:
        print_json(detail.as_json())
        return 0
    print(_("Case of {owner}, revision {n}: {state}").format(
        owner=detail.owner, n=detail.revision, state=state_words(detail.state)))
    if detail.parallel is not None:
        print(_("Another version waits beside it (revision {n}, {flag}): decide which stands "
                "with `firstcontact review resolve {ref} --keep current|other`.").format(
                    n=detail.parallel["revision"], flag=detail.parallel["flag"] or "",
                    ref=detail.case.reference))
        for d in detail.differences:
            print(f"  {d.label}: {d.current or '—'}  |  {d.other or '—'}")
    print_detail(detail.case)
    return 0


def _say_kept(view: ReviewView) -> None:
    print(_("Kept: {words}. It goes to the worker at the next `firstcontact sync pull`.")
          .format(words=view.words))


def cmd_resolve(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        view = ws.review.resolve(args.case, args.keep, args.note)
    _say_kept(view)
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        view = ws.review.note(args.case, args.text)
    _say_kept(view)
    return 0


def cmd_sign_off(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        view = ws.review.sign_off(args.case, args.note)
    _say_kept(view)
    return 0


def cmd_needs_changes(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        view = ws.review.needs_changes(args.case, args.note)
    _say_kept(view)
    return 0


def cmd_hand_over(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        view = ws.review.hand_over(args.case, args.to, args.note)
    print(_("Handed over: {words}. The hub has it; both laptops learn at their next sync.")
          .format(words=view.words))
    return 0
