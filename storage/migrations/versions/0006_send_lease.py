"""One send budget for the bot: the sender lease that lets one instance at a time send.

Revision ID: 0006_send_lease
Revises: 0005_prompts_from
Create Date: 2026-11-22 07:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006_send_lease"
down_revision: str | None = "0005_prompts_from"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "send_lease",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=128), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("renewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_send_lease")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("send_lease")
