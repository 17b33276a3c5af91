"""Insight: the weekly recap opt-out, on users.

Revision ID: 0003_weekly_recap
Revises: 0002_daily_loop
Create Date: 2026-11-22 05:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003_weekly_recap"
down_revision: str | None = "0002_daily_loop"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("users") as batch:
        # Existing people keep getting the recap, as new people do.
        batch.add_column(
            sa.Column("weekly_recap", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("weekly_recap")
