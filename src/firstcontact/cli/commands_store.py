"""``init``, ``passwd``, ``audit``: the store itself."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from firstcontact.cli.errors import CliError
from firstcontact.cli.files import REKEY_LABEL, Progress
from firstcontact.cli.output import print_json
from firstcontact.cli.passphrase import ENV_NEW, read_new_passphrase, read_passphrase
from firstcontact.cli.workspace_access import data_dir, opened
from firstcontact.i18n import _


def register(sub: Any) -> None:
    p = sub.add_parser("init", help=_("create a new encrypted store (refuses to overwrite one)"))
    p.add_argument("--recovery-key", metavar="ORG.pub",
                   help=_("also wrap the key to the organisation's public recovery key"))
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("passwd", help=_("change the passphrase; the store gets a new data key "
                                        "(it is re-encrypted)"))
    p.add_argument("--recovery-key", metavar="ORG.pub",
                   help=_("the organisation's public key, for a store whose recovery slot does "
                          "not carry it (made by an earlier version)"))
    p.set_defaults(func=cmd_passwd)
    p = sub.add_parser("audit", help=_("the audit log, for the store or one case"))
    p.add_argument("case", nargs="?", help=_("case reference or id"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.add_argument("--verify", action="store_true",
                   help=_("check the log's hash chain; exit 1 at the first broken event"))
    p.set_defaults(func=cmd_audit)


def cmd_init(args: argparse.Namespace) -> int:
    directory = data_dir(args)
    from firstcontact.app.workspace import Workspace

    Workspace.refuse_existing(directory)
    public = Path(args.recovery_key) if args.recovery_key else None
    if public is not None and not public.is_file():
        raise CliError(_("no recovery key file at {path}").format(path=public))
    ws = Workspace.create(directory, read_new_passphrase(env="FIRSTCONTACT_PASSPHRASE"), public)
    ws.close()
    print(_("Created an encrypted store in {dir}.").format(dir=directory))
    if public is None:
        print(_("There is no recovery key: if the passphrase is forgotten, the data is gone."))
    else:
        print(_("The organisation's recovery key can set a new passphrase if this one is "
                "forgotten (`firstcontact recover`)."))
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    public = Path(args.recovery_key) if args.recovery_key else None
    with opened(args) as ws:
        progress = Progress(REKEY_LABEL)
        ws.keeping.change_passphrase(read_passphrase(), read_new_passphrase(env=ENV_NEW), progress,
                             public)
    print(_("Passphrase changed; the store was re-encrypted with a new data key in {s:.1f} s, "
            "so the old key file opens nothing.").format(s=progress.seconds))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    if args.verify:
        return verify_audit(args)
    with opened(args) as ws:
        events = ws.queries.audit_events(args.case)
    if args.json:
        print_json([e.__dict__ for e in events])
        return 0
    for e in events:
        detail = f"  {e.detail}" if e.detail else ""
        case = f"  {e.case_reference}" if e.case_reference else ""
        print(f"{e.at}  {e.event}{case}{detail}")
    return 0


def verify_audit(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        check = ws.keeping.verify_audit()
    if check.broken_at is not None:
        raise CliError(_("the audit log is broken at event {id}: it does not follow from the "
                         "event before it (changed, removed or inserted)").format(
                             id=check.broken_at))
    if check.triggers_missing:
        raise CliError(_("the audit log's append-only triggers are missing ({names}): it may "
                         "have been edited").format(names=", ".join(check.triggers_missing)))
    print(_("The audit log is intact: {n} events, each following from the one before; the "
            "last one's hash is {head}.").format(n=check.count, head=check.head))
    return 0
