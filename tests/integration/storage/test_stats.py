"""Operator counts (storage.stats) on SQLite and PostgreSQL: numbers only."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from storage.engine import Database
from storage.models import ActDone, DailyPlan, Reflection, User, UserStatus
from storage.stats import PEOPLE_STATES, people_counts, ping

NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)


async def add_user(db: Database, n: int, status: UserStatus, **fields: Any) -> int:
    async with db.session() as session:
        user = User(
            telegram_user_id=80_000 + n,
            chat_id=80_000 + n,
            first_name="P",
            morning_time=time(8, 30),
            evening_time=time(20, 30),
            status=status,
            created_at=NOW - timedelta(days=30),
            updated_at=NOW - timedelta(days=30),
            **fields,
        )
        session.add(user)
        await session.flush()
        assert user.id is not None
        return user.id


async def test_people_by_state_and_active_this_week(db: Database) -> None:
    active = await add_user(db, 1, UserStatus.ACTIVE)
    await add_user(db, 2, UserStatus.ACTIVE, paused_until=NOW + timedelta(days=2))
    over = await add_user(db, 3, UserStatus.ACTIVE, paused_until=NOW - timedelta(minutes=1))
    await add_user(db, 4, UserStatus.BLOCKED)
    await add_user(db, 5, UserStatus.BLOCKED)
    stopped = await add_user(db, 6, UserStatus.STOPPED)
    await add_user(db, 7, UserStatus.ONBOARDING)
    old = await add_user(db, 8, UserStatus.ACTIVE)
    async with db.session() as session:
        day = date(2026, 3, 8)
        session.add(ActDone(user_id=active, local_date=day, text="t", done_at=NOW))
        session.add(  # two kinds of activity, one person
            Reflection(user_id=active, local_date=day, created_at=NOW, updated_at=NOW)
        )
        session.add(
            DailyPlan(user_id=over, local_date=day, act_text="t", created_at=NOW,
                      updated_at=NOW - timedelta(days=6, hours=23))
        )  # fmt: skip
        session.add(
            Reflection(user_id=stopped, local_date=day, created_at=NOW,
                       updated_at=NOW - timedelta(days=1))
        )  # fmt: skip
        session.add(
            ActDone(user_id=old, local_date=date(2026, 3, 1), text="t",
                    done_at=NOW - timedelta(days=7, seconds=1))
        )  # fmt: skip
    async with db.session() as session:
        counts = await people_counts(session, NOW)
        await ping(session)
    assert counts.by_state == {
        "onboarding": 1,
        "active": 3,
        "paused": 1,
        "stopped": 1,
        "blocked": 2,
    }
    assert list(counts.by_state) == list(PEOPLE_STATES)
    assert counts.total == 8
    assert counts.active_this_week == 3  # active, over, stopped; not old


async def test_an_empty_database_counts_zero(db: Database) -> None:
    async with db.session() as session:
        counts = await people_counts(session, NOW)
    assert counts.by_state == dict.fromkeys(PEOPLE_STATES, 0)
    assert counts.active_this_week == 0
