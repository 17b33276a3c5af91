"""Repositories: lookups, and an upsert that never creates a second user."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import func, select

from storage.engine import Database
from storage.models import DailyPlan, Reflection, User, UserStatus
from storage.repositories import PlanRepository, ReflectionRepository, UserRepository

NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=3)


async def _count_users(db: Database) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(User))).one()


async def test_upsert_creates_then_updates_the_same_user(db: Database) -> None:
    async with db.write() as session:
        user, created = await UserRepository(session).upsert_from_telegram(
            telegram_user_id=42,
            chat_id=42,
            first_name="Ada",
            language_code="en",
            now=NOW,
            timezone="Europe/Berlin",
            morning_time=time(7, 30),
        )
    assert created is True
    assert user.id is not None
    assert (user.timezone, user.morning_time, user.status) == (
        "Europe/Berlin",
        time(7, 30),
        UserStatus.ONBOARDING,
    )

    async with db.write() as session:
        again, created_again = await UserRepository(session).upsert_from_telegram(
            telegram_user_id=42,
            chat_id=4242,
            first_name="Ada L.",
            language_code=None,
            now=LATER,
            timezone="Asia/Tokyo",  # defaults for new users only
        )
    assert created_again is False
    assert again.id == user.id
    assert (again.chat_id, again.first_name, again.language_code) == (4242, "Ada L.", None)
    assert again.timezone == "Europe/Berlin"
    assert again.created_at == NOW
    assert again.updated_at == LATER
    assert await _count_users(db) == 1


async def test_upsert_without_changes_keeps_updated_at(db: Database) -> None:
    for now in (NOW, LATER):
        async with db.write() as session:
            user, _ = await UserRepository(session).upsert_from_telegram(
                telegram_user_id=5, chat_id=5, first_name="B", language_code="de", now=now
            )
    assert user.updated_at == NOW


async def test_concurrent_upserts_make_one_user(db: Database) -> None:
    async def first_contact(chat_id: int) -> tuple[int | None, bool]:
        async with db.write() as session:
            user, created = await UserRepository(session).upsert_from_telegram(
                telegram_user_id=99,
                chat_id=chat_id,
                first_name="C",
                language_code=None,
                now=NOW,
            )
            return user.id, created

    results = await asyncio.gather(*(first_contact(i) for i in range(5)))
    assert len({user_id for user_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert await _count_users(db) == 1


async def test_upsert_recovers_when_another_unit_inserted_first(db: Database) -> None:
    """The race on PostgreSQL: our read saw nothing, then the insert hits the unique key."""
    if db.dialect_name != "postgresql":
        # On SQLite write() serializes the whole unit, so the race cannot happen there.
        return
    async with db.session() as outer:
        repo = UserRepository(outer)
        assert await repo.get_by_telegram_id(77) is None
        async with db.session() as other:
            UserRepository(other).add(
                User(
                    telegram_user_id=77,
                    chat_id=1,
                    first_name="Winner",
                    morning_time=time(9),
                    evening_time=time(20),
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        user, created = await repo.upsert_from_telegram(
            telegram_user_id=77, chat_id=2, first_name="Loser", language_code=None, now=LATER
        )
    assert created is False
    assert user.chat_id == 2
    assert await _count_users(db) == 1


async def test_get_and_get_by_telegram_id(db: Database) -> None:
    async with db.write() as session:
        repo = UserRepository(session)
        assert await repo.get_by_telegram_id(1) is None
        assert await repo.get(1) is None
        user, _ = await repo.upsert_from_telegram(
            telegram_user_id=1, chat_id=1, first_name="D", language_code=None, now=NOW
        )
    async with db.session() as session:
        repo = UserRepository(session)
        by_id = await repo.get(user.id or 0)
        by_telegram = await repo.get_by_telegram_id(1)
    assert by_id is not None
    assert by_telegram is not None
    assert by_id.id == by_telegram.id == user.id


async def test_repositories_never_commit(db: Database) -> None:
    async with db.session() as session:
        repo = UserRepository(session)
        await repo.upsert_from_telegram(
            telegram_user_id=3, chat_id=3, first_name="E", language_code=None, now=NOW
        )
        await session.rollback()
    assert await _count_users(db) == 0


async def test_plan_and_reflection_getters(db: Database) -> None:
    day = date(2026, 5, 1)
    async with db.write() as session:
        user, _ = await UserRepository(session).upsert_from_telegram(
            telegram_user_id=8, chat_id=8, first_name="F", language_code=None, now=NOW
        )
        assert user.id is not None
        PlanRepository(session).add(
            DailyPlan(
                user_id=user.id,
                local_date=day,
                act_text="Say thanks",
                created_at=NOW,
                updated_at=NOW,
            )
        )
        ReflectionRepository(session).add(
            Reflection(user_id=user.id, local_date=day, feeling=4, created_at=NOW, updated_at=NOW)
        )
    async with db.session() as session:
        plan = await PlanRepository(session).get_for_date(user.id, day)
        reflection = await ReflectionRepository(session).get_for_date(user.id, day)
        assert await PlanRepository(session).get_for_date(user.id, day + timedelta(days=1)) is None
        assert await ReflectionRepository(session).get_for_date(user.id + 1, day) is None
    assert plan is not None
    assert plan.act_text == "Say thanks"
    assert reflection is not None
    assert reflection.feeling == 4
