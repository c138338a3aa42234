"""Supervision (``ws.review``): a supervisor pulls the workers' cases from the hub and reviews
them; every device takes in the records meant for it (reviews, a supervisor's exports,
handovers, the organisation's signed settings).

- :meth:`Review.pull` (a supervisor): reads ``GET /v1/feed`` after the last hub sequence seen,
  verifies each envelope's signature, opens it with the organisation key, checks the case
  document as `case import` does, and keeps it in this encrypted store as a read-only copy
  (every revision kept; a clash or a stale base kept beside the standing revision, flagged).
  A tampered envelope is refused, counted and audited, never stored. Then records both ways.
- :meth:`Review.note`, :meth:`Review.sign_off`, :meth:`Review.needs_changes`: append-only
  review records, sealed to the organisation key and the owning device's receiving key,
  kept here with their sealed bytes in one transaction and sent at the next pull.
- :meth:`Review.take_records` (every device, after a push or a pull): reviews for this laptop's
  cases, "exported by supervisor" reports, the hub's notices (a case handed to another
  worker), the organisation's settings signed by the hub.

Network work is slow: the GUI runs it on a worker. Messages carry ids and counts, never content.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from firstcontact.app.case_io import validate_document
from firstcontact.app.case_queries import CaseQueries
from firstcontact.app.context import Context
from firstcontact.app.errors import Invalid, NotFound, SyncFailed
from firstcontact.app.review_words import review_view
from firstcontact.app.views import CaseDetail, ReviewView
from firstcontact.clock import now_iso
from firstcontact.domain.case import CaseState, CriterionMark
from firstcontact.domain.consent_merge import merge_histories
from firstcontact.domain.text import storable
from firstcontact.i18n import _
from firstcontact.store import records
from firstcontact.store.errors import StoreError
from firstcontact.sync.client import HubLink
from firstcontact.sync.envelope import EnvelopeError, open_envelope
from firstcontact.sync.errors import HubRefused, SyncError
from firstcontact.sync.keys import (
    KemKeyPair,
    KemPublicKey,
    KeyFormatError,
    signing_key_from_bytes,
    verify_key_from_bytes,
)
from firstcontact.sync.org_key_copy import OrgKeyCopyError, unwrap, wrap_for_device
from firstcontact.sync.record import RecordError, open_record, plain_record, seal_record
from firstcontact.sync.session import HubSession, RecordItem
from firstcontact.sync.signed import SETTINGS, SignedError, verify_doc

REVIEW_KINDS = ("note", "signed-off", "needs-changes")
MAX_NOTE = 4000


@dataclass(frozen=True)
class PullResult:
    """One pull: revisions kept (standing or parallel), already here, refused; records."""

    kept: int = 0
    parallel: int = 0
    known: int = 0
    refused: int = 0
    records_received: int = 0
    records_sent: int = 0

    def to_json(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class VersionDiff:
    """One answer (or consent) that differs between the two versions of a case."""

    item: str
    label: str
    current: str
    other: str


@dataclass(frozen=True)
class ReviewListRow:
    reference: str
    owner: str
    revision: int
    state: str  # for-review | conflict | note | signed-off | needs-changes

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ReviewDetail:
    """A pulled case as the supervisor reviews it: the case, whose it is, its revisions (a
    parallel one waiting for a decision), the reviews so far."""

    case: CaseDetail
    owner: str
    revision: int
    state: str
    revisions: tuple[dict[str, Any], ...]
    parallel: dict[str, Any] | None
    reviews: tuple[ReviewView, ...] = field(default_factory=tuple)
    differences: tuple[VersionDiff, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        return {"case": self.case.as_json(), "owner": self.owner, "revision": self.revision,
                "state": self.state, "revisions": list(self.revisions),
                "parallel": self.parallel, "reviews": [asdict(r) for r in self.reviews],
                "differences": [asdict(d) for d in self.differences]}


class Review:
    def __init__(self, ctx: Context, queries: CaseQueries) -> None:
        self._ctx = ctx
        self._queries = queries

    # -- who this laptop is --------------------------------------------------------------------
    def _device(self) -> records.SyncDeviceRow:
        from firstcontact.app.sync import enrolled_device

        return enrolled_device(self._ctx.store)

    def _supervisor(self) -> records.SyncDeviceRow:
        device = self._device()
        if device.role != "supervisor":
            raise Invalid(_("only a supervisor's laptop reviews cases: this laptop is enrolled "
                            "as a worker's"))
        return device

    @property
    def is_supervisor(self) -> bool:
        device = self._ctx.store.sync_device()
        return device is not None and device.role == "supervisor"

    def _org_key(self, device: records.SyncDeviceRow, session: HubSession | None) -> KemKeyPair:
        """The organisation key pair: from this store, else the hub's copy wrapped for this
        device (opened with the device's receiving key and kept in this store)."""
        expected = KemPublicKey(device.org_key)
        if device.org_private_key is not None:
            return KemKeyPair(device.org_private_key)
        copy = session.org_key_copy() if session is not None else None
        if copy is None:
            raise Invalid(_("this laptop holds no copy of the organisation key: ask your IT "
                            "lead to add one (`firstcontact-hub org-key add`)"))
        try:
            pair = unwrap(copy, KemKeyPair(device.receiving_key), expected)
        except OrgKeyCopyError:
            raise Invalid(_("the hub's copy of the organisation key does not open on this "
                            "laptop: ask your IT lead")) from None
        self._ctx.store.update_sync_device(org_private_key=pair.private_bytes())
        return pair

    def _leave_copy(self, session: HubSession, org: KemKeyPair,
                    device: records.SyncDeviceRow) -> None:
        """First pull: leave the hub a copy wrapped to this laptop's key. Refused because one
        was left before: the IT lead removed it, so this laptop forgets the key too."""
        try:
            session.keep_org_key_copy(wrap_for_device(
                org, KemKeyPair(device.receiving_key).public))
        except HubRefused as exc:
            if exc.code != "not-awaited":
                raise
            self._ctx.store.update_sync_device(org_private_key=None)
            raise Invalid(_("your organisation removed this laptop's copy of the organisation "
                            "key, so it is forgotten here: nothing new can be pulled. Ask your "
                            "IT lead")) from None

    def _session(self, device: records.SyncDeviceRow, *, retries: int,
                 http: httpx.Client | None, stop: threading.Event | None) -> HubSession:
        return HubSession(HubLink(device.hub_url, device.token, device.hub_key), http=http,
                          retries=retries, stop=stop)

    # -- pulling -------------------------------------------------------------------------------
    def pull(self, *, retries: int = 3, http: httpx.Client | None = None,
             stop: threading.Event | None = None, erase_here: bool = True) -> PullResult:
        """Fetch new revisions from the hub into read-only copies, then exchange records."""
        from firstcontact.app.sync import failure, still_syncing

        device = still_syncing(self._supervisor())
        counts = {"kept": 0, "parallel": 0, "known": 0, "refused": 0}
        try:
            with self._session(device, retries=retries, http=http, stop=stop) as session:
                org = self._org_key(device, session)
                if session.org_key_copy() is None:
                    self._leave_copy(session, org, device)
                after = device.feed_seq
                while True:
                    items, nxt = session.feed(after)
                    for item in items:
                        counts[self._keep_item(item, org)] += 1
                    if not items or nxt <= after:
                        break
                    after = nxt
                    self._ctx.store.update_sync_device(feed_seq=after)
                self._ctx.store.remember_owner_keys(
                    {d.device_id: d.receiving_key for d in session.devices()})
                received, sent = self._exchange(session, self._device(), org)
        except SyncError as exc:
            raise self._stopped(exc, erase_here) \
                if exc.code in ("device-revoked", "device-retired") else failure(exc) from None
        if counts["refused"]:
            self._ctx.store.audit("pull-refused", detail=f"count={counts['refused']}")
        return PullResult(kept=counts["kept"], parallel=counts["parallel"],
                          known=counts["known"], refused=counts["refused"],
                          records_received=received, records_sent=sent)

    def _stopped(self, exc: SyncError, erase_here: bool = True) -> SyncFailed:
        from firstcontact.app.sync import Sync

        return Sync(self._ctx).stopped_by_hub(exc, erase_here=erase_here)

    def _keep_item(self, item: Any, org: KemKeyPair) -> str:
        """One feed item: kept (standing or parallel), known, or refused (never stored)."""
        try:
            opened = open_envelope(item.envelope, org, verify_key_from_bytes(item.verify_key))
            if opened.header.device_id != item.device_id:
                raise EnvelopeError("wrong-device", "the envelope names another device")
            doc = json.loads(opened.plaintext)
            content, state = self._content(doc)
        except (EnvelopeError, KeyFormatError, ValueError, Invalid):
            return "refused"
        h = opened.header
        rev = records.PulledRevisionRow(
            envelope_id=h.envelope_id, case_id=h.case_id, revision=h.rev, base_revision=h.base_rev,
            device_id=h.device_id, worker=item.worker or h.device_id[:8], hub_seq=item.seq,
            sealed_at=h.sealed_at, flag=item.flag,
            document=json.dumps(doc, ensure_ascii=False, sort_keys=True))
        store = self._ctx.store
        place = store.pulled_placement(rev)
        if place in ("known", "own"):
            return "known"
        pulled = store.pulled_case(h.case_id) if place != "new" else None
        if place == "parallel" and pulled is not None:
            standing, _state = self._content(json.loads(pulled.standing.document))
            content = _merged(standing, content)
            state = self._state(content)
        elif pulled is not None and pulled.parallel is not None:
            other, _state = self._content(json.loads(pulled.parallel.document))
            content = _merged(content, other)
            state = self._state(content)
        case_row = records.CaseRow(h.case_id, content.reference, content.created_at, "",
                                   content.status, None, h.rev)
        try:
            store.keep_pulled(rev, place, content, self._ctx.summary(case_row, state))
        except StoreError:
            return "refused"
        return "parallel" if place == "parallel" else "kept"

    def _content(self, doc: object) -> tuple[records.CaseContent, CaseState]:
        derived = {d.id for d in self._ctx.checklist.derived_fields}
        imported = validate_document(doc, self._ctx.checklist, derived)
        if not isinstance(doc, dict):
            raise Invalid(_("the case file must be a JSON object"))
        reference, created = doc.get("reference"), doc.get("created_at")
        if not isinstance(reference, str) or not reference or not isinstance(created, str):
            raise Invalid(_("the case document has no reference"))
        content = records.CaseContent(
            reference=reference, status=imported.status, created_at=created,
            answers={k: json.dumps(v, ensure_ascii=False) for k, v in imported.answers.items()},
            consents=tuple(imported.consents), skips=dict(imported.skips),
            marks={pc: (m["status"], m["note"]) for pc, m in imported.marks.items()},
            notes=tuple((n["kind"], n["text"],
                         json.dumps(n["details"], ensure_ascii=False) if n.get("details")
                         else None, n.get("created_at") or "") for n in imported.notes),
            exports=tuple((e["destination"], e["exported_at"], e["sha256"])
                          for e in imported.exports))
        return content, self._state(content)

    @staticmethod
    def _state(content: records.CaseContent) -> CaseState:
        exports = {d: at for d, at, _sha in content.exports}
        return CaseState({k: json.loads(v) for k, v in content.answers.items()},
                         {c.destination: c for c in content.consents}, dict(content.skips),
                         {pc: CriterionMark(s, n)  # type: ignore[arg-type]
                          for pc, (s, n) in content.marks.items()},
                         exports, contact_date=content.created_at[:10])

    # -- records both ways ---------------------------------------------------------------------
    def _exchange(self, session: HubSession, device: records.SyncDeviceRow,
                  org: KemKeyPair | None) -> tuple[int, int]:
        """Send this laptop's waiting records (a supervisor's), then take in those for it."""
        sent = 0
        waiting = self._ctx.store.pending_records() if device.role == "supervisor" else []
        if waiting:
            outcomes = session.post_records([data for _id, data in waiting])
            sent, _refused = self._ctx.store.settle_records(outcomes)
        return self.take_records(session, device, org), sent

    def take_records(self, session: HubSession, device: records.SyncDeviceRow,
                     org: KemKeyPair | None = None, pending: int | None = None) -> int:
        """Take in the records after the last seen (and the organisation's signed settings);
        returns how many were kept."""
        kept = 0
        after = device.records_seq
        hub_key = verify_key_from_bytes(device.hub_key)
        own = KemKeyPair(device.receiving_key)
        settings = None
        while True:
            page = session.records(after, pending=pending)
            settings = page.settings if page.settings is not None else settings
            for item in page.items:
                kept += self._take(item, device, hub_key, org or own)
            if not page.items or page.next <= after:
                break
            after = page.next
            self._ctx.store.update_sync_device(records_seq=after)
        if settings is not None:
            try:
                verify_doc(hub_key, SETTINGS, settings)
                text = json.dumps(settings, sort_keys=True)
                if text != device.org_settings:
                    self._ctx.store.update_sync_device(org_settings=text)
            except SignedError:
                self._ctx.store.audit("settings-refused")
        return kept

    def _take(self, item: RecordItem, device: records.SyncDeviceRow, hub_key: Any,
              key: KemKeyPair) -> int:
        store = self._ctx.store
        try:
            if item.kind == "notice":
                doc = open_record(item.record, hub_key).doc
                if doc.get("notice") == "handed-over" and self._is_own(item.case_id):
                    store.hand_out(item.case_id, records.ReviewRow(
                        record_id=str(uuid.uuid4()), case_id=item.case_id, kind="handed-over",
                        note="", revision=0, author=_("the organisation's hub"),
                        author_device="hub", at=now_iso(),
                        detail_json=json.dumps({"to_worker": str(doc.get("to_worker", ""))})))
                    return 1
                return 0
            if item.verify_key is None or item.author_device == device.device_id:
                return 0
            opened = open_record(item.record, verify_key_from_bytes(item.verify_key),
                                 key if item.kind in ("review", "handover") else None)
        except (RecordError, KeyFormatError, ValueError):
            store.audit("record-refused")
            return 0
        doc, header = opened.doc, opened.header
        if item.kind == "review":
            kind = doc.get("kind")
            if kind not in (*REVIEW_KINDS, "resolved"):
                return 0
            row = records.ReviewRow(
                record_id=header.record_id, case_id=header.case_id, kind=str(kind),
                note=_text(doc.get("note")), revision=_int(doc.get("revision")),
                author=item.author_worker or _text(doc.get("author")),
                author_device=item.author_device, at=_text(doc.get("at")) or header.sealed_at)
        elif item.kind == "export":
            row = records.ReviewRow(
                record_id=header.record_id, case_id=header.case_id, kind="exported", note="",
                revision=_int(doc.get("revision")), author=item.author_worker,
                author_device=item.author_device, at=_text(doc.get("exported_at")),
                detail_json=json.dumps({"destination": _text(doc.get("destination")),
                                        "sha256": _text(doc.get("sha256"))}, sort_keys=True))
        elif item.kind == "handover" and header.to_device == device.device_id:
            return self._take_handover(item, doc, header)
        else:
            return 0
        try:
            return 1 if store.add_review(row) else 0
        except StoreError:
            return 0  # a case not on this laptop (purged, or never pulled)

    def _take_handover(self, item: RecordItem, doc: dict[str, Any], header: Any) -> int:
        """A case handed to this laptop: its own from the revision handed (audited)."""
        revision = _int(doc.get("revision"))
        try:
            content, state = self._content(doc.get("document"))
        except Invalid:
            self._ctx.store.audit("record-refused")
            return 0
        if revision < 1:
            return 0
        case_row = records.CaseRow(header.case_id, content.reference, content.created_at, "",
                                   content.status, None, revision)
        row = records.ReviewRow(header.record_id, header.case_id, "handed-over",
                                _text(doc.get("note")), revision, item.author_worker,
                                item.author_device, header.sealed_at,
                                json.dumps({"to_worker": _text(doc.get("to_worker"))}))
        try:
            self._ctx.store.take_handover(header.case_id, content, revision,
                                          self._ctx.summary(case_row, state), row)
        except StoreError:
            self._ctx.store.audit("record-refused")
            return 0
        return 1

    def handover_targets(self, ref: str, *, retries: int = 3,
                         http: httpx.Client | None = None) -> list[tuple[str, str]]:
        """The active workers' laptops a case may go to: (device id, worker), from the hub."""
        from firstcontact.app.sync import failure

        device = self._supervisor()
        pulled = self._pulled(ref)
        try:
            with self._session(device, retries=retries, http=http, stop=None) as session:
                return [(d.device_id, d.worker) for d in session.devices()
                        if d.role == "worker" and d.state == "active"
                        and d.device_id != pulled.owner_device]
        except SyncError as exc:
            raise failure(exc) from None

    def hand_over(self, ref: str, to: str, note: str = "", *, retries: int = 3,
                  http: httpx.Client | None = None) -> ReviewView:
        """Move a pulled case to another worker's laptop (``to``: its device id, the start of
        it, or the worker's name as the hub knows it). The old laptop stops pushing it; the
        new one owns it from the revision that stands. Sent at once (the hub checks and
        audits it); kept here to resend if the hub could not be reached."""
        from firstcontact.app.sync import failure

        device = self._supervisor()
        pulled = self._pulled(ref)
        if pulled.parallel is not None:
            raise Invalid(_("two versions of {ref} wait for a decision: choose the one that "
                            "stands first").format(ref=pulled.reference))
        try:
            with self._session(device, retries=retries, http=http, stop=None) as session:
                wanted = to.strip()
                targets = [d for d in session.devices()
                           if d.role == "worker" and d.state == "active"
                           and d.device_id != pulled.owner_device
                           and (d.device_id.startswith(wanted.lower()) or d.worker == wanted)]
                if len(targets) != 1:
                    raise Invalid(_("no single active worker's laptop matches '{to}' (use "
                                    "its device id from `firstcontact-hub devices`)").format(
                                        to=wanted) if wanted else _("say whose laptop"))
                target = targets[0]
                at = now_iso()
                doc = {"kind": "handover", "note": note.strip(), "revision":
                       pulled.standing.revision, "to_worker": target.worker, "at": at,
                       "document": json.loads(pulled.standing.document)}
                record = seal_record(doc, kind="handover", case_id=pulled.case_id,
                                     author_device=device.device_id,
                                     to_device=target.device_id,
                                     recipients=[KemPublicKey(device.org_key),
                                                 KemPublicKey(target.receiving_key)],
                                     signing_key=signing_key_from_bytes(device.signing_key))
                row = records.ReviewRow(record.record_id, pulled.case_id, "handed-over",
                                        note.strip(), pulled.standing.revision, device.worker,
                                        device.device_id, at,
                                        json.dumps({"to_worker": target.worker}))
                self._ctx.store.add_review(row, (record.record_id, "handover", record.data))
                outcome = session.post_records([record.data])
                self._ctx.store.settle_records(outcome)
        except SyncError as exc:
            raise failure(exc) from None
        if outcome.get(record.record_id) not in ("stored", "duplicate"):
            raise Invalid(_("the hub refused the handover ({why})").format(
                why=str(outcome.get(record.record_id, "?")).split(":")[-1][:40]))
        return review_view(row)

    def _is_own(self, case_id: str) -> bool:
        try:
            self._ctx.store.get_case(case_id)
        except StoreError:
            return False
        return self._ctx.store.pulled_case(case_id) is None

    # -- reviewing -----------------------------------------------------------------------------
    def list(self, *, waiting_only: bool = False) -> list[ReviewListRow]:
        self._supervisor()
        rows = [ReviewListRow(p.reference, p.owner_worker, p.standing.revision,
                              p.review_state or "for-review")
                for p in self._ctx.store.pulled_cases()]
        if waiting_only:
            rows = [r for r in rows if r.state in ("for-review", "conflict")]
        return rows

    def _pulled(self, ref: str) -> records.PulledCaseRow:
        case = self._queries.find(ref)
        pulled = self._ctx.store.pulled_case(case.id)
        if pulled is None:
            raise NotFound(_("{ref} is not a case pulled for review on this laptop").format(
                ref=case.reference))
        return pulled

    def show(self, ref: str) -> ReviewDetail:
        self._supervisor()
        pulled = self._pulled(ref)
        detail = self._queries.detail(pulled.case_id)
        revisions = tuple(_revision_json(r) for r in
                          self._ctx.store.pulled_revisions(pulled.case_id))
        return ReviewDetail(detail, pulled.owner_worker, pulled.standing.revision,
                            pulled.review_state or "for-review", revisions,
                            _revision_json(pulled.parallel) if pulled.parallel else None,
                            self.reviews(pulled.case_id), self.compare(ref))

    def reviews(self, case_id: str) -> tuple[ReviewView, ...]:
        return tuple(review_view(r) for r in self._ctx.store.reviews(case_id))

    def note(self, ref: str, text: str) -> ReviewView:
        return self._review(ref, "note", text)

    def sign_off(self, ref: str, note: str = "") -> ReviewView:
        return self._review(ref, "signed-off", note)

    def needs_changes(self, ref: str, note: str) -> ReviewView:
        if not note.strip():
            raise Invalid(_("say what needs changing (--note TEXT)"))
        return self._review(ref, "needs-changes", note)

    def _review(self, ref: str, kind: str, note: str) -> ReviewView:
        device = self._supervisor()
        note = note.strip()
        if kind == "note" and not note:
            raise Invalid(_("a review note needs some text"))
        if len(note) > MAX_NOTE or not storable(note):
            raise Invalid(_("the note is too long or holds text that cannot be stored"))
        pulled = self._pulled(ref)
        if pulled.parallel is not None and kind != "note":
            raise Invalid(_("two versions of {ref} wait for a decision: compare them and "
                            "choose the one that stands first").format(ref=pulled.reference))
        at = now_iso()
        doc = {"kind": kind, "note": note, "revision": pulled.standing.revision,
               "author": device.worker, "at": at}
        record = self._seal(device, pulled, doc)
        row = records.ReviewRow(record.record_id, pulled.case_id, kind, note,
                                pulled.standing.revision, device.worker, device.device_id, at)
        self._ctx.store.add_review(row, (record.record_id, "review", record.data))
        return review_view(row)

    def _seal(self, device: records.SyncDeviceRow, pulled: records.PulledCaseRow,
              doc: dict[str, Any]) -> Any:
        recipients = [KemPublicKey(device.org_key)]
        if pulled.owner_key is not None:
            recipients.append(KemPublicKey(pulled.owner_key))
        return seal_record(doc, kind="review", case_id=pulled.case_id,
                           author_device=device.device_id, to_device=pulled.owner_device,
                           recipients=recipients,
                           signing_key=signing_key_from_bytes(device.signing_key))

    # -- two versions: which stands --------------------------------------------------------------
    def compare(self, ref: str) -> tuple[VersionDiff, ...]:
        """The two versions of a case side by side: each answer or consent that differs."""
        from firstcontact.referral.content import display_value

        self._supervisor()
        pulled = self._pulled(ref)
        if pulled.parallel is None:
            return ()
        iv = self._ctx.interview
        one, _s1 = self._content(json.loads(pulled.standing.document))
        two, _s2 = self._content(json.loads(pulled.parallel.document))
        diffs = []
        for fid in sorted(set(one.answers) | set(two.answers)):
            a, b = one.answers.get(fid), two.answers.get(fid)
            if a == b:
                continue
            field_def = self._ctx.checklist.field(fid)
            label = field_def.label if field_def is not None else fid
            diffs.append(VersionDiff(
                fid, label, display_value(iv, fid, json.loads(a)) if a is not None else "",
                display_value(iv, fid, json.loads(b)) if b is not None else ""))
        now_one = {c.destination: c.state for c in one.consents}
        now_two = {c.destination: c.state for c in two.consents}
        for dest in sorted(set(now_one) | set(now_two)):
            if now_one.get(dest) != now_two.get(dest):
                diffs.append(VersionDiff(f"consent:{dest}", _("Consent: {d}").format(d=dest),
                                         now_one.get(dest, ""), now_two.get(dest, "")))
        if len(one.notes) != len(two.notes):
            diffs.append(VersionDiff("notes", _("Notes"), str(len(one.notes)),
                                     str(len(two.notes))))
        return tuple(diffs)

    def resolve(self, ref: str, keep: str, note: str = "") -> ReviewView:
        """Two versions wait: ``keep`` = "current" (the one standing) or "other" stands from
        now on; either way both consent histories are merged (a refusal survives). The
        decision is a review record, sent to the worker."""
        device = self._supervisor()
        pulled = self._pulled(ref)
        if pulled.parallel is None:
            raise Invalid(_("{ref} has only one version: nothing to decide").format(
                ref=pulled.reference))
        if keep not in ("current", "other"):
            raise Invalid(_("keep is current or other"))
        kept, dropped = (pulled.standing, pulled.parallel) if keep == "current" else \
            (pulled.parallel, pulled.standing)
        content, _state = self._content(json.loads(kept.document))
        other, _o = self._content(json.loads(dropped.document))
        content = _merged(content, other)
        case_row = records.CaseRow(pulled.case_id, content.reference, content.created_at, "",
                                   content.status, None, kept.revision)
        at = now_iso()
        note = note.strip()
        doc = {"kind": "resolved", "note": note, "revision": kept.revision,
               "author": device.worker, "at": at}
        record = self._seal(device, pulled, doc)
        row = records.ReviewRow(record.record_id, pulled.case_id, "resolved", note,
                                kept.revision, device.worker, device.device_id, at,
                                json.dumps({"kept": kept.envelope_id,
                                            "set_aside": dropped.envelope_id}))
        self._ctx.store.resolve_pulled(pulled.case_id, kept.envelope_id, content,
                                       self._ctx.summary(case_row, self._state(content)), row,
                                       (record.record_id, record.data))
        return review_view(row)

    def view_mode(self, case_id: str) -> str:
        """How the app opens a case: ``review`` (a supervisor's pulled copy), ``read-only``
        (handed over to another worker) or ``edit``."""
        state = self._ctx.store.case_sync(case_id).state
        return {"pulled": "review", "handed-over": "read-only"}.get(state, "edit")

    # -- a supervisor's export -----------------------------------------------------------------
    def is_pulled(self, case_id: str) -> bool:
        return self._ctx.store.pulled_case(case_id) is not None

    def record_export(self, case_id: str, destination: str, sha256: str,
                      service_id: str | None) -> None:
        """A pack written from a pulled copy: kept and audited here, its report (destination,
        hash, time: no content) queued for the hub and the worker."""
        device = self._supervisor()
        pulled = self._ctx.store.pulled_case(case_id)
        if pulled is None:
            raise NotFound(_("no such pulled case"))
        at = now_iso()
        report = plain_record({"destination": destination, "sha256": sha256,
                               "exported_at": at,
                               "revision": pulled.standing.revision},
                              kind="export", case_id=case_id, author_device=device.device_id,
                              to_device=pulled.owner_device,
                              signing_key=signing_key_from_bytes(device.signing_key))
        row = records.ReviewRow(report.record_id, case_id, "exported", "",
                                pulled.standing.revision, device.worker, device.device_id, at,
                                json.dumps({"destination": destination, "sha256": sha256},
                                           sort_keys=True))
        self._ctx.store.record_pulled_export(case_id, destination, sha256, service_id, row,
                                             (report.record_id, report.data))


def _merged(standing: records.CaseContent, other: records.CaseContent) -> records.CaseContent:
    """``standing``'s content with both consent histories merged (a refusal survives)."""
    from dataclasses import replace

    return replace(standing, consents=merge_histories(standing.consents, other.consents))


def _revision_json(r: records.PulledRevisionRow) -> dict[str, Any]:
    return {"revision": r.revision, "base_revision": r.base_revision, "worker": r.worker,
            "sealed_at": r.sealed_at, "flag": r.flag, "envelope_id": r.envelope_id}


def _text(value: object) -> str:
    return value if isinstance(value, str) and storable(value) else ""


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
