"""Daily loop: acts offered lately and the morning snooze (indexed), on users.

Revision ID: 0002_daily_loop
Revises: 0001_initial
Create Date: 2026-11-22 04:45:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002_daily_loop"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("offered_acts", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_users_snoozed_until"), "users", ["snoozed_until"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_users_snoozed_until"), table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("snoozed_until")
        batch.drop_column("offered_acts")
