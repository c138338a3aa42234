"""Sync with the organisation's hub (``ws.sync``): enrolment, pushing, where things stand.

- :meth:`Sync.enrol` exchanges a one-time code at the hub (network only: nothing is kept yet);
  the worker compares the organisation key's fingerprint with the IT lead's, then
  :meth:`Sync.accept` keeps the device keys and the enrolment in the encrypted store (the
  token also in the OS keyring when a trusted one passed its round trip) — or
  :meth:`Sync.decline` drops it.
- :meth:`Sync.push` seals the current revision of every changed case (the case format's
  document, encrypted to the organisation's key and signed by this laptop; the envelope's
  bytes committed before anything is sent), then pushes what waits through the sync client
  (resume first, then batches; retries with backoff). Slow: the GUI runs it on a worker.
- :meth:`Sync.status` says whether the laptop is enrolled, with which hub, and how many cases
  are in each state.

Messages never carry the token, a key or case content.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from firstcontact.app.case_queries import case_document
from firstcontact.app.context import Context
from firstcontact.app.errors import Invalid, SyncFailed
from firstcontact.app.sync_words import STATES, reason_words
from firstcontact.clock import now_iso
from firstcontact.i18n import _
from firstcontact.store import records
from firstcontact.store.errors import StoreError
from firstcontact.store.facade import Store
from firstcontact.sync.backoff import Backoff
from firstcontact.sync.client import HubLink, PushSummary, SyncClient
from firstcontact.sync.enrol import Enrolment, enrol, normalise_code
from firstcontact.sync.envelope import EnvelopeError, envelope_hash, read_header, seal
from firstcontact.sync.errors import HubNotTrusted, HubRefused, HubUnreachable, SyncError
from firstcontact.sync.keys import (
    DeviceKeys,
    KemKeyPair,
    KemPublicKey,
    signing_key_from_bytes,
    verify_key_from_bytes,
)
from firstcontact.sync.org_key_file import OrgKeyFileError, open_org_key
from firstcontact.sync.receipt import Receipt, ReceiptError
from firstcontact.sync.session import HubSession
from firstcontact.sync.signed import SETTINGS, WIPE_ORDER, SignedError, verify_doc
from firstcontact.sync.transport import Transient, normalise_hub_url, request_json
from firstcontact.sync.wire import HEALTH_PATH

KEYRING_USER = "sync-token:{dir}"
CLI_RETRIES = 3  # a command says "unreachable" within seconds; the next sync tries again


@dataclass(frozen=True)
class PendingEnrolment:
    """What the hub granted, waiting for the worker to compare the fingerprint."""

    keys: DeviceKeys = field(repr=False)
    enrolment: Enrolment
    code: str = field(default="", repr=False)  # opens a supervisor's organisation key

    @property
    def org_fingerprint(self) -> str:
        return self.enrolment.org_fingerprint

    @property
    def hub_url(self) -> str:
        return self.enrolment.hub_url

    @property
    def worker(self) -> str:
        return self.enrolment.worker


@dataclass(frozen=True)
class SyncStatus:
    """Whether this laptop is enrolled, with which hub, and how its cases stand."""

    enrolled: bool
    hub_url: str | None = None
    device_id: str | None = None
    worker: str | None = None
    role: str | None = None
    org_fingerprint: str | None = None
    hub_fingerprint: str | None = None
    enrolled_at: str | None = None
    last_sync_at: str | None = None
    last_result: dict[str, Any] | None = None
    cases: dict[str, int] = field(default_factory=dict)  # by state: local-only … attention
    envelopes: dict[str, int] = field(default_factory=dict)  # pending, acknowledged, …
    revoked: str | None = None  # device-revoked | device-retired: no more syncing
    purge_after_days: int | None = None  # the organisation's signed setting (None: off)
    purged: int = 0  # closed cases erased after the hub's receipt (tombstones kept)
    stopped_words: str | None = None  # why, in words

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PushResult:
    """One sync: envelopes sealed, then what the hub said (the CLI's `--json` keys)."""

    sealed: int
    summary: PushSummary
    records: int = 0  # reviews and notices taken in
    purged: int = 0  # closed cases erased after the hub's receipt (the organisation's setting)

    def to_json(self) -> dict[str, int]:
        return self.summary.to_json()


class StoreOutbox:
    """The sync client's outbox (``firstcontact.sync.outbox.Outbox``) over the store: the
    envelopes' bytes as sealed, receipts kept in one transaction each answer, refusals out of
    the queue with the hub's reason, the highest hub sequence number seen."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def pending_ids(self) -> list[str]:
        return self._store.pending_envelope_ids()

    def envelope_bytes(self, envelope_id: str) -> bytes:
        return self._store.envelope_bytes(envelope_id)

    def acknowledge(self, receipts: Sequence[Receipt]) -> None:
        self._store.acknowledge_envelopes([
            records.Acknowledgement(r.envelope_id, r.hub_seq, r.to_bytes()) for r in receipts])

    def quarantine(self, envelope_id: str, reason: str) -> None:
        self._store.quarantine_envelope(envelope_id, reason)

    def hub_sequence(self) -> int:
        return self._store.hub_sequence()

    def remember_hub_sequence(self, seq: int) -> None:
        self._store.remember_hub_sequence(seq)


class Sync:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    # -- where things stand --------------------------------------------------------------------
    @property
    def enrolled(self) -> bool:
        return self._ctx.store.sync_device() is not None

    def status(self) -> SyncStatus:
        device = self._ctx.store.sync_device()
        cases, envelopes = self._ctx.store.sync_counts()
        cases = {state: cases.get(state, 0) for state in STATES}
        if device is None:
            return SyncStatus(enrolled=False, cases=cases, envelopes=envelopes)
        last = None
        if device.last_result:
            try:
                last = json.loads(device.last_result)
            except ValueError:
                last = None
        return SyncStatus(
            enrolled=True, hub_url=device.hub_url, device_id=device.device_id,
            worker=device.worker, role=device.role, org_fingerprint=device.org_fingerprint,
            hub_fingerprint=device.hub_fingerprint, enrolled_at=device.enrolled_at,
            last_sync_at=device.last_sync_at, last_result=last, cases=cases,
            envelopes=envelopes, revoked=device.revoked_code,
            purge_after_days=self.purge_days(), purged=len(self._ctx.store.tombstones()),
            stopped_words=revoked_stop(device.revoked_code).message
            if device.revoked_code else None)

    # -- enrolment -----------------------------------------------------------------------------
    def enrol(self, url: str, code: str, *, http: httpx.Client | None = None,
              timeout: float = 30.0) -> PendingEnrolment:
        """Exchange the one-time code at the hub (network only; nothing is kept yet).
        Touches no store: the GUI runs it on a worker."""
        if self.enrolled:
            raise Invalid(_("this laptop is already enrolled with a hub; its cases sync there"))
        if not code.strip():
            raise Invalid(_("type the one-time code your IT lead gave you"))
        keys = DeviceKeys.generate()
        try:
            granted = enrol(url, code, keys, http=http, timeout=timeout)
        except SyncError as exc:
            raise failure(exc) from None
        return PendingEnrolment(keys, granted, normalise_code(code))

    def accept(self, pending: PendingEnrolment) -> str | None:
        """Keep the enrolment (the worker compared the fingerprint). Returns the notice to
        show once when no trusted OS keyring holds a copy of the token (None otherwise)."""
        e = pending.enrolment
        org_private = None
        if e.role == "supervisor" and e.org_key_by_code is not None:
            try:
                org = open_org_key(e.org_key_by_code, pending.code)
            except OrgKeyFileError:
                raise Invalid(_("the organisation key that came with this code does not open: "
                                "ask your IT lead for a new code")) from None
            if org.public != e.org_key:
                raise Invalid(_("the organisation key that came with this code is not the "
                                "hub's: nothing was kept; tell your IT lead"))
            org_private = org.private_bytes()
        self._ctx.store.enrol_device(records.SyncDeviceRow(
            device_id=e.device_id, hub_url=e.hub_url, token=e.token, worker=e.worker,
            role=e.role, signing_key=pending.keys.signing_raw,
            receiving_key=pending.keys.receiving.private_bytes(), org_key=e.org_key.raw,
            org_fingerprint=e.org_fingerprint, hub_key=e.hub_key,
            hub_fingerprint=e.hub_fingerprint, enrolled_at=now_iso(),
            org_private_key=org_private))
        return keep_token_in_keyring(self._ctx.data_dir, e.token)

    def decline(self, pending: PendingEnrolment) -> None:
        """The fingerprint did not match: nothing is kept (audited)."""
        self._ctx.store.audit("sync-enrol-declined", detail=(
            "org=" + pending.org_fingerprint.replace(" ", "")))

    # -- pushing -------------------------------------------------------------------------------
    def seal_changes(self) -> int:
        """Seal the current revision of every case changed since it was last sealed, without
        sending anything (push does this first). Returns how many were sealed."""
        device = self._ctx.store.sync_device()
        return 0 if device is None else self._ctx.store.seal_changes(sealer(device))

    def reachable(self, *, timeout: float = 5.0, http: httpx.Client | None = None) -> bool:
        """Does the hub answer its health check now? (Network only: no store.)"""
        device = self._ctx.store.sync_device()
        if device is None:
            return False
        return hub_answers(device.hub_url, timeout=timeout, http=http)

    def push(self, *, stop: threading.Event | None = None,
             on_progress: Callable[[int, int], None] | None = None,
             retries: int = CLI_RETRIES, timeout: float = 30.0,
             backoff: Backoff | None = None, http: httpx.Client | None = None,
             erase_here: bool = True) -> PushResult:
        """Seal what changed, then push everything waiting. Raises :class:`SyncFailed` with a
        one-line reason when the hub cannot be reached or refuses; nothing is lost then."""
        store = self._ctx.store
        device = syncing_device(store)
        stop = stop or threading.Event()
        sealed = store.seal_changes(sealer(device), stop=stop.is_set)
        store.release_envelopes()
        link = HubLink(device.hub_url, device.token, device.hub_key)
        try:
            with SyncClient(link, StoreOutbox(store), http=http, timeout=timeout,
                            retries=retries, backoff=backoff, stop=stop,
                            on_progress=on_progress) as client:
                summary = client.push()
            with HubSession(link, http=http, timeout=timeout, retries=retries,
                            backoff=backoff, stop=stop) as session:
                received = self.take_records(session, pending=summary.pending)
        except SyncError as exc:
            if exc.code in STOPPING:
                raise self.stopped_by_hub(exc, erase_here=erase_here) from None
            with contextlib.suppress(StoreError):  # recording must not hide the reason
                store.record_sync(json.dumps({"error": _printable(exc.code)}))
            raise failure(exc) from None
        store.record_sync(json.dumps(summary.to_json(), sort_keys=True))
        return PushResult(sealed, summary, received, self.purge())

    def purge_days(self) -> int | None:
        """The organisation's purge-after-receipt setting, if the pinned hub signed it."""
        device = self._ctx.store.sync_device()
        if device is None or not device.org_settings:
            return None
        try:
            doc = verify_doc(verify_key_from_bytes(device.hub_key), SETTINGS,
                             json.loads(device.org_settings))
        except (SignedError, ValueError):
            return None
        days = doc.get("purge_after_days")
        return days if isinstance(days, int) and not isinstance(days, bool) and days >= 0 \
            else None

    def purge(self) -> int:
        """Erase closed cases the organisation's setting says to (N days after the hub's
        receipt for their latest revision), each in one transaction that checks nothing is
        pending and that the receipt is the pinned hub's for those exact bytes; a
        content-free tombstone stays. Returns how many were erased."""
        days = self.purge_days()
        device = self._ctx.store.sync_device()
        if days is None or device is None:
            return 0
        hub_key = verify_key_from_bytes(device.hub_key)

        def holds(receipt: bytes, data: bytes, case_id: str, revision: int) -> str | None:
            try:
                r = Receipt.from_bytes(receipt)
                r.verify(hub_key, envelope_id=read_header(data).envelope_id,
                         sha256=envelope_hash(data))
            except (ReceiptError, EnvelopeError):
                return None
            return r.stored_at if r.case_id == case_id and r.rev == revision else None

        purged, _kept = self._ctx.store.purge_after_receipt(days, now_iso(), holds)
        return purged

    def tombstones(self) -> list[records.TombstoneRow]:
        return self._ctx.store.tombstones()

    def receive(self, *, retries: int = CLI_RETRIES, http: httpx.Client | None = None,
                stop: threading.Event | None = None) -> int:
        """Take in what the hub holds for this laptop without pushing (reviews, notices, the
        organisation's settings). Returns how many records were kept."""
        store = self._ctx.store
        device = syncing_device(store)
        try:
            with HubSession(HubLink(device.hub_url, device.token, device.hub_key), http=http,
                            retries=retries, stop=stop) as session:
                return self.take_records(session)
        except SyncError as exc:
            if exc.code in STOPPING:
                raise self.stopped_by_hub(exc) from None
            raise failure(exc) from None

    def take_records(self, session: HubSession, pending: int | None = None) -> int:
        """Reviews and the hub's notices for this laptop, the organisation's settings."""
        from firstcontact.app.case_queries import CaseQueries
        from firstcontact.app.review import Review

        device = self._ctx.store.sync_device()
        if device is None:
            return 0
        org = KemKeyPair(device.org_private_key) if device.org_private_key else None
        return Review(self._ctx, CaseQueries(self._ctx)).take_records(session, device, org,
                                                                      pending)

    def stopped_by_hub(self, exc: SyncError, *, erase_here: bool = True) -> SyncFailed:
        """The hub revoked or retired this laptop: remembered (no more retries), and a wipe
        order the pinned hub signed for this very device runs the crypto-erase — here, or
        (``erase_here`` False: the GUI, which must first let go of the store on its own
        thread) by the caller on the ``wipe-ordered`` code."""
        store = self._ctx.store
        device = store.sync_device()
        order = exc.answer.get("wipe_order") if exc.code == "device-revoked" else None
        if device is not None and order is not None:
            try:
                doc = verify_doc(verify_key_from_bytes(device.hub_key), WIPE_ORDER, order)
            except SignedError:
                doc = {}
            if doc.get("order") == "wipe" and doc.get("device_id") == device.device_id:
                from firstcontact.app.locate import emergency_wipe

                with contextlib.suppress(StoreError):
                    store.audit("wipe-ordered-by-hub")
                    store.update_sync_device(revoked_at=now_iso(), revoked_code=exc.code)
                if not erase_here:
                    return SyncFailed(wiped_words(), "wipe-ordered")
                store.close()
                emergency_wipe(self._ctx.data_dir)
                return SyncFailed(wiped_words(), "wiped")
        if device is not None and not device.revoked_at:
            with contextlib.suppress(StoreError):
                store.update_sync_device(revoked_at=now_iso(), revoked_code=exc.code)
        return revoked_stop(exc.code)


def sealer(device: records.SyncDeviceRow
            ) -> Callable[[records.CaseData, int, int], tuple[str, bytes]]:
    org_key = KemPublicKey(device.org_key)
    signing_key = signing_key_from_bytes(device.signing_key)

    def seal_one(data: records.CaseData, revision: int, base: int) -> tuple[str, bytes]:
        """The case format's document of this snapshot, sealed to the organisation's key."""
        plaintext = json.dumps(case_document(data), ensure_ascii=False, sort_keys=True,
                               separators=(",", ":"), allow_nan=False).encode("utf-8")
        sealed = seal(plaintext, case_id=data.case.id, rev=revision, base_rev=base,
                      device_id=device.device_id, org_key=org_key, signing_key=signing_key)
        return sealed.envelope_id, sealed.data

    return seal_one


STOPPING = ("device-revoked", "device-retired")


def wiped_words() -> str:
    return _("the organisation revoked this laptop and ordered its data erased: the store on "
             "this laptop has been erased")


def enrolled_device(store: Store) -> records.SyncDeviceRow:
    """This laptop's enrolment; a clear error when it has none."""
    device = store.sync_device()
    if device is None:
        raise Invalid(_("sync is not set up: enrol this laptop first "
                        "(`firstcontact sync enrol URL CODE`, or Settings › Sync)"))
    return device


def still_syncing(device: records.SyncDeviceRow) -> records.SyncDeviceRow:
    """The enrolment, when it may still talk to the hub (not revoked or retired)."""
    if device.revoked_at:
        raise revoked_stop(device.revoked_code or "device-revoked")
    return device


def syncing_device(store: Store) -> records.SyncDeviceRow:
    """This laptop's enrolment, when it may still talk to the hub."""
    return still_syncing(enrolled_device(store))


def revoked_stop(code: str) -> SyncFailed:
    """Why this laptop no longer syncs, in words (it does not retry)."""
    if code == "device-retired":
        return SyncFailed(_("the organisation retired this laptop: it no longer syncs with "
                            "the hub. Your cases stay here; ask your IT lead"), code)
    return SyncFailed(_("the organisation revoked this laptop: it no longer syncs with the "
                        "hub, and will not try again. Ask your IT lead"), "device-revoked")


def hub_answers(url: str, *, timeout: float = 5.0, http: httpx.Client | None = None) -> bool:
    client = http or httpx.Client(timeout=timeout)
    try:
        request_json(client, "GET", normalise_hub_url(url) + HEALTH_PATH, body=None)
        return True
    except (Transient, SyncError):
        return False
    finally:
        if http is None:
            client.close()


_CODES = {
    "unauthorised": lambda: _("the hub does not recognise this laptop; ask your IT lead"),
    "device-revoked": lambda: _("the hub has revoked this laptop; ask your IT lead"),
    "bad-url": lambda: _("the hub address must start with https:// (or http://)"),
    "bad-answer": lambda: _("the hub's answer could not be understood"),
    "code-unknown": lambda: _("the hub does not know this code: check it, or ask your IT "
                              "lead for a new one"),
    "code-wrong": lambda: _("the code is not right: check it and try again"),
    "code-used": lambda: _("this code was used already: ask your IT lead for a new one"),
    "code-expired": lambda: _("this code has expired: ask your IT lead for a new one"),
    "code-locked": lambda: _("this code was tried wrongly too often: ask your IT lead for a "
                             "new one"),
    "bad-key": lambda: _("the hub refused this laptop's keys"),
    "bad-receipt": lambda: _("the hub's receipt does not carry the signature pinned at "
                             "enrolment: nothing of that answer counts as synced"),
    "bad-org-key": lambda: _("the hub sent an organisation key that does not match its "
                             "fingerprint: nothing was kept"),
}
_DETAIL = re.compile(r"\(([a-z0-9 ()-]{1,40})\)")


def failure(exc: SyncError) -> SyncFailed:
    """The sync library's error as one translated line (no token, no content)."""
    if isinstance(exc, HubUnreachable):
        found = _DETAIL.search(str(exc))
        detail = found.group(1) if found else exc.code
        return SyncFailed(_("the hub could not be reached ({detail}); nothing is lost: "
                            "changes wait on this laptop for the next sync").format(
                                detail=detail), exc.code)
    words = _CODES.get(exc.code)
    if words is not None:
        return SyncFailed(words(), exc.code)
    if isinstance(exc, HubNotTrusted):
        return SyncFailed(_("the hub could not be trusted ({code})").format(code=exc.code),
                          exc.code)
    if isinstance(exc, HubRefused):
        return SyncFailed(_("the hub refused ({code})").format(code=_printable(exc.code)),
                          exc.code)
    return SyncFailed(_("sync stopped ({code})").format(code=_printable(exc.code)), exc.code)


def _printable(text: str) -> str:
    """A code from the network, shown in one short line of plain characters."""
    return "".join(c for c in text if c.isalnum() or c in "-_.")[:40] or "?"


# -- the OS keyring: a convenience copy of the token, never needed ---------------------------
def keyring_user(data_dir: Path) -> str:
    return KEYRING_USER.format(dir=data_dir.resolve())


def keep_token_in_keyring(data_dir: Path, token: str) -> str | None:
    """Put a copy of the token in the OS keyring when a trusted backend passed its round trip;
    otherwise the notice to show once (the token stays in the encrypted store either way)."""
    from firstcontact.store.keyring_support import NO_KEYRING_NOTICE, SERVICE, KeyringStatus

    status = KeyringStatus()
    if status.backend is not None:
        try:
            status.backend.set_password(SERVICE, keyring_user(data_dir), token)
            return None
        except Exception:  # a keyring that fails now is not one to rely on
            return _(NO_KEYRING_NOTICE)
    return status.notice_once()


def forget_token_in_keyring(data_dir: Path) -> None:
    """Remove the keyring's copy (the emergency wipe), if there is one; never raises."""
    try:
        import keyring

        from firstcontact.store.keyring_support import SERVICE

        keyring.get_keyring().delete_password(SERVICE, keyring_user(data_dir))
    except Exception:  # no keyring, no entry: nothing to remove
        return


__all__ = ["PendingEnrolment", "PushResult", "StoreOutbox", "Sync", "SyncStatus", "failure",
           "reason_words"]
