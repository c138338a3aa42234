"""Case list indexes that hold the case id: the list's ordered ids are read from the index
alone, without a lookup in the table for each of 10,000 rows.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_case_summary_status", "case_summary")
    op.drop_index("ix_case_summary_created", "case_summary")
    op.create_index("ix_case_summary_created", "case_summary", ["created_at", "case_id"])
    op.create_index("ix_case_summary_status", "case_summary",
                    ["status", "created_at", "case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_summary_status", "case_summary")
    op.drop_index("ix_case_summary_created", "case_summary")
    op.create_index("ix_case_summary_created", "case_summary", ["created_at"])
    op.create_index("ix_case_summary_status", "case_summary", ["status", "created_at"])
