"""Sync reaches the store: every case counts its revisions; sealed envelopes wait in
``sync_envelopes`` (stored before the first send, resent byte for byte); the enrolment (device
keys, hub, pinned hub key, organisation key, token) lives in ``sync_device``; the case list's
summary carries each case's sync state. The per-record ``outbox`` (never read: a case is synced
as a whole snapshot) goes.

Revision ID: 0010
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN in place: rebuilding `cases` would cascade-delete every child row
    op.add_column("cases", sa.Column("revision", sa.Integer(), nullable=False,
                                     server_default="1"))
    op.add_column("case_summary", sa.Column("sync_at", sa.String(32), nullable=True))
    op.add_column("case_summary", sa.Column("sync_reason", sa.String(64), nullable=True))
    op.create_table(
        "sync_envelopes",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("envelope_id", sa.String(36), nullable=False, unique=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64), nullable=True),
        sa.Column("hub_seq", sa.Integer(), nullable=True),
        sa.Column("receipt", sa.LargeBinary(), nullable=True),
        sa.Column("sealed_at", sa.String(32), nullable=False),
        sa.Column("sent_at", sa.String(32), nullable=True),
        sa.Column("acknowledged_at", sa.String(32), nullable=True),
        sa.UniqueConstraint("case_id", "revision", name="uq_sync_envelopes_case_revision"),
    )
    op.create_index("ix_sync_envelopes_state", "sync_envelopes", ["state", "seq"])
    op.create_table(
        "sync_device",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("hub_url", sa.Text(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("worker", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("signing_key", sa.LargeBinary(), nullable=False),
        sa.Column("receiving_key", sa.LargeBinary(), nullable=False),
        sa.Column("org_key", sa.LargeBinary(), nullable=False),
        sa.Column("org_fingerprint", sa.String(64), nullable=False),
        sa.Column("hub_key", sa.LargeBinary(), nullable=False),
        sa.Column("hub_fingerprint", sa.String(64), nullable=False),
        sa.Column("enrolled_at", sa.String(32), nullable=False),
        sa.Column("hub_seq", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_sync_at", sa.String(32), nullable=True),
        sa.Column("last_result", sa.Text(), nullable=True),
    )
    op.drop_table("outbox")


def downgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False, index=True),
        sa.Column("record_type", sa.String(16), nullable=False),
        sa.Column("record_id", sa.String(160), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
    )
    op.drop_table("sync_device")
    op.drop_index("ix_sync_envelopes_state", table_name="sync_envelopes")
    op.drop_table("sync_envelopes")
    op.drop_column("case_summary", "sync_reason")
    op.drop_column("case_summary", "sync_at")
    op.drop_column("cases", "revision")
