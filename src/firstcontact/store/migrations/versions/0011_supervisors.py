"""Supervisors: cases pulled from the hub (read-only copies: every revision kept, the one that
stands, a parallel one waiting for a decision), reviews both ways, records waiting to be sent,
tombstones of cases purged after the hub's receipt, a case's origin (local, pulled, handed
over), the enrolment's revocation, feed and records positions, a supervisor's copy of the
organisation key and the organisation's signed settings.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN in place: rebuilding `cases` would cascade-delete every child row
    op.add_column("cases", sa.Column("origin", sa.String(16), nullable=False,
                                     server_default="local"))
    op.add_column("case_summary", sa.Column("origin", sa.String(16), nullable=False,
                                            server_default="local"))
    op.add_column("case_summary", sa.Column("owner", sa.Text(), nullable=True))
    op.add_column("case_summary", sa.Column("review_state", sa.String(16), nullable=True))
    op.add_column("exports", sa.Column("origin", sa.String(16), nullable=False,
                                       server_default="case"))
    for column in (sa.Column("revoked_at", sa.String(32), nullable=True),
                   sa.Column("revoked_code", sa.String(32), nullable=True),
                   sa.Column("records_seq", sa.Integer(), nullable=False, server_default="0"),
                   sa.Column("feed_seq", sa.Integer(), nullable=False, server_default="0"),
                   sa.Column("org_private_key", sa.LargeBinary(), nullable=True),
                   sa.Column("org_settings", sa.Text(), nullable=True)):
        op.add_column("sync_device", column)
    op.create_table(
        "pulled_cases",
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("owner_device", sa.String(36), nullable=False),
        sa.Column("owner_worker", sa.Text(), nullable=False),
        sa.Column("standing_envelope", sa.String(36), nullable=False),
        sa.Column("parallel_envelope", sa.String(36), nullable=True),
        sa.Column("resolved_at", sa.String(32), nullable=True),
        sa.Column("owner_key", sa.LargeBinary(), nullable=True),
    )
    op.create_table(
        "pulled_revisions",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("envelope_id", sa.String(36), nullable=False, unique=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("worker", sa.Text(), nullable=False),
        sa.Column("hub_seq", sa.Integer(), nullable=False),
        sa.Column("sealed_at", sa.String(32), nullable=False),
        sa.Column("flag", sa.String(20), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("pulled_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "case_reviews",
        sa.Column("record_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("author_device", sa.String(36), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("detail_json", sa.Text(), nullable=True),
        sa.Column("received_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "record_outbox",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(36), nullable=False, unique=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("reason", sa.String(64), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("sent_at", sa.String(32), nullable=True),
    )
    op.create_table(
        "tombstones",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("hub_seq", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", sa.String(32), nullable=False),
        sa.Column("purged_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    for table in ("tombstones", "record_outbox", "case_reviews", "pulled_revisions",
                  "pulled_cases"):
        op.drop_table(table)
    for column in ("org_settings", "org_private_key", "feed_seq", "records_seq",
                   "revoked_code", "revoked_at"):
        op.drop_column("sync_device", column)
    op.drop_column("exports", "origin")
    op.drop_column("case_summary", "review_state")
    op.drop_column("case_summary", "owner")
    op.drop_column("case_summary", "origin")
    op.drop_column("cases", "origin")
