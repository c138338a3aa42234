"""``sync``: enrol this laptop with the organisation's hub, push, see where things stand."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from firstcontact.cli.errors import CliError
from firstcontact.cli.output import print_json
from firstcontact.cli.workspace_access import opened
from firstcontact.i18n import _, ngettext

if TYPE_CHECKING:
    from firstcontact.app.sync import PushResult, SyncStatus


def register(sub: Any) -> None:
    p = sub.add_parser("sync", help=_("push this laptop's cases to the organisation's hub "
                                      "(sealed: the hub cannot read them); enrol; status"))
    p.add_argument("--json", action="store_true",
                   help=_("print {pushed, duplicates, pending, quarantined} as JSON"))
    p.set_defaults(func=cmd_sync)
    sc = p.add_subparsers(dest="sync_command", metavar="ACTION")
    e = sc.add_parser("enrol", help=_("join the organisation's hub with the one-time code "
                                      "from your IT lead"))
    e.add_argument("url", metavar="URL", help=_("the hub's address, e.g. https://hub.example.org"))
    e.add_argument("code", metavar="CODE", help=_("the one-time code"))
    e.add_argument("--yes", action="store_true",
                   help=_("accept without asking (scripts: compare the fingerprint printed "
                          "with your IT lead's)"))
    e.set_defaults(func=cmd_enrol)
    s = sc.add_parser("status", help=_("enrolled or not, the hub, this device, the last sync, "
                                       "cases per sync state"))
    s.add_argument("--json", action="store_true", help=_("print JSON"))
    s.set_defaults(func=cmd_status)
    pl = sc.add_parser("pull", help=_("a supervisor: fetch the workers' cases from the hub as "
                                      "read-only copies, and send your reviews"))
    pl.add_argument("--json", action="store_true",
                    help=_("print {kept, parallel, known, refused, records_received, "
                           "records_sent} as JSON"))
    pl.set_defaults(func=cmd_pull)


def cmd_enrol(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        pending = ws.sync.enrol(args.url, args.code)
        print(_("The hub {url} enrolled this laptop for {worker} ({role}).").format(
            url=pending.hub_url, worker=pending.worker, role=pending.enrolment.role))
        print(_("Organisation key fingerprint: {fp}").format(fp=pending.org_fingerprint))
        if not args.yes:
            if not sys.stdin.isatty():
                ws.sync.decline(pending)
                raise CliError(_("sync enrol needs --yes when there is no terminal to confirm "
                                 "on; nothing was kept (ask your IT lead for a new code)"))
            answer = input(_("Is it the same fingerprint your IT lead gave you? Type YES to "
                             "accept: "))
            if answer.strip().upper() != "YES":
                ws.sync.decline(pending)
                raise CliError(_("not enrolled: nothing was kept. If the fingerprints differ, "
                                 "tell your IT lead (and ask for a new code)."))
        notice = ws.sync.accept(pending)
    if pending.enrolment.role == "supervisor":
        print(_("Enrolled as a supervisor. Run `firstcontact sync pull` to fetch the workers' "
                "cases for review."))
    else:
        print(_("Enrolled. Run `firstcontact sync` to push your cases."))
    if notice:
        print(notice)
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        result = ws.sync.push()
    if args.json:
        print_json(result.to_json())
    else:
        print_push(result)
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        result = ws.review.pull()
    if args.json:
        print_json(result.to_json())
        return 0
    if result.kept + result.parallel:
        print(ngettext("{n} case revision pulled", "{n} case revisions pulled",
                       result.kept + result.parallel).format(n=result.kept + result.parallel)
              + (_(" ({n} kept beside the standing one: decide which stands)").format(
                  n=result.parallel) if result.parallel else "") + ".")
    else:
        print(_("Nothing new to pull."))
    if result.refused:
        print(ngettext("{n} refused: its signature or content did not check out; nothing of "
                       "it was kept.",
                       "{n} refused: their signature or content did not check out; nothing "
                       "of them was kept.", result.refused).format(n=result.refused))
    if result.records_sent:
        print(ngettext("{n} review sent.", "{n} reviews sent.",
                       result.records_sent).format(n=result.records_sent))
    return 0


def print_push(result: PushResult) -> None:
    s = result.summary
    if result.records:
        print(ngettext("{n} review from your supervisor received: see `firstcontact case "
                       "show`.", "{n} reviews from your supervisor received: see `firstcontact "
                       "case show`.", result.records).format(n=result.records))
    if result.purged:
        print(ngettext("{n} closed case erased from this laptop after the hub's receipt (your "
                       "organisation's setting).",
                       "{n} closed cases erased from this laptop after the hub's receipt (your "
                       "organisation's setting).", result.purged).format(n=result.purged))
    if not (s.pushed or s.duplicates or s.pending or s.quarantined):
        print(_("Nothing new to send."))
        return
    print(ngettext("{n} case revision sent to the hub", "{n} case revisions sent to the hub",
                   s.pushed).format(n=s.pushed)
          + (_(" ({n} already there)").format(n=s.duplicates) if s.duplicates else "") + ".")
    if s.pending:
        print(ngettext("{n} still waiting: it goes at the next sync.",
                       "{n} still waiting: they go at the next sync.", s.pending).format(
                           n=s.pending))
    if s.quarantined:
        print(ngettext("{n} refused by the hub: see `firstcontact case list` (needs attention).",
                       "{n} refused by the hub: see `firstcontact case list` (needs attention).",
                       s.quarantined).format(n=s.quarantined))


def cmd_status(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        status = ws.sync.status()
    if args.json:
        print_json(status.as_json())
    else:
        print_status(status)
    return 0


def print_status(st: SyncStatus) -> None:
    from firstcontact import dates
    from firstcontact.app.sync_words import short_words

    if not st.enrolled:
        print(_("Not set up: this laptop is not enrolled with a hub (`firstcontact sync enrol "
                "URL CODE`). Cases stay on this laptop only."))
    else:
        print(_("Hub: {url}").format(url=st.hub_url))
        print(_("This device: {id} ({worker}, {role})").format(id=st.device_id,
                                                               worker=st.worker, role=st.role))
        print(_("Organisation key fingerprint: {fp}").format(fp=st.org_fingerprint))
        if st.stopped_words:
            print(st.stopped_words)
        if st.purge_after_days is not None:
            print(ngettext("Closed cases are erased {n} day after the hub's receipt (your "
                           "organisation's setting); erased so far: {purged}.",
                           "Closed cases are erased {n} days after the hub's receipt (your "
                           "organisation's setting); erased so far: {purged}.",
                           st.purge_after_days).format(n=st.purge_after_days, purged=st.purged))
        last = st.last_result or {}
        outcome = ""
        if "error" in last:
            outcome = " " + _("(did not finish: {code})").format(code=last["error"])
        print(_("Last sync: {when}").format(
            when=dates.when(st.last_sync_at) if st.last_sync_at else _("never")) + outcome)
    print(_("Cases: {counts}").format(counts=", ".join(
        f"{short_words(state)} {n}" for state, n in st.cases.items())))
