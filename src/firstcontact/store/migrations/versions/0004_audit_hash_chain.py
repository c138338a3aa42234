"""The audit log becomes a hash chain: each event holds the previous event's hash and its own.
Events already there are chained in their order.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from firstcontact.store.audit_chain import GENESIS, entry_hash

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NO_UPDATE = ("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
             "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(64)))
    op.add_column("audit_log", sa.Column("hash", sa.String(64)))
    op.execute("DROP TRIGGER audit_log_no_update")  # filling in the chain is the one update
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, at, event, case_id, detail FROM audit_log ORDER BY id")).all()
    prev = GENESIS
    for row_id, at, event, case_id, detail in rows:
        own = entry_hash(prev, at, event, case_id, detail)
        conn.execute(sa.text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE id = :i"),
                     {"p": prev, "h": own, "i": row_id})
        prev = own
    op.execute(NO_UPDATE)


def downgrade() -> None:
    op.drop_column("audit_log", "hash")  # SQLite 3.35+: the triggers stay as they are
    op.drop_column("audit_log", "prev_hash")
