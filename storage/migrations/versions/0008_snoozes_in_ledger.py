"""Snoozes ("Later") become rows of the delivery ledger; users.snoozed_until goes.

A snooze still waiting becomes a planned ``prompts`` row of slot ``snooze``, due at the same
instant, for the person's local date at that instant (the date its ideas were for). Going
down, the planned snooze rows become ``snoozed_until`` again; finished ones are history that
the old schema had no place for, and are dropped.

Revision ID: 0008_snoozes_in_ledger
Revises: 0007_language
Create Date: 2026-12-03 07:30:00.000000

"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008_snoozes_in_ledger"
down_revision: str | None = "0007_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("timezone", sa.String),
    sa.column("snoozed_until", sa.DateTime(timezone=True)),
)
_prompts = sa.table(
    "prompts",
    sa.column("user_id", sa.Integer),
    sa.column("slot", sa.String),
    sa.column("local_date", sa.Date),
    sa.column("due_at", sa.DateTime(timezone=True)),
    sa.column("state", sa.String),
    sa.column("attempts", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive UTC; PostgreSQL an aware instant."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _stored(value: datetime) -> datetime:
    """The instant as the dialect stores it (naive UTC on SQLite, see storage.models)."""
    return value.replace(tzinfo=None) if op.get_bind().dialect.name == "sqlite" else value


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def upgrade() -> None:
    """Apply this revision."""
    bind = op.get_bind()
    waiting = bind.execute(
        sa.select(_users.c.id, _users.c.timezone, _users.c.snoozed_until).where(
            _users.c.snoozed_until.is_not(None)
        )
    ).all()
    now = _stored(datetime.now(UTC))
    rows = [
        {
            "user_id": user_id,
            "slot": "snooze",
            "local_date": _utc(until).astimezone(_zone(zone)).date(),
            "due_at": _stored(_utc(until)),
            "state": "planned",
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        }
        for user_id, zone, until in waiting
    ]
    if rows:
        bind.execute(sa.insert(_prompts), rows)
    op.drop_index(op.f("ix_users_snoozed_until"), table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("snoozed_until")


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_users_snoozed_until"), "users", ["snoozed_until"], unique=False)
    bind = op.get_bind()
    planned = bind.execute(
        sa.select(_prompts.c.user_id, _prompts.c.due_at).where(
            _prompts.c.slot == "snooze", _prompts.c.state == "planned"
        )
    ).all()
    for user_id, due in planned:
        bind.execute(sa.update(_users).where(_users.c.id == user_id).values(snoozed_until=due))
    bind.execute(sa.delete(_prompts).where(_prompts.c.slot == "snooze"))
