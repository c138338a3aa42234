"""Migration 0006: consent points and the case list's reminders, from an 0005 store."""

from __future__ import annotations

import os

from firstcontact.domain.case import ConsentRecord
from firstcontact.store import migrate
from firstcontact.store.db import open_engine
from firstcontact.store.facade import Store
from firstcontact.store.records import SummaryUpdate
from tests.conftest import PASSPHRASE


def test_an_0005_store_keeps_its_review_dates_as_reminders(tmp_path):
    engine = open_engine(tmp_path / "db", bytearray(os.urandom(32)))
    migrate.upgrade(engine, "0005")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO cases VALUES ('c1','FC-AAAAAA','2026','2026','open',"
                             "NULL)")
        conn.exec_driver_sql("INSERT INTO case_summary (case_id, reference, created_at, status,"
                             " completeness_json, sync_state, updated_at) VALUES ('c1',"
                             "'FC-AAAAAA','2026','open','{}','local-only','2026')")
        conn.exec_driver_sql("INSERT INTO answers VALUES ('c1','fc-follow-up-date',"
                             "'\"2026-12-01\"',1,'2026')")
        conn.exec_driver_sql("INSERT INTO consents (case_id, destination, state, explained_by,"
                             " explained, language, recorded_at) VALUES ('c1','nrm','given',"
                             "'Sam','What the NRM is','English','2026')")
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.HEAD  # 0006 and every one after it
    with engine.begin() as conn:
        row = conn.exec_driver_sql("SELECT decision_due, follow_up_due FROM case_summary"
                                   ).one()
        points = conn.exec_driver_sql("SELECT explained_points FROM consents").scalar_one()
    assert tuple(row) == (0, "2026-12-01") and points == ""
    migrate_down(engine)
    engine.dispose()


def migrate_down(engine) -> None:
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(migrate._config(conn), "0005")
    with engine.begin() as conn:
        columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(case_summary)")}
    assert "follow_up_due" not in columns and "decision_due" not in columns


def test_consent_points_and_reminders_round_trip(data_dir):
    store = Store.create(data_dir, PASSPHRASE)
    try:
        case = store.create_case()
        record = ConsentRecord("nrm", "given", "Sam", "English", explained="",
                               explained_points=("what", "choice"))
        summary = SummaryUpdate(stage_reached=None, decision_due=True, follow_up_due="2026-12-01")
        store.record_consent(case.id, record, summary)
        assert store.load_case(case.id).consents["nrm"].explained_points == ("what", "choice")
        [row] = store.summaries([case.id])
        assert row.decision_due and row.follow_up_due == "2026-12-01"
    finally:
        store.close()
