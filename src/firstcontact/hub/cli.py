"""``firstcontact-hub``: the organisation's sync hub on the command line.

    firstcontact-hub [--data-dir DIR] [--db URL] init --org-key-out FILE
    firstcontact-hub serve [--host H] [--port N] [--cert F --key F | --insecure]
    firstcontact-hub enrol --worker NAME [--role worker|supervisor] [--org-key FILE] [--url URL]
    firstcontact-hub status [--json]
    firstcontact-hub devices [--json]
    firstcontact-hub retire DEVICE [--days N]
    firstcontact-hub revoke DEVICE [--wipe]
    firstcontact-hub org-key list | add DEVICE --org-key FILE | remove DEVICE
    firstcontact-hub settings [--purge-after DAYS | --no-purge] [--json]
    firstcontact-hub audit verify

Exit codes: 0 done, 1 refused or failed (one line on stderr saying why), 2 usage.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

import segno
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from firstcontact.hub import audit, config, enrolment, store
from firstcontact.hub import devices as device_admin
from firstcontact.hub.clock import stamp, utc_now
from firstcontact.hub.db import Database, DatabaseUrlError, describe
from firstcontact.hub.errors import HubError
from firstcontact.hub.models import enrolments
from firstcontact.hub.serve import ServeError, serve
from firstcontact.sync.enrol import format_code
from firstcontact.sync.keys import KemKeyPair
from firstcontact.sync.org_key_file import (
    OrgKeyFileError,
    open_org_key_file,
    seal_org_key,
    write_org_key_file,
)

ENV_ORG_PASSPHRASE = "FIRSTCONTACT_ORG_PASSPHRASE"  # noqa: S105 (a variable name)
PROG = "firstcontact-hub"


class CliError(Exception):
    """A one-line reason to stop with exit code 1."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="The organisation's sync hub.")
    parser.add_argument("--data-dir", help="the hub's folder (default: $FIRSTCONTACT_HUB_HOME "
                                           "or the platform's data folder)")
    parser.add_argument("--db", help="database URL, e.g. postgresql+psycopg://user@host/db "
                                     "(default: SQLite in the data folder)")
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="create a hub and the organisation's sync key pair")
    init.add_argument("--org-key-out", required=True, type=Path,
                      help="file for the organisation's private key (keep it offline)")
    run = commands.add_parser("serve", help="run the hub")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8443)
    run.add_argument("--cert", type=Path, help="TLS certificate (PEM)")
    run.add_argument("--key", type=Path, help="TLS private key (PEM)")
    run.add_argument("--insecure", action="store_true",
                     help="listen beyond this machine without TLS (only behind a TLS proxy)")
    enrol = commands.add_parser("enrol", help="a one-time code to enrol a device")
    enrol.add_argument("--worker", required=True, help="the worker's name")
    enrol.add_argument("--role", choices=enrolment.ROLES, default="worker")
    enrol.add_argument("--url", help="the hub's address as devices reach it "
                                     "(default: where serve last listened)")
    enrol.add_argument("--org-key", type=Path, metavar="FILE",
                       help="supervisors: the organisation key file, wrapped for the device "
                            "that uses this code ($FIRSTCONTACT_ORG_PASSPHRASE or a prompt)")
    status = commands.add_parser("status", help="counts, no content")
    status.add_argument("--json", action="store_true")
    listing = commands.add_parser("devices", help="enrolled devices: state, last check-in, "
                                                  "pending count (no content)")
    listing.add_argument("--json", action="store_true")
    retire = commands.add_parser("retire", help="accept a device's pending pushes for some "
                                                "days, then refuse it")
    retire.add_argument("device", help="device id (or its first characters)")
    retire.add_argument("--days", type=int, default=device_admin.DEFAULT_RETIRE_DAYS)
    revoke = commands.add_parser("revoke", help="refuse a device from now on")
    revoke.add_argument("device", help="device id (or its first characters)")
    revoke.add_argument("--wipe", action="store_true",
                        help="and order it to erase its store at its next contact")
    org_key = commands.add_parser("org-key", help="supervisors' wrapped copies of the "
                                                  "organisation key")
    org_key_sub = org_key.add_subparsers(dest="org_key_command", required=True)
    org_key_sub.add_parser("list")
    add = org_key_sub.add_parser("add", help="wrap the key for a supervisor's device")
    add.add_argument("device")
    add.add_argument("--org-key", type=Path, required=True, metavar="FILE")
    remove = org_key_sub.add_parser("remove", help="the device forgets the key at its next "
                                                   "contact")
    remove.add_argument("device")
    settings = commands.add_parser("settings", help="the organisation's settings, signed by "
                                                    "the hub and sent to every device")
    purge = settings.add_mutually_exclusive_group()
    purge.add_argument("--purge-after", type=int, metavar="DAYS",
                       help="erase closed cases from laptops DAYS after the hub's receipt "
                            "for their latest change (0: as soon as it is acknowledged)")
    purge.add_argument("--no-purge", action="store_true", help="laptops keep closed cases")
    settings.add_argument("--json", action="store_true")
    audit_cmd = commands.add_parser("audit", help="the hub's audit")
    audit_cmd.add_argument("action", choices=["verify"])
    return parser


