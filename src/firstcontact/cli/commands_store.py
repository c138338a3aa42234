"""``init``, ``passwd``, ``audit``: the store itself."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from firstcontact.app.workspace import Workspace
from firstcontact.cli.errors import CliError
from firstcontact.cli.output import print_json
from firstcontact.cli.passphrase import ENV_NEW, read_new_passphrase, read_passphrase
from firstcontact.cli.workspace_access import data_dir, opened
from firstcontact.i18n import _


def register(sub: Any) -> None:
    p = sub.add_parser("init", help=_("create a new encrypted store (refuses to overwrite one)"))
    p.add_argument("--recovery-key", metavar="ORG.pub",
                   help=_("also wrap the key to the organisation's public recovery key"))
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("passwd", help=_("change the passphrase (the data is not re-encrypted)"))
    p.set_defaults(func=cmd_passwd)
    p = sub.add_parser("audit", help=_("the audit log, for the store or one case"))
    p.add_argument("case", nargs="?", help=_("case reference or id"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_audit)


def cmd_init(args: argparse.Namespace) -> int:
    directory = data_dir(args)
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
    with opened(args) as ws:
        ws.keeping.change_passphrase(read_passphrase(), read_new_passphrase(env=ENV_NEW))
    print(_("Passphrase changed."))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
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
