"""What the practice-content work needs: the points a consent explanation covered (a
checklist, not a free-text box that "x" satisfies), and the case list's reminders kept in the
case summary — an NRM decision awaited, and the next review date ("Follow-up overdue" once it
has passed) — so that listing 10,000 cases never reads the answers.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The field holding the next review date when this migration was written (interview.toml's
# `reminders.review_date`); later saves keep the summary from the data itself.
REVIEW_DATE_FIELD = "fc-follow-up-date"


def upgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        batch.add_column(sa.Column("explained_points", sa.Text(), nullable=False,
                                   server_default=""))
    with op.batch_alter_table("case_summary") as batch:
        batch.add_column(sa.Column("decision_due", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("follow_up_due", sa.String(10), nullable=True))
    # a review date already answered is a reminder from the start
    op.execute(sa.text(
        "UPDATE case_summary SET follow_up_due = (SELECT substr(json_extract(a.value_json, '$'), "
        "1, 10) FROM answers a WHERE a.case_id = case_summary.case_id AND a.field_id = :field)"
    ).bindparams(field=REVIEW_DATE_FIELD))


def downgrade() -> None:
    with op.batch_alter_table("case_summary") as batch:
        batch.drop_column("follow_up_due")
        batch.drop_column("decision_due")
    with op.batch_alter_table("consents") as batch:
        batch.drop_column("explained_points")