def _org_passphrase(*, confirm: bool = True) -> str:
    env = os.environ.get(ENV_ORG_PASSPHRASE)
    if env:
        return env
    if not sys.stdin.isatty():
        raise CliError(f"set {ENV_ORG_PASSPHRASE} or run in a terminal to type the passphrase")
    first = getpass.getpass("Passphrase for the organisation key file: ")
    if confirm and getpass.getpass("The same passphrase again: ") != first:
        raise CliError("the two passphrases differ; nothing was created")
    return first


def _open_org_key(path: Path, hub: config.HubConfig) -> KemKeyPair:
    pair = open_org_key_file(path, _org_passphrase(confirm=False))
    if pair.public != hub.org_key:
        raise CliError(f"{path} holds another organisation's key than this hub's")
    return pair


def _init(args: argparse.Namespace, data_dir: Path) -> None:
    if (data_dir / config.HUB_FILE).exists():
        raise CliError(f"{data_dir} already holds a hub; it was left as it is")
    out: Path = args.org_key_out
    if out.exists():
        raise CliError(f"{out} already exists; choose another file")
    db = Database(args.db) if args.db else None
    passphrase = _org_passphrase()
    pair = KemKeyPair.generate()
    write_org_key_file(out, pair, passphrase)
    hub = config.create(data_dir, pair.public, args.db)
    db = db or Database(hub.db_url)
    try:
        db.migrate()
        with db.write() as conn:
            audit.append(conn, stamp(utc_now), "hub", "hub-initialised",
                         org_fingerprint=pair.public.fingerprint())
    finally:
        db.dispose()
    print(f"Hub created in {data_dir} ({describe(hub.db_url)}).")
    print(f"Organisation key file: {out} — keep it offline with its passphrase; it is the only "
          "way to open the organisation's synced cases if every supervisor's laptop is lost.")
    print(f"Organisation key fingerprint: {pair.public.fingerprint()}")


def _enrol(args: argparse.Namespace, hub: config.HubConfig, db: Database) -> None:
    db.migrate()
    wrap = None
    if args.org_key is not None:
        if args.role != "supervisor":
            raise CliError("--org-key is for a supervisor's code (--role supervisor)")
        pair = _open_org_key(args.org_key, hub)

        def wrap(code: str) -> bytes:
            return seal_org_key(pair, code)
    code = enrolment.issue_code(db, utc_now, args.worker, args.role, wrap)
    url, tls = config.last_serving(hub.data_dir)
    url = args.url or url
    payload = {"hub": url or "", "code": code}
    if tls:
        payload["tls"] = tls
    if url:
        segno.make(f"firstcontact://enrol?{urlencode(payload)}", error="m").terminal(
            out=sys.stdout, compact=True)
        print(f"Hub address: {url}")
    else:
        print("No hub address known yet (run serve, or give --url) — no QR code printed.")
    if tls:
        print(f"TLS certificate SHA-256: {tls}")
    print(f"Organisation key fingerprint: {hub.org_key.fingerprint()}")
    if wrap is not None:
        print("This code carries the organisation key, wrapped under the code itself until it "
              "is used (24 hours at most): give it to this supervisor only, now.")
    elif args.role == "supervisor":
        print("Without --org-key this supervisor cannot open cases until you run "
              "`firstcontact-hub org-key add DEVICE --org-key FILE`.")
    print(f"For {args.worker.strip()} ({args.role}); single use, valid 24 hours, "
          f"{enrolment.MAX_TRIES} tries. The code:")
    print(format_code(code))


def _status(args: argparse.Namespace, hub: config.HubConfig, db: Database) -> None:
    db.migrate()
    doc: dict[str, object] = dict(store.counts(db))
    with db.read() as conn:
        doc["open_enrolment_codes"] = conn.execute(
            select(func.count()).select_from(enrolments).where(
                enrolments.c.used_at.is_(None), enrolments.c.expires_at > stamp(utc_now),
                enrolments.c.failed_tries < enrolment.MAX_TRIES)).scalar_one()
        doc["audit_rows"] = audit.verify(conn).rows
    doc["database"] = db.dialect
    doc["purge_after_days"] = device_admin.settings(db).get("purge_after_days")
    doc["org_fingerprint"] = hub.org_key.fingerprint()
    doc["hub_fingerprint"] = hub.hub_fingerprint
    if args.json:
        print(json.dumps(doc))
    else:
        for name, value in doc.items():
            print(f"{name.replace('_', ' ')}: {value}")


