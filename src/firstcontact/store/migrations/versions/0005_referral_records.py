"""What truthful referral packs need: how each consent was taken (the interpreter's
independence and accreditation, the reason a dependent interpreter was used, whether sharing the
account was explained, why consent could not be sought), skip reasons apart from the worker's
private note, and the exports made from each case (shown in the case list).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        batch.add_column(sa.Column("interpreter_independent", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("interpreter_accredited", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("interpreter_reason", sa.Text(), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("shares_account", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("not_sought_reason", sa.String(32), nullable=False,
                                   server_default=""))
    # A skip's free text was its reason: it becomes the private note, the reason "other".
    with op.batch_alter_table("step_skips") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
    op.execute("UPDATE step_skips SET note = reason, reason = 'other'")
    op.create_table(
        "exports",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("destination", sa.String(32), nullable=False),
        sa.Column("exported_at", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("service_id", sa.String(64), nullable=True),
    )
    with op.batch_alter_table("case_summary") as batch:
        batch.add_column(sa.Column("last_export_destination", sa.String(32), nullable=True))
        batch.add_column(sa.Column("last_export_at", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_summary") as batch:
        batch.drop_column("last_export_at")
        batch.drop_column("last_export_destination")
    op.drop_table("exports")
    op.execute("UPDATE step_skips SET reason = note WHERE note != ''")
    with op.batch_alter_table("step_skips") as batch:
        batch.drop_column("note")
    with op.batch_alter_table("consents") as batch:
        for column in ("not_sought_reason", "shares_account", "interpreter_reason",
                       "interpreter_accredited", "interpreter_independent"):
            batch.drop_column(column)
