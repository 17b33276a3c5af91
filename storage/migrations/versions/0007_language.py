"""The language a person chose (/language), beside the language_code Telegram reported.

Revision ID: 0007_language
Revises: 0006_send_lease
Create Date: 2026-12-02 11:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007_language"
down_revision: str | None = "0006_send_lease"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("users") as batch:
        # NULL: nobody has chosen yet, so Telegram's language_code decides, as before.
        batch.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
