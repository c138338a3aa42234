"""One-time enrolment codes, and redeeming one for a device id and a token.

A code is 16 Crockford base32 characters (``K7QD-8XWM-3JRT-PA2N``): the first 4 find the
enrolment, the other 12 are its 60-bit secret, of which the hub keeps only a SHA-256 hash. A
code is single use, expires after 24 hours, and is void after 5 wrong secrets. The device token
is 256 random bits; the hub keeps only its SHA-256 hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from firstcontact.hub import audit
from firstcontact.hub.clock import Clock, stamp
from firstcontact.hub.db import AnyRow, Database
from firstcontact.hub.errors import HubError
from firstcontact.hub.models import devices, enrolments
from firstcontact.sync.enrol import CODE_ALPHABET, CODE_ID_CHARS, CODE_SECRET_CHARS, normalise_code
from firstcontact.sync.keys import KemPublicKey, KeyFormatError, verify_key_from_bytes

CODE_TTL = timedelta(hours=24)
MAX_TRIES = 5
ROLES = ("worker", "supervisor")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _random(chars: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(chars))


def issue_code(db: Database, clock: Clock, worker: str, role: str,
               wrap: Callable[[str], bytes] | None = None) -> str:
    """A new one-time code (returned once, never stored in clear). ``wrap``: for a
    supervisor's code, the organisation key wrapped under the code itself (the device unwraps
    it with the code, then keeps it wrapped to its own key)."""
    if wrap is not None and role != "supervisor":
        raise HubError(422, "bad-role", "only a supervisor's code carries the organisation key")
    if role not in ROLES:
        raise HubError(422, "bad-role", "the role is worker or supervisor")
    worker = worker.strip()
    if not worker or len(worker) > 200 or not worker.isprintable():
        raise HubError(422, "bad-worker", "give the worker's name (up to 200 characters)")
    now = clock()
    for _ in range(20):
        lookup, secret = _random(CODE_ID_CHARS), _random(CODE_SECRET_CHARS)
        wrapped = wrap(lookup + secret) if wrap is not None else None
        try:
            with db.write() as conn:
                conn.execute(insert(enrolments).values(
                    lookup=lookup, secret_hash=_hash(lookup + secret), worker=worker, role=role,
                    created_at=stamp(lambda: now), expires_at=stamp(lambda: now + CODE_TTL),
                    org_key_wrapped=wrapped))
                forget_stale_keys(conn, stamp(clock))
                audit.append(conn, stamp(clock), "hub", "enrol-code-issued", lookup=lookup,
                             role=role, org_key=wrapped is not None)
            return lookup + secret
        except IntegrityError:
            continue  # that lookup was used before: draw another
    raise HubError(503, "busy", "could not draw a free enrolment code; try again")


@dataclass(frozen=True)
class Enrolled:
    device_id: str
    token: str
    worker: str
    role: str
    org_key_wrapped: bytes | None = None  # under the code: the device unwraps it

    def __repr__(self) -> str:  # never the token
        return f"Enrolled({self.device_id}, {self.role})"


def redeem(db: Database, clock: Clock, code: str, verify_key: bytes,
           receiving_key: bytes) -> Enrolled:
    try:
        verify_key_from_bytes(verify_key)
        KemPublicKey(receiving_key)
    except (KeyFormatError, ValueError):
        raise HubError(422, "bad-key", "the device keys are not valid") from None
    code = normalise_code(code)
    lookup, secret = code[:CODE_ID_CHARS], code[CODE_ID_CHARS:]
    refusal: HubError | None = None
    enrolled: Enrolled | None = None
    with db.write() as conn:
        now = stamp(clock)
        forget_stale_keys(conn, now)
        well_formed = len(code) == CODE_ID_CHARS + CODE_SECRET_CHARS \
            and all(char in CODE_ALPHABET for char in code)
        if not well_formed:
            lookup = "?"
        row = conn.execute(select(enrolments).where(enrolments.c.lookup == lookup)).first() \
            if well_formed else None
        refusal = _refusal(conn, row, now, lookup + secret)
        if refusal is None and row is not None:
            wrapped = row.org_key_wrapped
            enrolled = Enrolled(str(uuid.uuid4()), secrets.token_urlsafe(32), row.worker,
                                row.role, bytes(wrapped) if wrapped is not None else None)
            conn.execute(insert(devices).values(
                device_id=enrolled.device_id, worker=row.worker, role=row.role,
                token_hash=token_hash(enrolled.token), verify_key=verify_key,
                receiving_key=receiving_key, enrolled_at=now,
                org_key_state="awaiting-copy" if wrapped is not None else None))
            # the copy wrapped under the code leaves the hub with this answer
            conn.execute(update(enrolments).where(enrolments.c.id == row.id)
                         .values(used_at=now, device_id=enrolled.device_id,
                                 org_key_wrapped=None))
            audit.append(conn, now, "hub", "device-enrolled", device=enrolled.device_id,
                         role=row.role, lookup=lookup)
        else:
            audit.append(conn, now, "hub", "enrol-refused", lookup=lookup,
                         reason=refusal.error if refusal else "unknown")
    if enrolled is None:
        raise refusal or HubError(403, "code-unknown", "this enrolment code is not known")
    return enrolled


def forget_stale_keys(conn: Connection, now: str) -> None:
    """Erase the organisation key wrapped under a code that can no longer be used (expired,
    or mistyped too often)."""
    conn.execute(update(enrolments).where(
        enrolments.c.org_key_wrapped.is_not(None),
        or_(enrolments.c.expires_at <= now, enrolments.c.failed_tries >= MAX_TRIES))
        .values(org_key_wrapped=None))


def _refusal(conn: Connection, row: AnyRow | None, now: str, code: str) -> HubError | None:
    """Why this code cannot be used now (counting a wrong secret), or None."""
    if row is None:
        return HubError(403, "code-unknown", "this enrolment code is not known")
    expires_at, tries = row.expires_at, row.failed_tries
    if row.used_at is not None:
        return HubError(403, "code-used", "this enrolment code was already used")
    if expires_at <= now:
        return HubError(403, "code-expired", "this enrolment code has expired; ask for a new one")
    if tries >= MAX_TRIES:
        return HubError(403, "code-locked", "this enrolment code was mistyped too often; "
                                            "ask for a new one")
    if not hmac.compare_digest(row.secret_hash, _hash(code)):
        conn.execute(update(enrolments).where(enrolments.c.id == row.id)
                     .values(failed_tries=tries + 1))
        return HubError(403, "code-wrong", "this enrolment code is not right; check it")
    return None
