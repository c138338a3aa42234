"""The hub's first tables; the audit table made append-only by triggers.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ID = sa.String(36)
TIME = sa.String(32)

_PG_APPEND_ONLY = """
CREATE FUNCTION hub_audit_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the hub audit is append-only'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER hub_audit_no_change BEFORE UPDATE OR DELETE ON hub_audit
FOR EACH ROW EXECUTE FUNCTION hub_audit_append_only();
"""


def upgrade() -> None:
    op.create_table(
        "hub_devices",
        sa.Column("device_id", ID, primary_key=True),
        sa.Column("worker", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("verify_key", sa.LargeBinary, nullable=False),
        sa.Column("receiving_key", sa.LargeBinary, nullable=False),
        sa.Column("enrolled_at", TIME, nullable=False),
        sa.Column("last_seen_at", TIME),
        sa.Column("state", sa.String(20), nullable=False, server_default="active"),
        sa.Column("retire_until", TIME))
    op.create_table(
        "hub_enrolments",
        sa.Column("id", SEQ, primary_key=True, autoincrement=True),
        sa.Column("lookup", sa.String(8), nullable=False, unique=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("worker", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("failed_tries", sa.Integer, nullable=False, server_default="0"),
        sa.Column("used_at", TIME),
        sa.Column("device_id", ID))
    op.create_table(
        "hub_envelopes",
        sa.Column("seq", SEQ, primary_key=True, autoincrement=True),
        sa.Column("envelope_id", ID, nullable=False, unique=True),
        sa.Column("case_id", ID, nullable=False),
        sa.Column("device_id", ID, sa.ForeignKey("hub_devices.device_id"), nullable=False),
        sa.Column("rev", sa.BigInteger, nullable=False),
        sa.Column("base_rev", sa.BigInteger, nullable=False),
        sa.Column("sealed_at", TIME, nullable=False),
        sa.Column("padded_size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("stored_at", TIME, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("case_id", "device_id", "rev",
                            name="uq_hub_envelopes_case_device_rev"))
    op.create_table(
        "hub_audit",
        sa.Column("seq", SEQ, primary_key=True, autoincrement=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False))
    op.create_table(
        "hub_org_key_copies",
        sa.Column("device_id", ID, sa.ForeignKey("hub_devices.device_id"), primary_key=True),
        sa.Column("wrapped", sa.LargeBinary, nullable=False),
        sa.Column("created_at", TIME, nullable=False))
    op.create_table(
        "hub_wipe_orders",
        sa.Column("id", SEQ, primary_key=True, autoincrement=True),
        sa.Column("device_id", ID, sa.ForeignKey("hub_devices.device_id"), nullable=False),
        sa.Column("ordered_at", TIME, nullable=False),
        sa.Column("signed_order", sa.LargeBinary, nullable=False),
        sa.Column("delivered_at", TIME))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_APPEND_ONLY)
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER hub_audit_no_{event.lower()} BEFORE {event} ON hub_audit "
                       "BEGIN SELECT RAISE(ABORT, 'the hub audit is append-only'); END")


def downgrade() -> None:
    for table in ("hub_wipe_orders", "hub_org_key_copies", "hub_audit", "hub_envelopes",
                  "hub_enrolments", "hub_devices"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION hub_audit_append_only()")
