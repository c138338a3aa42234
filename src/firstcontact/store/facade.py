"""The one class the application layer uses to reach the encrypted store.

Every write is one transaction (`synchronous=FULL`: durable when the call returns) that also
bumps the case's revision (what sync seals), writes the case summary (with its sync state) and
an audit event (ids only). ORM objects never
leave this module: callers get the plain records of `records.py`.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from firstcontact.clock import now_iso
from firstcontact.domain.case import ConsentRecord, MarkStatus, SkipRecord
from firstcontact.domain.text import storable
from firstcontact.i18n import _
from firstcontact.store import (
    keys,
    leftovers,
    migrate,
    records,
    recovery,
    rotation,
    summary_query,
    supervision,
    sync_records,
)
from firstcontact.store.audit_chain import GENESIS, ChainCheck, check_rows, entry_hash
from firstcontact.store.db import WRITE_OPTION, integrity, key_pragma, open_engine
from firstcontact.store.errors import (
    CaseNotFound,
    DiskFull,
    InvalidValue,
    KeyFileDamaged,
    NoStore,
    ReadOnlyCase,
    StoreClosed,
    StoreDamaged,
    StoreError,
    StoreExists,
    TooManyAttempts,
    Unsynced,
    WriteFailed,
    WrongPassphrase,
)
from firstcontact.store.lock import StoreLock
from firstcontact.store.models import (
    Answer,
    AuditEvent,
    Case,
    CaseSummary,
    Consent,
    CriterionMark,
    Export,
    Note,
    PulledCase,
    Setting,
    StepSkip,
    SyncDevice,
    SyncEnvelope,
)
from firstcontact.store.paths import DB_FILE, KEY_FILE, STORE_FILES, ensure_private_dir
from firstcontact.store.space import disk_full, is_disk_full
from firstcontact.store.summary_query import SummaryQuery
from firstcontact.store.unlock_guard import UnlockGuard

REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


now = now_iso  # every record's time stamp (firstcontact.clock)


def _check_text(*values: str | None) -> None:
    if any(v is not None and not storable(v) for v in values):
        raise InvalidValue(_("the text contains characters that cannot be stored (an "
                             "unpaired surrogate); nothing was saved"))


def _consent_row(case_id: str, c: ConsentRecord, recorded_at: str) -> Consent:
    return Consent(case_id=case_id, destination=c.destination, state=c.state,
                   explained_by=c.explained_by, explained=c.explained, language=c.language,
                   interpreter=c.interpreter, recorded_at=recorded_at,
                   interpreter_independent=c.interpreter_independent,
                   interpreter_accredited=c.interpreter_accredited,
                   interpreter_reason=c.interpreter_reason, shares_account=c.shares_account,
                   not_sought_reason=c.not_sought_reason,
                   explained_points=json.dumps(list(c.explained_points))
                   if c.explained_points else "")


def _consent_record(c: Consent) -> ConsentRecord:
    return ConsentRecord(
        destination=c.destination, state=c.state,
        explained_by=c.explained_by, language=c.language, interpreter=c.interpreter,
        explained=c.explained or "", recorded_at=c.recorded_at,
        interpreter_independent=c.interpreter_independent,
        interpreter_accredited=c.interpreter_accredited,
        interpreter_reason=c.interpreter_reason or "", shares_account=bool(c.shares_account),
        not_sought_reason=c.not_sought_reason or "",
        explained_points=tuple(json.loads(c.explained_points)) if c.explained_points else ())


class Store:
    """An unlocked store. :meth:`close` drops the key.

    On a full disk the store still opens for reading and backup (``disk_full`` is set): audit
    events that cannot be written wait in memory and go in with the next write that succeeds
    (or at :meth:`close`, if there is room by then); a change fails with :class:`DiskFull`.
    """

    def __init__(self, data_dir: Path, engine: Engine, key: bytearray,
                 lock: StoreLock | None = None, *, disk_full: bool = False) -> None:
        self.data_dir = data_dir
        self._engine: Engine | None = engine
        self._key = key
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._pending_audit: list[tuple[str, str, str | None, str | None]] = []
        self.disk_full = disk_full
        self.unwritten_audit = 0  # events still waiting when the store was closed

    # -- lifecycle -----------------------------------------------------------------------------
    @staticmethod
    def exists(data_dir: Path) -> bool:
        return (data_dir / KEY_FILE).exists() or (data_dir / DB_FILE).exists()

    @staticmethod
    def _take_lock(data_dir: Path) -> StoreLock:
        """Share the store; alone, first settle what interrupted work left behind."""
        lock = StoreLock(data_dir)
        try:
            if lock.try_exclusive():
                leftovers.settle(data_dir)
            lock.shared()
        except BaseException:
            lock.release()
            raise
        return lock

    @classmethod
    def create(cls, data_dir: Path, passphrase: str,
               recovery_public_key: Path | None = None) -> Store:
        if cls.exists(data_dir):
            raise StoreExists(_("a store already exists here; it was left untouched"))
        key = keys.new_data_key()
        slots = [recovery.wrap_for(recovery_public_key, bytes(key))] if recovery_public_key \
            else []
        slot = keys.wrap(bytes(key), passphrase)  # refusals come before anything is written
        ensure_private_dir(data_dir)
        lock = cls._take_lock(data_dir)
        old_umask = os.umask(0o077)
        engine: Engine | None = None
        try:
            engine = open_engine(data_dir / DB_FILE, key)
            migrate.upgrade(engine)
            keys.write_key_file(data_dir / KEY_FILE, slot, slots)
        except (DBAPIError, sqlcipher3.Error, OSError) as exc:  # nothing half-made is left
            if engine is not None:
                engine.dispose()
            for name in STORE_FILES:
                (data_dir / name).unlink(missing_ok=True)
            lock.release()
            if is_disk_full(exc, data_dir):
                raise disk_full() from None
            raise WriteFailed(_("could not create the store: the disk is not writable")) from None
        finally:
            os.umask(old_umask)
        store = cls(data_dir, engine, key, lock)
        store.audit("store-created")
        return store

    @classmethod
    def unlock(cls, data_dir: Path, passphrase: str,
               clock: Callable[[], float] = time.time) -> Store:
        if not cls.exists(data_dir):
            raise NoStore(_("no store here: create one first"))
        guard = UnlockGuard(data_dir, clock)
        wait = guard.seconds_until_next_attempt()
        if wait > 0:
            raise TooManyAttempts(_("too many wrong passphrases: try again in {seconds} s")
                                  .format(seconds=f"{wait:.0f}"), wait)
        lock = cls._take_lock(data_dir)
        try:
            key, engine, full = cls._open(data_dir, passphrase, guard)
        except BaseException:
            lock.release()
            raise
        store = cls(data_dir, engine, key, lock, disk_full=full)
        try:
            failures = guard.reset()
            if failures:
                store.audit("unlock-failed", detail=f"count={failures}")
            store.audit("unlocked")
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def _open(cls, data_dir: Path, passphrase: str, guard: UnlockGuard
              ) -> tuple[bytearray, Engine, bool]:
        doc = keys.read_key_file(data_dir / KEY_FILE)
        db_path = data_dir / DB_FILE
        if not db_path.exists():
            raise StoreDamaged(_("the database file is missing; restore it from a backup"))
        try:
            opened = rotation.open_key(
                doc, db_path, lambda part: keys.unwrap(part["passphrase"], passphrase))
        except WrongPassphrase:
            guard.record_failure()
            raise
        key = opened.key
        if opened.interrupted:  # a key change was interrupted: settle the key file
            with contextlib.suppress(OSError):  # e.g. a full disk: at a later unlock
                keys.write_document(data_dir / KEY_FILE, opened.document)
        try:
            engine, full = cls._connect(db_path, key, opened.disk_full)
        except BaseException:
            keys.wipe(key)
            raise
        return key, engine, full

    @staticmethod
    def _connect(db_path: Path, key: bytearray, full: bool) -> tuple[Engine, bool]:
        """The store's engine, upgraded; exclusive when the disk is too full to share."""
        old_umask = os.umask(0o077)
        try:
            if not full:
                engine = open_engine(db_path, key)
                try:
                    migrate.upgrade(engine)
                    _checkpoint(engine, "PASSIVE")  # fold in what an earlier close could not
                    return engine, False
                except (DBAPIError, sqlcipher3.Error) as exc:
                    engine.dispose()
                    if not is_disk_full(exc, db_path.parent):
                        raise StoreDamaged(_("the database cannot be opened or upgraded")) \
                            from None
            engine = open_engine(db_path, key, exclusive=True)
            try:
                if migrate.current_revision(engine) != migrate.HEAD:
                    migrate.upgrade(engine)
            except (DBAPIError, sqlcipher3.Error) as exc:
                engine.dispose()
                if is_disk_full(exc, db_path.parent):
                    raise DiskFull(_("the disk is full and the store needs an upgrade first: "
                                     "free some space, then try again")) from None
                raise StoreDamaged(_("the database cannot be opened or upgraded")) from None
            return engine, True
        finally:
            os.umask(old_umask)

    def close(self) -> None:
        if self._engine is not None:
            if self._pending_audit:
                with contextlib.suppress(StoreError):
                    self._write_pending()
            self.unwritten_audit = len(self._pending_audit)
            self._engine.dispose()
            self._engine = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        keys.wipe(self._key)

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    def change_passphrase(self, old: str, new: str, progress: rotation.Progress | None = None,
                          recovery_public_key: Path | None = None) -> None:
        """A new passphrase and a new data key (the database is re-encrypted, ``progress``
        told the fraction done); needs the store alone."""
        path = self.data_dir / KEY_FILE
        doc = keys.read_key_file(path)
        if "next" in doc:
            raise StoreError(_("an earlier passphrase change is not settled yet (the disk was "
                               "full): free some space, unlock again, then try again"))
        current = keys.unwrap(doc["passphrase"], old)
        if not secrets.compare_digest(bytes(current), bytes(self._key)):
            raise KeyFileDamaged(_("the key file does not match this store"))
        keys.wipe(current)
        known = recovery.load_public_key(recovery_public_key) if recovery_public_key else None
        engine = self.engine
        if self._lock is not None:
            self._lock.exclusive()
        try:
            engine.dispose()  # its connections hold the old key; new ones read the new one
            rotation.rotate(self.data_dir / DB_FILE, path, self._key, doc, lambda key: {
                "passphrase": keys.wrap(key, new),
                "recovery": recovery.rewrap(list(doc.get("recovery", [])), key, known)},
                progress)
        finally:
            if self._lock is not None:
                self._lock.shared()
        self.audit("passphrase-changed", detail="data key replaced")

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise StoreClosed(_("the store is locked"))
        return self._engine

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        """One write transaction; audit events waiting for room go in first."""
        engine = self.engine
        waiting = len(self._pending_audit)
        try:
            with self._sessions(bind=engine) as session, session.begin():
                session.connection(execution_options={WRITE_OPTION: True})
                for at, event, case_id, detail in self._pending_audit[:waiting]:
                    self._audit(session, event, case_id, detail, at=at)
                yield session
        except IntegrityError:
            raise
        except (DBAPIError, sqlcipher3.Error, OSError) as exc:
            if is_disk_full(exc, self.data_dir):
                self.disk_full = True
                raise disk_full() from None
            if isinstance(exc, OSError):
                raise WriteFailed(_("could not save: the disk is not writable (earlier data "
                                    "is intact)")) from None
            # SQLite's own message names the failure (e.g. "disk I/O error"), never a value
            reason = str(getattr(exc, "orig", exc)).splitlines()[0][:80]
            raise WriteFailed(_("could not save ({reason}): the disk may be full or not "
                                "writable; earlier data is intact").format(reason=reason)) from None
        del self._pending_audit[:waiting]
        self.disk_full = False

    def _write_pending(self) -> None:
        with self._tx():
            pass

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._sessions(bind=self.engine) as session:
            yield session

    # -- helpers -------------------------------------------------------------------------------
    @staticmethod
    def _audit(s: Session, event: str, case_id: str | None, detail: str | None = None, *,
               at: str | None = None) -> None:
        """Append an event to the hash chain (the transaction holds the write lock)."""
        prev = s.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
        prev = prev or GENESIS
        stamp = at or now()
        s.add(AuditEvent(at=stamp, event=event, case_id=case_id, detail=detail, prev_hash=prev,
                         hash=entry_hash(prev, stamp, event, case_id, detail)))
        s.flush()  # the next event of this transaction chains to this one

    @staticmethod
    def _case(s: Session, case_id: str) -> Case:
        case = s.get(Case, case_id)
        if case is None:
            raise CaseNotFound(_("no such case"))
        return case

    @staticmethod
    def _summary(s: Session, case: Case, summary: records.SummaryUpdate) -> None:
        row = s.get(CaseSummary, case.id)
        if row is None:
            row = CaseSummary(case_id=case.id)
            s.add(row)
        row.reference = case.reference
        row.created_at = case.created_at
        row.status = case.status
        row.stage_reached = summary.stage_reached
        row.completeness_json = json.dumps(dict(summary.completeness), sort_keys=True)
        row.search_text = summary.search_text
        row.decision_due = summary.decision_due
        row.follow_up_due = summary.follow_up_due
        row.updated_at = now()
        sync_records.refresh_summary(s, case)
        supervision.refresh_review_state(s, case)

    def _touch(self, s: Session, case_id: str, summary: records.SummaryUpdate | None) -> Case:
        """A change to the case: its time, its revision (bumped in this transaction), and
        its summary. A pulled copy or a case handed over is not changed here."""
        case = self._case(s, case_id)
        if case.origin != "local":
            raise ReadOnlyCase(_("this case is read-only here: a copy from the organisation's "
                                 "hub, or handed over to another worker"))
        case.updated_at = now()
        case.revision += 1
        if summary is not None:
            self._summary(s, case, summary)
        else:
            sync_records.refresh_summary(s, case)
        return case

    @staticmethod
    def _row(case: Case) -> records.CaseRow:
        return records.CaseRow(case.id, case.reference, case.created_at, case.updated_at,
                               case.status, case.nation, case.revision)

    # -- cases ---------------------------------------------------------------------------------
    def create_case(self, nation: str | None = None) -> records.CaseRow:
        with self._tx() as s:
            return self._new_case(s, nation, "open")

    def _new_case(self, s: Session, nation: str | None, status: str) -> records.CaseRow:
        taken = True
        reference = ""
        while taken:
            reference = "FC-" + "".join(secrets.choice(REF_ALPHABET) for _ in range(6))
            taken = s.scalar(select(Case.id).where(Case.reference == reference)) is not None
        stamp = now()
        case = Case(id=str(uuid.uuid4()), reference=reference, created_at=stamp,
                    updated_at=stamp, status=status, nation=nation, revision=1)
        s.add(case)
        s.flush()
        self._summary(s, case, records.SummaryUpdate(stage_reached=None,
                                                     search_text=reference))
        self._audit(s, "created", case.id)
        return self._row(case)

    def get_case(self, case_ref_or_id: str) -> records.CaseRow:
        with self._read() as s:
            case = s.get(Case, case_ref_or_id) or s.scalar(
                select(Case).where(Case.reference == case_ref_or_id.strip().upper()))
            if case is None:
                raise CaseNotFound(_("no such case"))
            return self._row(case)

    def set_case_status(self, case_id: str, status: str,
                        summary: records.SummaryUpdate | None = None) -> None:
        if status not in ("open", "closed"):
            raise InvalidValue(_("status must be open or closed"))
        with self._tx() as s:
            case = self._touch(s, case_id, None)
            case.status = status
            row = s.get(CaseSummary, case_id)
            if row is not None:
                row.status = status
            if summary is not None:
                self._summary(s, case, summary)
            self._audit(s, "status-changed", case_id, f"status={status}")

    def load_case(self, case_id: str, *, audit: bool = False) -> records.CaseData:
        with self._read() as s:
            data = self._load(s, self._case(s, case_id))
        if audit:
            self.audit("opened", case_id)
        return data

    def _load(self, s: Session, case: Case) -> records.CaseData:
        """The whole case as the session sees it (one transaction: one snapshot)."""
        case_id = case.id
        answers = {a.field_id: records.AnswerRow(a.value_json, a.revision, a.updated_at)
                   for a in s.scalars(select(Answer).where(Answer.case_id == case_id))}
        history = tuple(_consent_record(c) for c in s.scalars(
            select(Consent).where(Consent.case_id == case_id).order_by(Consent.id)))
        skips = {k.step_id: SkipRecord(k.reason, k.note or "")
                 for k in s.scalars(select(StepSkip).where(StepSkip.case_id == case_id))}
        marks = {m.pc_id: records.MarkRow(m.status, m.note) for m in
                 s.scalars(select(CriterionMark).where(CriterionMark.case_id == case_id))}
        notes = tuple(records.NoteRow(n.id, n.kind, n.text, n.details_json, n.created_at)
                      for n in s.scalars(select(Note).where(Note.case_id == case_id)
                                         .order_by(Note.created_at)))
        exports = tuple(records.ExportRow(e.destination, e.exported_at, e.sha256, e.service_id)
                        for e in s.scalars(select(Export).where(Export.case_id == case_id)
                                           .order_by(Export.id)))
        return records.CaseData(self._row(case), answers, {c.destination: c for c in history},
                                history, skips, marks, notes, exports)

    def save_answer(self, case_id: str, field_id: str, value_json: str,
                    summary: records.SummaryUpdate) -> int:
        _check_text(field_id, value_json)
        with self._tx() as s:
            self._touch(s, case_id, summary)
            row = s.get(Answer, (case_id, field_id))
            stamp = now()
            if row is None:
                row = Answer(case_id=case_id, field_id=field_id, value_json=value_json,
                             revision=1, updated_at=stamp)
                s.add(row)
            else:
                row.value_json = value_json
                row.revision += 1
                row.updated_at = stamp
            revision = row.revision
            self._audit(s, "answered", case_id, f"field={field_id} revision={revision}")
        return revision

    def clear_answer(self, case_id: str, field_id: str, summary: records.SummaryUpdate) -> None:
        with self._tx() as s:
            self._touch(s, case_id, summary)
            row = s.get(Answer, (case_id, field_id))
            if row is not None:
                s.delete(row)
                self._audit(s, "answered", case_id, f"field={field_id} cleared")

    def record_consent(self, case_id: str, consent: ConsentRecord,
                       summary: records.SummaryUpdate) -> None:
        """Append a decision (its ``recorded_at`` is set now)."""
        _check_text(consent.explained_by, consent.explained, consent.language,
                    consent.interpreter, consent.interpreter_reason, *consent.explained_points)
        with self._tx() as s:
            self._touch(s, case_id, summary)
            row = _consent_row(case_id, consent, now())
            s.add(row)
            s.flush()
            self._audit(s, "consent-changed", case_id,
                        f"destination={consent.destination} state={consent.state}")

    def set_skip(self, case_id: str, step_id: str, skip: SkipRecord | None,
                 summary: records.SummaryUpdate) -> None:
        _check_text(skip.reason if skip else None, skip.note if skip else None)
        with self._tx() as s:
            self._touch(s, case_id, summary)
            row = s.get(StepSkip, (case_id, step_id))
            if skip is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(StepSkip(case_id=case_id, step_id=step_id, reason=skip.reason,
                               note=skip.note, recorded_at=now()))
            else:
                row.reason, row.note = skip.reason, skip.note
            self._audit(s, "step-skipped" if skip else "step-unskipped", case_id,
                        f"step={step_id}")

    def set_criterion_mark(self, case_id: str, pc_id: str, status: MarkStatus | None,
                           note: str | None,
                           summary: records.SummaryUpdate) -> None:
        _check_text(note)
        with self._tx() as s:
            self._touch(s, case_id, summary)
            row = s.get(CriterionMark, (case_id, pc_id))
            if status is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(CriterionMark(case_id=case_id, pc_id=pc_id, status=status, note=note,
                                    recorded_at=now()))
            else:
                row.status, row.note, row.recorded_at = status, note, now()
            self._audit(s, "criterion-marked", case_id, f"criterion={pc_id}")

    def add_note(self, case_id: str, kind: str, text: str, details_json: str | None,
                 summary: records.SummaryUpdate) -> str:
        _check_text(text, details_json)
        note_id = str(uuid.uuid4())
        with self._tx() as s:
            self._touch(s, case_id, summary)
            s.add(Note(id=note_id, case_id=case_id, kind=kind, text=text,
                       details_json=details_json, created_at=now()))
            self._audit(s, "note-added", case_id, f"kind={kind}")
        return note_id

    def record_export(self, case_id: str, destination: str, sha256: str,
                      service_id: str | None, summary: records.SummaryUpdate) -> None:
        """A pack was written: kept with the case (the list shows the last one) and audited
        with the file's SHA-256, never its content."""
        with self._tx() as s:
            case = self._touch(s, case_id, summary)
            stamp = now()
            s.add(Export(case_id=case_id, destination=destination, exported_at=stamp,
                         sha256=sha256, service_id=service_id))
            row = s.get(CaseSummary, case.id)
            if row is not None:
                row.last_export_destination, row.last_export_at = destination, stamp
            self._audit(s, "exported", case_id, f"destination={destination} sha256={sha256}")

    def update_summary(self, case_id: str, summary: records.SummaryUpdate) -> None:
        with self._tx() as s:
            self._summary(s, self._case(s, case_id), summary)

    def import_case(self, *, status: str, answers: Mapping[str, str],
                    consents: Sequence[ConsentRecord], skips: Mapping[str, SkipRecord],
                    marks: Mapping[str, tuple[str, str]],
                    notes: Sequence[tuple[str, str, str | None]],
                    summary: records.SummaryUpdate,
                    exports: Sequence[tuple[str, str, str]] = ()) -> records.CaseRow:
        """A whole case in one transaction: all of it, or nothing."""
        _check_text(*answers.values(), *(k.note for k in skips.values()),
                    *(m[1] for m in marks.values()), *(n[1] for n in notes),
                    *(c.explained for c in consents))
        with self._tx() as s:
            row = self._new_case(s, None, status)
            stamp = now()
            for fid, value in answers.items():
                s.add(Answer(case_id=row.id, field_id=fid, value_json=value, revision=1,
                             updated_at=stamp))
            for c in consents:
                s.add(_consent_row(row.id, c, c.recorded_at or stamp))
            for step_id, skip in skips.items():
                s.add(StepSkip(case_id=row.id, step_id=step_id, reason=skip.reason,
                               note=skip.note, recorded_at=stamp))
            for pc, (mark_status, note) in marks.items():
                s.add(CriterionMark(case_id=row.id, pc_id=pc, status=mark_status, note=note,
                                    recorded_at=stamp))
            for kind, text, details in notes:
                s.add(Note(id=str(uuid.uuid4()), case_id=row.id, kind=kind, text=text,
                           details_json=details, created_at=stamp))
            for destination, at, sha in exports:
                s.add(Export(case_id=row.id, destination=destination, exported_at=at,
                             sha256=sha, service_id=None))
            case = self._case(s, row.id)
            self._summary(s, case, replace(summary, search_text=row.reference))
            if exports:
                summary_row = s.get(CaseSummary, row.id)
                if summary_row is not None:
                    last = max(exports, key=lambda e: e[1])
                    summary_row.last_export_destination, summary_row.last_export_at = last[:2]
            self._audit(s, "imported", row.id, f"answers={len(answers)}")
            return row

    # -- listing, audit, settings ----------------------------------------------------------------
    def list_summaries(self, *, status: str | None = None, search: str | None = None,
                       limit: int | None = None) -> list[records.SummaryRow]:
        """Every matching summary, newest first (the CLI's `case list`)."""
        query = SummaryQuery(status=status, text=search or "")
        with self.engine.connect() as conn:  # plain rows: no ORM objects for 10,000 cases
            return summary_query.all_summaries(conn, query, limit)

    def summary_ids(self, query: SummaryQuery) -> list[str]:
        """The ids of the cases matching ``query``, in its order (the case list's rows)."""
        with self.engine.connect() as conn:
            return summary_query.case_ids(conn, query)

    def summaries(self, case_ids: Sequence[str]) -> list[records.SummaryRow]:
        """The summaries of ``case_ids``, in that order: one screenful of the case list."""
        with self.engine.connect() as conn:
            return summary_query.summaries(conn, case_ids)

    def audit(self, event: str, case_id: str | None = None, detail: str | None = None) -> None:
        """Record an event; on a full disk it waits in memory for the next write that works."""
        self._pending_audit.append((now(), event, case_id, detail))
        with contextlib.suppress(DiskFull):
            self._write_pending()

    def audit_head(self) -> tuple[int, str]:
        """(number of events, the last one's hash): to note down or compare later."""
        with self.engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
            head = conn.execute(select(AuditEvent.hash).order_by(AuditEvent.id.desc())
                                .limit(1)).scalar()
        return int(count), head or GENESIS

    def verify_audit(self) -> ChainCheck:
        """Walk the audit log's hash chain (and check its append-only triggers are there)."""
        with self.engine.connect() as conn:
            triggers = list(conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
            rows = conn.execute(select(
                AuditEvent.id, AuditEvent.at, AuditEvent.event, AuditEvent.case_id,
                AuditEvent.detail, AuditEvent.prev_hash, AuditEvent.hash)
                .order_by(AuditEvent.id)).all()
            return check_rows(rows, triggers)

    def audit_events(self, case_id: str | None = None) -> list[records.AuditRow]:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if case_id is not None:
            query = query.where(AuditEvent.case_id == case_id)
        with self._read() as s:
            return [records.AuditRow(e.at, e.event, e.case_id, e.detail)
                    for e in s.scalars(query)]

    def get_setting(self, key: str) -> str | None:
        with self._read() as s:
            row = s.get(Setting, key)
            return row.value_json if row else None

    def set_setting(self, key: str, value_json: str) -> None:
        _check_text(value_json)
        with self._tx() as s:
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value_json=value_json))
            else:
                row.value_json = value_json

    # -- lifecycle -----------------------------------------------------------------------------
    def has_recovery_key(self) -> bool:
        return bool(keys.read_key_file(self.data_dir / KEY_FILE).get("recovery"))

    def delete_case(self, case_id: str, *, discard_unsynced: bool = False) -> None:
        """Erase a case and everything about it; leaves one audit event without content.

        On an enrolled laptop a case holding changes the hub has not acknowledged is refused
        (:class:`Unsynced`, audited) unless ``discard_unsynced``: then the loss is audited.
        `secure_delete` zeroes freed pages; VACUUM rebuilds the file and the WAL is truncated,
        so no page of the case survives on disk.
        """
        refused: records.CaseSync | None = None
        with self._tx() as s:
            case = self._case(s, case_id)
            sync = sync_records.case_sync(s, case)
            detail = None
            if sync.unacknowledged:
                detail = (f"unsynced-discarded revision={sync.revision} "
                          f"acknowledged={sync.acknowledged}")
                if not discard_unsynced:
                    refused = sync
            if refused is None:
                s.delete(case)  # answers, consents, skips, marks, notes, summary, envelopes:
                # ON DELETE CASCADE
                self._audit(s, "deleted", case_id, detail)
        if refused is not None:
            self.audit("delete-refused", case_id, f"reason=unsynced revision={refused.revision} "
                                                  f"acknowledged={refused.acknowledged}")
            raise Unsynced(_("this case has changes the organisation's hub has not "
                             "acknowledged yet: sync first, or erase it anyway and lose them"))
        self.compact()

    def purge_closed(self, closed_before: str) -> tuple[int, int]:
        """Erase closed cases last changed before ``closed_before`` (ISO time); audited.
        A case whose changes the hub has not acknowledged is kept (audited) until it has:
        returns (erased, kept)."""
        with self._read() as s:
            ids = list(s.scalars(select(Case.id).where(Case.status == "closed",
                                                       Case.updated_at < closed_before)))
        erased = kept = 0
        for case_id in ids:
            with self._tx() as s:
                case = s.get(Case, case_id)
                if case is None:
                    continue
                sync = sync_records.case_sync(s, case)
                if sync.unacknowledged:
                    kept += 1
                    self._audit(s, "retention-kept", case_id,
                                f"reason=unsynced revision={sync.revision} "
                                f"acknowledged={sync.acknowledged}")
                    continue
                s.delete(case)
                self._audit(s, "deleted", case_id, "reason=retention")
                erased += 1
        if erased:
            self.compact()
        return erased, kept

    # -- sync ----------------------------------------------------------------------------------
    def sync_device(self) -> records.SyncDeviceRow | None:
        """This laptop's enrolment with a hub (None: not enrolled)."""
        with self._read() as s:
            device = s.get(SyncDevice, sync_records.DEVICE_ROW)
            return sync_records.device_row(device) if device is not None else None

    def enrol_device(self, device: records.SyncDeviceRow) -> None:
        """Keep the enrolment; every case now waits to be synced (audited, no secret)."""
        with self._tx() as s:
            if s.get(SyncDevice, sync_records.DEVICE_ROW) is not None:
                raise StoreError(_("this laptop is already enrolled with a hub"))
            s.add(SyncDevice(id=sync_records.DEVICE_ROW, device_id=device.device_id,
                             hub_url=device.hub_url, token=device.token, worker=device.worker,
                             role=device.role, signing_key=device.signing_key,
                             receiving_key=device.receiving_key, org_key=device.org_key,
                             org_fingerprint=device.org_fingerprint, hub_key=device.hub_key,
                             hub_fingerprint=device.hub_fingerprint,
                             enrolled_at=device.enrolled_at, hub_seq=0,
                             org_private_key=device.org_private_key))
            s.execute(update(CaseSummary).where(CaseSummary.sync_state == "local-only")
                      .values(sync_state="pending"))
            self._audit(s, "sync-enrolled", None,
                        f"device={device.device_id} org={device.org_fingerprint.replace(' ', '')}")

    def case_sync(self, case_id: str) -> records.CaseSync:
        with self._read() as s:
            return sync_records.case_sync(s, self._case(s, case_id))

    def seal_changes(self, seal: Callable[[records.CaseData, int, int], tuple[str, bytes]],
                     stop: Callable[[], bool] = lambda: False) -> int:
        """Seal the current revision of every case changed since its last envelope, one
        transaction per case: the snapshot read, ``seal(data, revision, base_revision)`` →
        (envelope id, bytes), and the bytes stored — committed before anything is sent.
        An older envelope of the case never released for sending is superseded; acknowledged
        ones older than the newest acknowledged keep their receipt but not their bytes.
        Returns how many were sealed (``stop`` ends the run early)."""
        with self._read() as s:
            ids = sync_records.cases_to_seal(s)
        sealed = 0
        for case_id in ids:
            if stop():
                break
            with self._tx() as s:
                case = s.get(Case, case_id)
                if case is None or sync_records.newest_sealed(s, case_id) >= case.revision:
                    continue  # erased meanwhile, or sealed by another window
                sync_records.supersede_unsent(s, case_id)
                sync_records.thin_acknowledged(s, case_id)
                base = sync_records.base_revision(s, case_id)
                envelope_id, data = seal(self._load(s, case), case.revision, base)
                s.add(SyncEnvelope(envelope_id=envelope_id, case_id=case_id,
                                   revision=case.revision, base_revision=base, data=data,
                                   state=sync_records.PENDING, sealed_at=now()))
                sealed += 1
        return sealed

    def release_envelopes(self) -> int:
        """Mark every sealed envelope not yet released as about to be sent (committed first:
        from now on it may be on the hub, so it is never superseded)."""
        with self._tx() as s:
            return sync_records.release(s)

    def pending_envelope_ids(self) -> list[str]:
        """Released envelopes the hub has not acknowledged or refused, oldest first."""
        with self._read() as s:
            return sync_records.pending_ids(s)

    def sync_envelope_ids(self, case_id: str) -> list[str]:
        """The case's envelopes, oldest first, whatever their state."""
        with self._read() as s:
            return list(s.scalars(select(SyncEnvelope.envelope_id)
                                  .where(SyncEnvelope.case_id == case_id)
                                  .order_by(SyncEnvelope.seq)))

    def envelope_bytes(self, envelope_id: str) -> bytes:
        with self._read() as s:
            data = s.scalar(select(SyncEnvelope.data)
                            .where(SyncEnvelope.envelope_id == envelope_id))
        if data is None:
            raise StoreError(_("no such envelope"))
        return bytes(data)

    def acknowledge_envelopes(self, acks: Sequence[records.Acknowledgement]) -> None:
        """The hub's receipts, kept in one transaction; each case now synced is audited."""
        with self._tx() as s:
            for case in sync_records.acknowledge(s, acks):
                sync = sync_records.refresh_summary(s, case)
                self._audit(s, "synced", case.id, f"revision={sync.acknowledged}")

    def quarantine_envelope(self, envelope_id: str, reason: str) -> None:
        """The hub refused this envelope (``reason``: its code); out of the queue, audited."""
        with self._tx() as s:
            case = sync_records.quarantine(s, envelope_id, reason)
            if case is not None:
                sync_records.refresh_summary(s, case)
                self._audit(s, "sync-refused", case.id, f"reason={reason[:64]}")

    def hub_sequence(self) -> int:
        device = self.sync_device()
        return device.hub_seq if device is not None else 0

    def remember_hub_sequence(self, seq: int) -> None:
        with self._tx() as s:
            device = s.get(SyncDevice, sync_records.DEVICE_ROW)
            if device is not None and seq > device.hub_seq:
                device.hub_seq = seq

    def record_sync(self, result: str) -> None:
        """The last sync's time and outcome (JSON: its counts or an error code; no secret)."""
        with self._tx() as s:
            device = s.get(SyncDevice, sync_records.DEVICE_ROW)
            if device is not None:
                device.last_sync_at, device.last_result = now(), result
            self._audit(s, "sync", None, result)

    def sync_counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """(cases by sync state, envelopes by state)."""
        with self._read() as s:
            cases = {str(state): int(n) for state, n in s.execute(
                select(CaseSummary.sync_state, func.count()).group_by(CaseSummary.sync_state))}
            return cases, sync_records.counts(s)

    # -- supervision (store/supervision.py) ---------------------------------------------------
    def update_sync_device(self, **values: object) -> None:
        """Keep what the hub said: revocation, feed and records positions, the organisation
        key's copy, the signed settings (audited by name, never by value)."""
        allowed = {"revoked_at", "revoked_code", "records_seq", "feed_seq", "org_private_key",
                   "org_settings"}
        if not set(values) <= allowed:
            raise ValueError("not a field the hub may change")
        with self._tx() as s:
            device = s.get(SyncDevice, sync_records.DEVICE_ROW)
            if device is None:
                return
            changed = [k for k, v in values.items() if getattr(device, k) != v]
            for name, value in values.items():
                setattr(device, name, value)
            if set(changed) - {"records_seq", "feed_seq"}:
                self._audit(s, "sync-device-changed", None,
                            "fields=" + ",".join(sorted(set(changed) - {"records_seq",
                                                                        "feed_seq"})))

    def pulled_placement(self, rev: records.PulledRevisionRow) -> str:
        """Where a pulled revision would go: known (kept already), own (a case of this
        laptop: never overwritten by a pull), new, standing or parallel."""
        with self._read() as s:
            if supervision.pulled_known(s, rev.envelope_id):
                return "known"
            case = s.get(Case, rev.case_id)
            if case is None:
                return "new"
            if case.origin != "pulled":
                return "own"
            return supervision.placement(s, s.get(PulledCase, case.id), rev)

    def keep_pulled(self, rev: records.PulledRevisionRow, place: str,
                    content: records.CaseContent, summary: records.SummaryUpdate) -> None:
        """Keep a pulled revision; ``content``: what the case's tables hold from now on (the
        standing revision, its consent history merged with a parallel one's)."""
        _check_text(rev.document)
        with self._tx() as s:
            case = s.get(Case, rev.case_id)
            if case is None:
                if s.scalar(select(Case.id).where(Case.reference == content.reference)):
                    raise InvalidValue(_("a case with the reference {ref} is already here")
                                       .format(ref=content.reference))
                stamp = now()
                case = Case(id=rev.case_id, reference=content.reference,
                            created_at=content.created_at or stamp, updated_at=stamp,
                            status="open", nation=None, revision=rev.revision, origin="pulled")
                s.add(case)
                s.flush()
                s.add(PulledCase(case_id=case.id, owner_device=rev.device_id,
                                 owner_worker=rev.worker, standing_envelope=rev.envelope_id))
                place = "standing"
            elif case.origin != "pulled":
                raise ReadOnlyCase(_("this laptop's own case is never overwritten by a pull"))
            pulled = s.get(PulledCase, case.id)
            if pulled is None:
                raise StoreDamaged(_("the pulled copy's record is missing"))
            supervision.keep_revision(s, rev, rev.flag if place == "standing" else
                                      rev.flag or "parallel")
            if place == "standing":
                pulled.standing_envelope = rev.envelope_id
                pulled.owner_device, pulled.owner_worker = rev.device_id, rev.worker
                case.revision = rev.revision
            else:
                pulled.parallel_envelope = rev.envelope_id
                pulled.resolved_at = None
            self._write_copy(s, case, content, summary, pulled.owner_worker)
            self._audit(s, "pulled", case.id, f"revision={rev.revision} place={place}")

    def _write_copy(self, s: Session, case: Case, content: records.CaseContent,
                    summary: records.SummaryUpdate, owner: str) -> None:
        supervision.replace_content(s, case, content, [
            _consent_row(case.id, c, c.recorded_at or now()) for c in content.consents])
        self._summary(s, case, summary)
        row = s.get(CaseSummary, case.id)
        if row is not None:
            row.owner, row.origin = owner, case.origin
            exports = s.execute(select(Export.destination, Export.exported_at)
                                .where(Export.case_id == case.id)
                                .order_by(Export.exported_at.desc()).limit(1)).first()
            row.last_export_destination, row.last_export_at = (exports[0], exports[1]) \
                if exports else (None, None)

    def resolve_pulled(self, case_id: str, keep_envelope: str, content: records.CaseContent,
                       summary: records.SummaryUpdate, review: records.ReviewRow,
                       record: tuple[str, bytes] | None) -> None:
        """Two versions of a pulled case: ``keep_envelope``'s stands from now on (``content``:
        it, with both consent histories merged); the decision is kept as a review."""
        with self._tx() as s:
            case = self._case(s, case_id)
            pulled = s.get(PulledCase, case_id)
            kept = supervision.revision_by_envelope(s, keep_envelope)
            if pulled is None or kept is None or kept.case_id != case_id:
                raise InvalidValue(_("that revision is not one of this case's"))
            pulled.standing_envelope, pulled.parallel_envelope = keep_envelope, None
            pulled.resolved_at = now()
            case.revision = kept.revision
            supervision.add_review(s, review)
            if record is not None:
                supervision.queue_record(s, record[0], case_id, "review", record[1])
            self._write_copy(s, case, content, summary, pulled.owner_worker)
            self._audit(s, "conflict-resolved", case_id, f"revision={kept.revision}")

    def pulled_case(self, case_id: str) -> records.PulledCaseRow | None:
        with self._read() as s:
            case = s.get(Case, case_id)
            return supervision.pulled_case_row(s, case) if case is not None else None

    def pulled_cases(self) -> list[records.PulledCaseRow]:
        with self._read() as s:
            return supervision.pulled_cases(s)

    def remember_owner_keys(self, keys: dict[str, bytes]) -> None:
        with self._tx() as s:
            supervision.remember_owner_keys(s, keys)

    def pulled_revisions(self, case_id: str) -> list[records.PulledRevisionRow]:
        with self._read() as s:
            return supervision.revisions(s, case_id)

    def add_review(self, row: records.ReviewRow,
                   record: tuple[str, str, bytes] | None = None) -> bool:
        """Keep a review (sent or received) and, for one made here, its sealed record to send
        (record id, kind, bytes) in the same transaction; audited by kind, never its words.
        False when it was kept already."""
        _check_text(row.note, row.author)
        with self._tx() as s:
            case = self._case(s, row.case_id)
            added = supervision.add_review(s, row)
            if added:
                if record is not None:
                    supervision.queue_record(s, record[0], row.case_id, record[1], record[2])
                supervision.refresh_review_state(s, case)
                self._audit(s, f"review-{row.kind}"[:32], row.case_id,
                            f"revision={row.revision} record={row.record_id}")
            return added

    def reviews(self, case_id: str) -> list[records.ReviewRow]:
        with self._read() as s:
            return supervision.reviews(s, case_id)

    def queue_record(self, record_id: str, case_id: str, kind: str, data: bytes) -> None:
        with self._tx() as s:
            supervision.queue_record(s, record_id, case_id, kind, data)

    def pending_records(self) -> list[tuple[str, bytes]]:
        with self._read() as s:
            return supervision.pending_records(s)

    def settle_records(self, outcomes: dict[str, str]) -> tuple[int, int]:
        with self._tx() as s:
            sent, refused = supervision.settle_records(s, outcomes)
            if refused:
                self._audit(s, "records-refused", None, f"count={refused}")
            return sent, refused

    def record_pulled_export(self, case_id: str, destination: str, sha256: str,
                             service_id: str | None, review: records.ReviewRow,
                             record: tuple[str, bytes]) -> None:
        """A supervisor's pack written from a pulled copy: kept with the copy (a newer
        revision does not drop it), audited with its SHA-256, and its report (destination,
        hash, time) queued for the hub and the worker."""
        with self._tx() as s:
            case = self._case(s, case_id)
            stamp = now()
            s.add(Export(case_id=case_id, destination=destination, exported_at=stamp,
                         sha256=sha256, service_id=service_id, origin="here"))
            row = s.get(CaseSummary, case.id)
            if row is not None:
                row.last_export_destination, row.last_export_at = destination, stamp
            supervision.add_review(s, review)
            supervision.queue_record(s, record[0], case_id, "export", record[1])
            self._audit(s, "exported", case_id, f"destination={destination} sha256={sha256}")

    def hand_out(self, case_id: str, review: records.ReviewRow) -> None:
        """The hub says a supervisor handed this laptop's case to another worker."""
        with self._tx() as s:
            case = self._case(s, case_id)
            supervision.handed_out(s, case)
            supervision.add_review(s, review)
            sync_records.refresh_summary(s, case)
            supervision.refresh_review_state(s, case)
            self._audit(s, "handed-over", case_id, f"record={review.record_id}")

    def take_handover(self, case_id: str, content: records.CaseContent, revision: int,
                      summary: records.SummaryUpdate, review: records.ReviewRow) -> None:
        """A case handed to this laptop: its own from ``revision`` on (audited)."""
        with self._tx() as s:
            case = s.get(Case, case_id)
            if case is None:
                if s.scalar(select(Case.id).where(Case.reference == content.reference)):
                    raise InvalidValue(_("a case with the reference {ref} is already here")
                                       .format(ref=content.reference))
                stamp = now()
                case = Case(id=case_id, reference=content.reference,
                            created_at=content.created_at or stamp, updated_at=stamp,
                            status="open", nation=None, revision=revision, origin="local")
                s.add(case)
                s.flush()
            elif case.origin == "pulled":
                raise ReadOnlyCase(_("a supervisor's copy cannot become this laptop's case"))
            supervision.handed_in(s, case, revision, review.record_id)
            supervision.replace_content(s, case, content, [
                _consent_row(case.id, c, c.recorded_at or now()) for c in content.consents])
            supervision.add_review(s, review)
            self._summary(s, case, summary)
            self._audit(s, "handed-in", case_id, f"revision={revision}")

    def purge_after_receipt(self, days: int, now_at: str,
                            receipt_holds: Callable[[bytes, bytes, str, int], str | None]
                            ) -> tuple[int, int]:
        """Erase closed cases ``days`` after the hub's receipt for their latest revision. For
        each, one transaction checks that nothing is pending, that the newest acknowledged
        envelope is the case's current revision and that ``receipt_holds(receipt, envelope
        bytes, case id, revision)`` — the pinned hub's signature over those exact bytes —
        gives the receipt's time; then the case is erased as `case delete` does and a
        content-free tombstone kept. Returns (purged, kept)."""
        from datetime import datetime, timedelta

        with self._read() as s:
            ids = list(s.scalars(select(Case.id).where(Case.status == "closed",
                                                       Case.origin == "local")))
        purged = kept = 0
        limit = datetime.fromisoformat(now_at.replace("Z", "+00:00")) - timedelta(days=days)
        for case_id in ids:
            with self._tx() as s:
                case = s.get(Case, case_id)
                if case is None or case.status != "closed" or case.origin != "local":
                    continue
                newest = s.scalar(select(SyncEnvelope).where(
                    SyncEnvelope.case_id == case_id).order_by(SyncEnvelope.revision.desc())
                    .limit(1))
                waiting = s.scalar(select(func.count()).select_from(SyncEnvelope).where(
                    SyncEnvelope.case_id == case_id,
                    SyncEnvelope.state != sync_records.ACKNOWLEDGED))
                stored_at = None
                if newest is not None and not waiting and newest.revision == case.revision \
                        and newest.state == sync_records.ACKNOWLEDGED and newest.receipt \
                        and newest.data:
                    stored_at = receipt_holds(bytes(newest.receipt), bytes(newest.data),
                                              case_id, case.revision)
                if stored_at is None:
                    kept += 1
                    continue
                at = datetime.fromisoformat(stored_at.replace("Z", "+00:00"))
                if at > limit:
                    continue
                supervision.tombstone(s, case, newest.hub_seq if newest else None, stored_at)
                s.delete(case)
                self._audit(s, "purged", case_id, f"revision={case.revision} "
                                                  f"receipt={stored_at}")
                purged += 1
        if purged:
            self.compact()
        return purged, kept

    def tombstones(self) -> list[records.TombstoneRow]:
        with self._read() as s:
            return supervision.tombstones(s)

    def compact(self) -> None:
        try:
            raw = self.engine.raw_connection()
            try:
                conn: Any = raw.driver_connection
                conn.execute("VACUUM")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()
        except (DBAPIError, sqlcipher3.Error) as exc:
            if is_disk_full(exc, self.data_dir):
                raise DiskFull(_("the disk is full: the erased data is gone, but the store "
                                 "could not be compacted — free some space, then erase or "
                                 "compact again")) from None
            raise

    def backup_database(self, target: Path) -> None:
        """A consistent, still-encrypted copy of the database (SQLite's online backup API),
        while the store stays in use."""
        raw = self.engine.raw_connection()
        try:
            dest = sqlcipher3.connect(str(target))
            try:
                dest.execute("PRAGMA cipher_log_level = NONE")
                dest.execute(key_pragma(self._key))
                source: Any = raw.driver_connection
                source.backup(dest)
            finally:
                dest.close()
        finally:
            raw.close()

    def integrity_check(self) -> tuple[str, str]:
        return integrity(self.engine)


def _checkpoint(engine: Engine, mode: str) -> None:
    """Fold the WAL into the database when there is room (failures change nothing)."""
    raw = engine.raw_connection()
    try:
        conn: Any = raw.driver_connection
        with contextlib.suppress(sqlcipher3.Error):
            conn.execute(f"PRAGMA wal_checkpoint({mode})")
    finally:
        raw.close()
