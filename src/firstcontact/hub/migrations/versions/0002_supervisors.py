"""Supervisors: case owners, records (reviews, handovers, export reports, notices), flagged
parallel revisions instead of refused ones, the organisation's signed settings, what the
device list shows.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ID = sa.String(36)
TIME = sa.String(32)


def upgrade() -> None:
    with op.batch_alter_table("hub_envelopes") as batch:
        batch.add_column(sa.Column("variant", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("flag", sa.String(20)))
        batch.drop_constraint("uq_hub_envelopes_case_device_rev", type_="unique")
        batch.create_unique_constraint("uq_hub_envelopes_case_device_rev_variant",
                                       ["case_id", "device_id", "rev", "variant"])
    with op.batch_alter_table("hub_devices") as batch:
        batch.add_column(sa.Column("pending_count", sa.Integer()))
        batch.add_column(sa.Column("org_key_state", sa.String(20)))
        batch.add_column(sa.Column("revoked_at", TIME))
    with op.batch_alter_table("hub_enrolments") as batch:
        batch.add_column(sa.Column("org_key_wrapped", sa.LargeBinary()))
    op.create_table(
        "hub_cases",
        sa.Column("case_id", ID, primary_key=True),
        sa.Column("owner_device", ID, sa.ForeignKey("hub_devices.device_id"), nullable=False),
        sa.Column("since", TIME, nullable=False))
    op.execute(
        "INSERT INTO hub_cases (case_id, owner_device, since) "
        "SELECT e.case_id, e.device_id, e.stored_at FROM hub_envelopes e "
        "WHERE e.seq = (SELECT MIN(f.seq) FROM hub_envelopes f WHERE f.case_id = e.case_id)")
    op.create_table(
        "hub_records",
        sa.Column("seq", SEQ, primary_key=True, autoincrement=True),
        sa.Column("record_id", ID, nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("case_id", ID, nullable=False),
        sa.Column("author_device", ID),
        sa.Column("to_device", ID),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("stored_at", TIME, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False))
    op.create_index("ix_hub_records_to_device", "hub_records", ["to_device", "seq"])
    op.create_table(
        "hub_org_settings",
        sa.Column("seq", SEQ, primary_key=True, autoincrement=True),
        sa.Column("issued_at", TIME, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False))


def downgrade() -> None:
    op.drop_table("hub_org_settings")
    op.drop_index("ix_hub_records_to_device", table_name="hub_records")
    op.drop_table("hub_records")
    op.drop_table("hub_cases")
    with op.batch_alter_table("hub_enrolments") as batch:
        batch.drop_column("org_key_wrapped")
    with op.batch_alter_table("hub_devices") as batch:
        batch.drop_column("revoked_at")
        batch.drop_column("org_key_state")
        batch.drop_column("pending_count")
    with op.batch_alter_table("hub_envelopes") as batch:
        batch.drop_constraint("uq_hub_envelopes_case_device_rev_variant", type_="unique")
        batch.create_unique_constraint("uq_hub_envelopes_case_device_rev",
                                       ["case_id", "device_id", "rev"])
        batch.drop_column("flag")
        batch.drop_column("variant")