def _devices(args: argparse.Namespace, db: Database) -> None:
    rows = device_admin.listing(db)
    if args.json:
        print(json.dumps([r.as_json() for r in rows]))
        return
    if not rows:
        print("No device enrolled yet (firstcontact-hub enrol --worker NAME).")
    for r in rows:
        state = r.state
        if r.state == "retired":
            state = f"retired until {r.retire_until}"
        if r.wipe_ordered:
            state += ", wipe ordered"
        pending = "?" if r.pending_count is None else str(r.pending_count)
        org_key = f", organisation key {r.org_key}" if r.role == "supervisor" else ""
        print(f"{r.device_id}  {r.worker} ({r.role}) — {state}; last check-in "
              f"{r.last_seen_at or 'never'}; pending {pending}; records {r.records}{org_key}")


def _retire(args: argparse.Namespace, db: Database) -> None:
    device = device_admin.find(db, args.device)
    until = device_admin.retire(db, utc_now, device.device_id, args.days)
    print(f"Retired {device.device_id} ({device.worker}): its pushes are accepted until "
          f"{until}, then refused.")


def _revoke(args: argparse.Namespace, hub: config.HubConfig, db: Database) -> None:
    device = device_admin.find(db, args.device)
    device_admin.revoke(db, utc_now, hub.signing_key, device.device_id, wipe=args.wipe)
    print(f"Revoked {device.device_id} ({device.worker}): every request it makes is refused.")
    if args.wipe:
        print("A wipe order, signed by the hub, goes to it at its next contact: its app "
              "erases its store then. A device that never reconnects is protected only by "
              "its passphrase.")


def _org_key(args: argparse.Namespace, hub: config.HubConfig, db: Database) -> None:
    if args.org_key_command == "list":
        copies = device_admin.copies(db)
        if not copies:
            print("No supervisor's device holds a copy of the organisation key.")
        for c in copies:
            print(f"{c['device_id']}  {c['worker']} ({c['state']}) — since {c['created_at']}")
        return
    device = device_admin.find(db, args.device)
    if args.org_key_command == "add":
        device_admin.add_org_key_copy(db, utc_now, device.device_id,
                                      _open_org_key(args.org_key, hub))
        print(f"The organisation key is wrapped for {device.device_id} ({device.worker}); it "
              "receives it at its next sync. The hub cannot open the copy.")
    else:
        device_admin.remove_org_key_copy(db, utc_now, device.device_id)
        print(f"Removed the copy for {device.device_id} ({device.worker}): its app forgets "
              "the key at its next contact (revoke --wipe for a laptop that may not call "
              "again).")


def _settings(args: argparse.Namespace, hub: config.HubConfig, db: Database) -> None:
    if args.purge_after is not None or args.no_purge:
        doc = device_admin.set_purge(db, utc_now, hub.signing_key,
                                     None if args.no_purge else args.purge_after)
    else:
        doc = device_admin.settings(db)
    if args.json:
        print(json.dumps(doc))
        return
    days = doc.get("purge_after_days")
    if days is None:
        print("Purge after receipt: off (laptops keep closed cases).")
    elif days == 0:
        print("Purge after receipt: a closed case leaves the laptop as soon as the hub has "
              "acknowledged its latest change.")
    else:
        print(f"Purge after receipt: a closed case leaves the laptop {days} days after the "
              "hub's receipt for its latest change.")


def _audit(hub: config.HubConfig, db: Database) -> int:
    with db.read() as conn:
        check = audit.verify(conn)
    if check.ok:
        print(f"audit ok: {check.rows} rows, chain intact")
        return 0
    print(f"{PROG}: the audit chain is broken at row {check.broken_at}", file=sys.stderr)
    return 1


def _run(args: argparse.Namespace) -> int:
    data_dir = config.resolve_data_dir(args.data_dir)
    if args.command == "init":
        _init(args, data_dir)
        return 0
    hub = config.load(data_dir, args.db)
    db = Database(hub.db_url)
    if args.command == "serve":
        serve(hub, db, host=args.host, port=args.port, cert=args.cert, key=args.key,
              insecure=args.insecure)
        return 0
    try:
        if args.command == "audit":
            return _audit(hub, db)
        db.migrate()
        if args.command == "enrol":
            _enrol(args, hub, db)
        elif args.command == "status":
            _status(args, hub, db)
        elif args.command == "devices":
            _devices(args, db)
        elif args.command == "retire":
            _retire(args, db)
        elif args.command == "revoke":
            _revoke(args, hub, db)
        elif args.command == "org-key":
            _org_key(args, hub, db)
        else:
            _settings(args, hub, db)
    finally:
        db.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    umask = os.umask(0o077)  # the database, its WAL and every file the hub writes: owner only
    try:
        return _run(args)
    except (CliError, config.HubConfigError, OrgKeyFileError, DatabaseUrlError,
            ServeError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
    except HubError as exc:
        print(f"{PROG}: {exc.message}", file=sys.stderr)
    except SQLAlchemyError as exc:
        print(f"{PROG}: the database cannot be used ({type(exc).__name__}); check --db and "
              "that the database server is running", file=sys.stderr)
    except KeyboardInterrupt:
        print(f"{PROG}: stopped", file=sys.stderr)
    finally:
        os.umask(umask)
    return 1


if __name__ == "__main__":
    sys.exit(main())
