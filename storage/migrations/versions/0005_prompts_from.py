"""A calm first day: the instant from which a person's prompts start, on users.

Revision ID: 0005_prompts_from
Revises: 0004_gentle_day
Create Date: 2026-11-22 06:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005_prompts_from"
down_revision: str | None = "0004_gentle_day"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("users") as batch:
        # NULL for everyone already there: their prompts are planned as before.
        batch.add_column(sa.Column("prompts_from", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("prompts_from")
