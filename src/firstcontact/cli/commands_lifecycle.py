"""Keeping data safe: recovery key, backup and restore, erasure, retention, emergency wipe."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from firstcontact.cli.errors import CliError
from firstcontact.cli.files import REKEY_LABEL, Progress, output_path
from firstcontact.cli.passphrase import read_new_passphrase, read_passphrase
from firstcontact.cli.workspace_access import data_dir, opened
from firstcontact.i18n import _, ngettext


def register(sub: Any) -> None:
    p = sub.add_parser("recovery-key", help=_("the organisation's recovery key pair"))
    rk = p.add_subparsers(dest="recovery_command", metavar="ACTION", required=True)
    c = rk.add_parser("create", help=_("make a key pair for the organisation"))
    c.add_argument("--out", required=True, metavar="DIR", help=_("folder for the two files"))
    c.set_defaults(func=cmd_recovery_create)
    p = sub.add_parser("recover", help=_("set a new passphrase with the organisation's private "
                                         "recovery key"))
    p.add_argument("--private-key", required=True, metavar="ORG.key")
    p.set_defaults(func=cmd_recover)
    p = sub.add_parser("backup", help=_("write an encrypted backup (the app may be running)"))
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help=_("restore a backup into a data directory without store "
                                         "files"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--private-key", metavar="ORG.key",
                   help=_("open it with the recovery key instead of the passphrase"))
    p.add_argument("--recovery-key", metavar="ORG.pub",
                   help=_("the organisation's public key, for a backup whose recovery slot does "
                          "not carry it (made by an earlier version)"))
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("retention", help=_("erase closed cases after N days (off by default)"))
    rt = p.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    r = rt.add_parser("show", help=_("show the retention setting"))
    r.set_defaults(func=cmd_retention_show)
    r = rt.add_parser("set", help=_("set the retention period"))
    group = r.add_mutually_exclusive_group(required=True)
    group.add_argument("--closed-days", type=int, metavar="N")
    group.add_argument("--off", action="store_true")
    r.set_defaults(func=cmd_retention_set)
    p = sub.add_parser("wipe", help=_("emergency wipe: destroy the keys, then every file"))
    p.add_argument("--yes", action="store_true",
                   help=_("do not ask for confirmation (unsynced cases are lost)"))
    p.set_defaults(func=cmd_wipe)


def cmd_recovery_create(args: argparse.Namespace) -> int:
    from firstcontact.app.keeping import create_recovery_key as create_key_pair

    public, private = create_key_pair(Path(args.out))
    print(_("Public key (give it to each worker for `firstcontact init --recovery-key`): {p}")
          .format(p=public))
    print(_("Private key: {p}").format(p=private))
    print(_("Keep the private key offline (for example on an encrypted USB stick in a safe), "
            "never on a worker's laptop: whoever holds it can open every store made with the "
            "public key."))
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from firstcontact.app.keeping import recover

    new = read_new_passphrase(env="FIRSTCONTACT_NEW_PASSPHRASE")
    recover(data_dir(args), Path(args.private_key), new, Progress(REKEY_LABEL))
    print(_("A new passphrase is set, and the store has a new data key."))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    out = output_path(args.out, args.force, data_dir(args))
    with opened(args) as ws:
        path = ws.keeping.backup(out, replace=args.force)
    print(_("Wrote the encrypted backup {path}. It opens only with the passphrase (or the "
            "organisation's recovery key).").format(path=path))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from firstcontact.app.keeping import restore

    public = Path(args.recovery_key) if args.recovery_key else None
    progress = Progress(REKEY_LABEL)
    if args.private_key:
        restore(Path(args.file), data_dir(args), private_key=Path(args.private_key),
                new_passphrase=read_new_passphrase(env="FIRSTCONTACT_NEW_PASSPHRASE"),
                recovery_public_key=public, progress=progress)
    else:
        restore(Path(args.file), data_dir(args), passphrase=read_passphrase(),
                recovery_public_key=public, progress=progress)
    print(_("Restored into {dir}, with a new data key.").format(dir=data_dir(args)))
    return 0


def cmd_retention_show(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        days = ws.settings.retention_days()
    print(_("Closed cases are kept until deleted by hand.") if days is None else
          _("Closed cases are erased {n} days after their last change.").format(n=days))
    return 0


def cmd_retention_set(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        ws.settings.set_retention_days(None if args.off else args.closed_days)
        run = ws.settings.apply_retention()
    days = None if args.off else args.closed_days
    print(_("Closed cases are kept until deleted by hand.") if days is None else
          _("Closed cases are erased {n} days after their last change.").format(n=days))
    if run.erased:
        print(ngettext("{n} closed case erased.", "{n} closed cases erased.", run.erased).format(
            n=run.erased))
    if run.kept_unsynced:
        print(ngettext("{n} closed case is kept until the organisation's hub has its latest "
                       "changes (run `firstcontact sync`).",
                       "{n} closed cases are kept until the organisation's hub has their latest "
                       "changes (run `firstcontact sync`).", run.kept_unsynced).format(
                           n=run.kept_unsynced))
    return 0


def cmd_wipe(args: argparse.Namespace) -> int:
    from firstcontact.app.locate import emergency_wipe

    directory = data_dir(args)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError(_("wipe needs --yes when there is no terminal to confirm on"))
        answer = input(_("This destroys every case in {dir}, including cases not yet synced. "
                         "Type WIPE to continue: ").format(dir=directory))
        if answer.strip() != "WIPE":
            raise CliError(_("not wiped"))
    seconds = emergency_wipe(directory)
    print(_("Wiped in {s:.2f} s: the keys were destroyed first, then the files.").format(
        s=seconds))
    return 0
