"""Crisis safety: a timestamp until which the bot stays gentle (no evening nudge), on users.

Revision ID: 0004_gentle_day
Revises: 0003_weekly_recap
Create Date: 2026-11-22 05:25:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004_gentle_day"
down_revision: str | None = "0003_weekly_recap"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("users") as batch:
        # Only a time is kept, never the words that led to it.
        batch.add_column(sa.Column("gentle_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("gentle_until")
