"""Tables: aware UTC timestamps, whole texts, enums, constraints and cascades on both backends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import SQLModel, select

from storage.engine import Database
from storage.models import (
    ActDone,
    DailyPlan,
    Days,
    PlanStatus,
    Prompt,
    PromptSlot,
    PromptState,
    Reflection,
    ReflectionOutcome,
    User,
    UserStatus,
)

NOW = datetime(2026, 3, 29, 0, 30, 15, 123456, tzinfo=UTC)
TODAY = date(2026, 3, 29)

HARD_TEXT = (
    "Held the door 🚪 for a neighbour 👩🏽‍🦳, "  # emoji, skin tone, ZWJ sequence
    "שלום עליכם، مرحبا "  # Hebrew and Arabic (RTL)
    "zero\u200bwidth\u200cnon\u200djoiner\ufeff "  # zero-width characters and BOM
    "\u202eRTL override\u202c e\u0301 \U0001f3f3\ufe0f\u200d\U0001f308 "
)


def make_user(telegram_user_id: int = 1, **overrides: object) -> User:
    fields: dict[str, object] = {
        "telegram_user_id": telegram_user_id,
        "chat_id": telegram_user_id,
        "first_name": "Ada",
        "morning_time": time(9, 0),
        "evening_time": time(20, 30),
        "created_at": NOW,
        "updated_at": NOW,
    }
    fields.update(overrides)
    return User(**fields)  # type: ignore[arg-type]


async def add_user(db: Database, telegram_user_id: int = 1, **overrides: object) -> int:
    """Insert a user and return their id."""
    async with db.session() as session:
        user = make_user(telegram_user_id, **overrides)
        session.add(user)
    assert user.id is not None
    return user.id


async def test_user_round_trip_with_defaults_and_enums(db: Database) -> None:
    user_id = await add_user(
        db,
        2**40,  # Telegram ids exceed 32 bits
        chat_id=-(2**52),
        paused_until=datetime(2026, 4, 1, 12, tzinfo=ZoneInfo("Europe/Berlin")),
        pending_step="act:custom",
        pending_payload={"draft": "hello", "n": [1, 2]},
    )
    async with db.session() as session:
        loaded = await session.get(User, user_id)
    assert loaded is not None
    assert loaded.telegram_user_id == 2**40
    assert loaded.chat_id == -(2**52)
    assert loaded.days is Days.DAILY
    assert loaded.status is UserStatus.ONBOARDING
    assert loaded.timezone == "UTC"
    assert loaded.morning_enabled is True
    assert loaded.morning_time == time(9, 0)
    assert loaded.evening_time == time(20, 30)
    assert loaded.pending_payload == {"draft": "hello", "n": [1, 2]}
    assert str(loaded.paused_until) == "2026-04-01 10:00:00+00:00"
    assert str(loaded.created_at) == "2026-03-29 00:30:15.123456+00:00"


@pytest.mark.parametrize(
    "instant",
    [
        NOW,
        datetime(2026, 3, 29, 3, 30, tzinfo=ZoneInfo("Europe/Berlin")),  # just after the gap
        datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York")),  # 2nd 1:30
        datetime(2026, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=14))),  # Kiritimati offset
        datetime(2026, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=12, minutes=45))),
    ],
    ids=str,
)
async def test_aware_datetimes_round_trip_as_utc(db: Database, instant: datetime) -> None:
    user_id = await add_user(db, paused_until=instant)
    async with db.session() as session:
        loaded = await session.get(User, user_id)
    assert loaded is not None
    assert loaded.paused_until is not None
    assert loaded.paused_until == instant.astimezone(UTC)
    assert loaded.paused_until.tzinfo is UTC
    assert str(loaded.paused_until) == str(instant.astimezone(UTC))


async def test_naive_datetime_refused(db: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime") as caught:
        async with db.session() as session:
            session.add(make_user(created_at=datetime(2026, 1, 1, 12)))  # noqa: DTZ001
    assert isinstance(caught.value.orig, ValueError)
    async with db.session() as session:
        assert (await session.exec(select(User))).all() == []


async def test_naive_datetime_refused_in_queries(db: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        async with db.session() as session:
            await session.exec(select(Prompt).where(Prompt.due_at <= datetime(2026, 1, 1)))  # noqa: DTZ001


async def test_timestamps_order_correctly_across_offsets(db: Database) -> None:
    user_id = await add_user(db)
    early = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Kolkata"))  # 03:30 UTC
    late = datetime(2026, 6, 1, 0, 0, tzinfo=ZoneInfo("America/New_York"))  # 04:00 UTC
    async with db.session() as session:
        for slot, due in ((PromptSlot.EVENING, late), (PromptSlot.MORNING, early)):
            session.add(
                Prompt(
                    user_id=user_id,
                    slot=slot,
                    local_date=TODAY,
                    due_at=due,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
    cutoff = datetime(2026, 6, 1, 3, 45, tzinfo=UTC)
    async with db.session() as session:
        due_now = (await session.exec(select(Prompt).where(Prompt.due_at <= cutoff))).all()
        ordered = (await session.exec(select(Prompt).order_by(Prompt.due_at))).all()  # type: ignore[arg-type]
    assert [p.slot for p in due_now] == [PromptSlot.MORNING]
    assert [p.slot for p in ordered] == [PromptSlot.MORNING, PromptSlot.EVENING]
    assert ordered[0].state is PromptState.PLANNED
    assert ordered[0].attempts == 0


@pytest.mark.parametrize("length", [4096, 4097, 20000])
async def test_long_unicode_texts_stored_whole(db: Database, length: int) -> None:
    text = (HARD_TEXT * (length // len(HARD_TEXT) + 1))[:length]
    user_id = await add_user(db, first_name=HARD_TEXT)
    async with db.session() as session:
        act = ActDone(user_id=user_id, local_date=TODAY, text=text, note=text[::-1], done_at=NOW)
        session.add(act)
    async with db.session() as session:
        loaded = await session.get(ActDone, act.id)
        loaded_user = await session.get(User, user_id)
    assert loaded is not None
    assert loaded_user is not None
    assert loaded.text == text
    assert len(loaded.text) == length
    assert loaded.note == text[::-1]
    assert loaded_user.first_name == HARD_TEXT


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00")))
async def test_any_text_round_trips(sqlite_db: Database, text: str) -> None:
    # The same database serves every example; each one gets a fresh user.
    async with sqlite_db.session() as session:
        count = len((await session.exec(select(User.id))).all())
        user = make_user(count + 1, first_name=text)
        session.add(user)
    async with sqlite_db.session() as session:
        loaded = await session.get(User, user.id)
    assert loaded is not None
    assert loaded.first_name == text


async def test_unique_telegram_user_id(db: Database) -> None:
    await add_user(db, 7)
    with pytest.raises(IntegrityError):
        async with db.session() as session:
            session.add(make_user(7, chat_id=8))


async def test_unique_plan_reflection_and_prompt_per_day(db: Database) -> None:
    user_id = await add_user(db)
    rows: list[Callable[[], SQLModel]] = [
        lambda: DailyPlan(
            user_id=user_id, local_date=TODAY, act_text="Smile", created_at=NOW, updated_at=NOW
        ),
        lambda: Reflection(user_id=user_id, local_date=TODAY, created_at=NOW, updated_at=NOW),
        lambda: Prompt(
            user_id=user_id,
            slot=PromptSlot.MORNING,
            local_date=TODAY,
            due_at=NOW,
            created_at=NOW,
            updated_at=NOW,
        ),
    ]
    for build in rows:
        async with db.session() as session:
            session.add(build())
        with pytest.raises(IntegrityError):
            async with db.session() as session:
                session.add(build())
    async with db.session() as session:  # another day, another slot: fine
        session.add(
            DailyPlan(
                user_id=user_id,
                local_date=TODAY + timedelta(days=1),
                act_text="Call a friend",
                created_at=NOW,
                updated_at=NOW,
            )
        )
        session.add(
            Prompt(
                user_id=user_id,
                slot=PromptSlot.EVENING,
                local_date=TODAY,
                due_at=NOW,
                created_at=NOW,
                updated_at=NOW,
            )
        )


@pytest.mark.parametrize("feeling", [0, 6, -1])
async def test_feeling_must_be_1_to_5(db: Database, feeling: int) -> None:
    user_id = await add_user(db)
    with pytest.raises(IntegrityError):
        async with db.session() as session:
            session.add(
                Reflection(
                    user_id=user_id,
                    local_date=TODAY,
                    feeling=feeling,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )


async def test_reflection_round_trip(db: Database) -> None:
    user_id = await add_user(db)
    async with db.session() as session:
        session.add(
            Reflection(
                user_id=user_id,
                local_date=TODAY,
                outcome=ReflectionOutcome.PARTLY,
                feeling=5,
                received="a smile back",
                completed=True,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    async with db.session() as session:
        loaded = (await session.exec(select(Reflection))).one()
    assert loaded.outcome is ReflectionOutcome.PARTLY
    assert (loaded.feeling, loaded.received, loaded.completed) == (5, "a smile back", True)


async def test_unknown_enum_value_refused(db: Database) -> None:
    with pytest.raises(StatementError):
        async with db.session() as session:
            session.add(make_user(status="sleeping"))


async def test_foreign_key_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError):
        async with db.session() as session:
            session.add(ActDone(user_id=12345, local_date=TODAY, text="orphan", done_at=NOW))


async def test_deleting_a_user_cascades(db: Database) -> None:
    keep_id = await add_user(db, 1)
    gone_id = await add_user(db, 2)
    async with db.session() as session:
        for user_id in (keep_id, gone_id):
            session.add(
                DailyPlan(
                    user_id=user_id,
                    local_date=TODAY,
                    act_text="x",
                    status=PlanStatus.DONE,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
            session.add(ActDone(user_id=user_id, local_date=TODAY, text="x", done_at=NOW))
            session.add(
                Reflection(user_id=user_id, local_date=TODAY, created_at=NOW, updated_at=NOW)
            )
            session.add(
                Prompt(
                    user_id=user_id,
                    slot=PromptSlot.MORNING,
                    local_date=TODAY,
                    due_at=NOW,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
    async with db.session() as session:
        # A bulk DELETE, so the database (not the ORM) does the cascading.
        connection = await session.connection()
        await connection.exec_driver_sql(f"DELETE FROM users WHERE id = {gone_id}")  # noqa: S608
    async with db.session() as session:
        for model in (DailyPlan, ActDone, Reflection, Prompt):
            owners = (await session.exec(select(model.user_id))).all()
            assert owners == [keep_id], model.__name__
