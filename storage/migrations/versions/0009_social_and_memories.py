"""The message that shows a day's act (reactions log it), and memories (on, and shown once).

Revision ID: 0009_social_and_memories
Revises: 0008_snoozes_in_ledger
Create Date: 2026-12-03 10:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009_social_and_memories"
down_revision: str | None = "0008_snoozes_in_ledger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("daily_plans") as batch:
        # Telegram's id of the message showing "Today's act: ..." in the person's own chat;
        # NULL for plans made before, which a reaction then simply does not find.
        batch.add_column(sa.Column("message_id", sa.BigInteger(), nullable=True))
        # The act a reaction logged (acts_done.id): taking the reaction back undoes only that.
        batch.add_column(sa.Column("reaction_log_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("memories", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    # When a day's words were offered back as a memory, so none comes back twice.
    with op.batch_alter_table("reflections") as batch:
        batch.add_column(sa.Column("remembered_on", sa.Date(), nullable=True))
    with op.batch_alter_table("acts_done") as batch:
        batch.add_column(sa.Column("remembered_on", sa.Date(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("acts_done") as batch:
        batch.drop_column("remembered_on")
    with op.batch_alter_table("reflections") as batch:
        batch.drop_column("remembered_on")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("memories")
    with op.batch_alter_table("daily_plans") as batch:
        batch.drop_column("reaction_log_id")
        batch.drop_column("message_id")
