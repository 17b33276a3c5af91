"""The rhythm: "a little most days" or one or two kindness days a week, with their checklists.

Revision ID: 0010_kindness_days
Revises: 0009_social_and_memories
Create Date: 2026-12-03 13:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010_kindness_days"
down_revision: str | None = "0009_social_and_memories"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# No day (0), one weekday or two (bit n: date.weekday() == n): storage.models.KINDNESS_DAY_MASKS,
# written out so this revision never changes with the models.
_MASKS = ", ".join(
    map(str, sorted({0} | {1 << a | 1 << b for a in range(7) for b in range(a, 7)}))
)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("users") as batch:
        # 0: a little most days (everyone so far); else a weekday bit mask of one or two days.
        batch.add_column(
            sa.Column("kindness_days", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("quiet_evenings", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.create_check_constraint(
            op.f("ck_users_kindness_days"), f"kindness_days IN ({_MASKS})"
        )
    op.create_table(
        "checklists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("act_ids", sa.JSON(), nullable=False),
        sa.Column("ticked", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_checklists_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklists")),
        sa.UniqueConstraint(
            "user_id", "local_date", name=op.f("uq_checklists_user_id_local_date")
        ),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("checklists")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_kindness_days"), type_="check")
        batch.drop_column("quiet_evenings")
        batch.drop_column("kindness_days")
