"""compose_message and compose_messages: the contract with the scheduler, composed and rendered."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import event

from bot.outbox import compose_message, compose_messages
from bot.ui.callbacks import MAX_BYTES, Action, parse
from scheduler.clock import ManualClock
from storage.engine import Database
from storage.models import DailyPlan, PlanStatus, Reflection, User, UserStatus

NOW = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
DAY = date(2026, 3, 2)


async def _user(db: Database, **fields: object) -> int:
    async with db.write() as session:
        values: dict[str, object] = {
            "telegram_user_id": 1,
            "chat_id": 1,
            "first_name": "Ana <3",
            "timezone": "Europe/Berlin",
            "morning_time": time(8, 30),
            "evening_time": time(20, 30),
            "status": UserStatus.ACTIVE,
            "created_at": NOW,
            "updated_at": NOW,
        }
        user = User.model_validate({**values, **fields})
        session.add(user)
        await session.flush()
        assert user.id is not None
        return user.id


async def test_morning_offers_three_acts_and_the_other_ways(sqlite_db: Database) -> None:
    user_id = await _user(sqlite_db)
    content = await compose_message(sqlite_db, ManualClock(NOW), user_id, "morning", DAY)
    assert content is not None
    assert "Good morning, Ana &lt;3." in content.text
    data = [parse(d) for row in content.buttons for _, d in row]
    assert all(cb is not None and cb.local_date == DAY for cb in data)
    assert [cb.action for cb in data if cb] == [
        Action.PICK,
        Action.PICK,
        Action.PICK,
        Action.OTHERS,
        Action.OWN,
        Action.LATER,
        Action.NOT_TODAY,
        Action.SOMEONE,
        Action.LOW_ENERGY,
    ]
    assert all(len(d.encode()) <= MAX_BYTES for row in content.buttons for _, d in row)


async def test_morning_avoids_yesterdays_acts(sqlite_db: Database) -> None:
    user_id = await _user(sqlite_db)
    clock = ManualClock(NOW)
    first = await compose_message(sqlite_db, clock, user_id, "morning", DAY)
    second = await compose_message(sqlite_db, clock, user_id, "morning", date(2026, 3, 3))
    assert first is not None
    assert second is not None
    ids = [
        {d for row in c.buttons for _, d in row if d.startswith("mp:")} for c in (first, second)
    ]
    assert not {d.split(":")[2] for d in ids[0]} & {d.split(":")[2] for d in ids[1]}


async def test_nothing_when_a_plan_or_reflection_exists(sqlite_db: Database) -> None:
    user_id = await _user(sqlite_db)
    async with sqlite_db.write() as session:
        session.add(
            DailyPlan(
                user_id=user_id,
                local_date=DAY,
                act_text="x",
                status=PlanStatus.NOT_TODAY,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        session.add(Reflection(user_id=user_id, local_date=DAY, created_at=NOW, updated_at=NOW))
    clock = ManualClock(NOW)
    assert await compose_message(sqlite_db, clock, user_id, "morning", DAY) is None
    assert await compose_message(sqlite_db, clock, user_id, "evening", DAY) is None


async def test_evening_adapts_when_nothing_was_planned(sqlite_db: Database) -> None:
    user_id = await _user(sqlite_db)
    content = await compose_message(sqlite_db, ManualClock(NOW), user_id, "evening", DAY)
    assert content is not None
    assert "Nothing was planned today" in content.text
    labels = [label for row in content.buttons for label, _ in row]
    assert labels == ["Yes", "A little", "Not today", "Skip"]


async def test_evening_asks_about_the_plan(sqlite_db: Database) -> None:
    user_id = await _user(sqlite_db)
    async with sqlite_db.write() as session:
        session.add(
            DailyPlan(
                user_id=user_id,
                local_date=DAY,
                act_text="Call <Mum>",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    content = await compose_message(sqlite_db, ManualClock(NOW), user_id, "evening", DAY)
    assert content is not None
    assert "How did today's act go?" in content.text
    assert "Call &lt;Mum&gt;" in content.text


async def test_nothing_for_stopped_or_unknown_people(sqlite_db: Database) -> None:
    user_id = await _user(sqlite_db, status=UserStatus.STOPPED)
    clock = ManualClock(NOW)
    assert await compose_message(sqlite_db, clock, user_id, "morning", DAY) is None
    assert await compose_message(sqlite_db, clock, 999, "evening", DAY) is None


async def test_a_snooze_brings_the_ideas_back_as_if_asked_for(sqlite_db: Database) -> None:
    user_id = await _user(sqlite_db)
    clock = ManualClock(NOW)
    content = await compose_message(sqlite_db, clock, user_id, "snooze", DAY)
    assert content is not None
    assert "Here are a few ideas for today" in content.text  # the /today greeting
    async with sqlite_db.write() as session:
        session.add(
            DailyPlan(
                user_id=user_id, local_date=DAY, act_text="x", created_at=NOW, updated_at=NOW
            )
        )
    assert await compose_message(sqlite_db, clock, user_id, "snooze", DAY) is None


async def test_nothing_while_paused(sqlite_db: Database) -> None:
    user_id = await _user(sqlite_db, paused_until=NOW + timedelta(days=2))
    clock = ManualClock(NOW)
    assert await compose_message(sqlite_db, clock, user_id, "morning", DAY) is None
    assert await compose_message(sqlite_db, clock, user_id, "evening", DAY) is None


async def test_a_new_prompt_closes_an_old_daily_step(sqlite_db: Database) -> None:
    user_id = await _user(sqlite_db, pending_step="note", pending_payload={"id": 1})
    assert await compose_message(sqlite_db, ManualClock(NOW), user_id, "morning", DAY)
    async with sqlite_db.session() as session:
        user = await session.get(User, user_id)
        assert user is not None
        assert user.pending_step is None


async def test_a_batch_answers_each_key_in_order_with_the_same_rules(db: Database) -> None:
    ana = await _user(db)
    ben = await _user(db, telegram_user_id=2, chat_id=2, first_name="Ben")
    cat = await _user(db, telegram_user_id=3, chat_id=3, paused_until=NOW + timedelta(days=2))
    async with db.write() as session:
        session.add(
            DailyPlan(
                user_id=ben,
                local_date=DAY,
                act_id="x",
                act_text="Call Mum",
                status=PlanStatus.PLANNED,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    yesterday = DAY - timedelta(days=1)
    keys = [
        (ana, "morning", DAY),
        (ben, "morning", DAY),  # already chose today's act
        (cat, "morning", DAY),  # paused
        (999, "evening", DAY),  # unknown
        (ben, "evening", DAY),
        (ana, "evening", yesterday),
    ]
    contents = await compose_messages(db, ManualClock(NOW), keys)
    assert [c is not None for c in contents] == [True, False, False, False, True, True]
    morning, evening, yesterdays = contents[0], contents[4], contents[5]
    assert morning is not None
    assert "Good morning, Ana &lt;3." in morning.text
    assert evening is not None
    assert "Call Mum" in evening.text
    assert yesterdays is not None
    buttons = [parse(d) for row in yesterdays.buttons for _, d in row]
    assert buttons
    assert all(b is not None and b.local_date == yesterday for b in buttons)
    assert await compose_messages(db, ManualClock(NOW), []) == []


async def test_a_batch_reads_the_same_few_statements_whatever_its_size(
    sqlite_db: Database,
) -> None:
    ids = [
        await _user(sqlite_db, telegram_user_id=n, chat_id=n, first_name=f"P{n}")
        for n in range(1, 41)
    ]
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]).split()[0])

    event.listen(sqlite_db.engine.sync_engine, "before_cursor_execute", count)
    try:
        await compose_messages(sqlite_db, ManualClock(NOW), [(i, "morning", DAY) for i in ids[:4]])
        small = len(statements)
        statements.clear()
        await compose_messages(sqlite_db, ManualClock(NOW), [(i, "morning", DAY) for i in ids[4:]])
    finally:
        event.remove(sqlite_db.engine.sync_engine, "before_cursor_execute", count)
    # BEGIN, the people, plans, reflections, logged acts, and one UPDATE (executemany).
    assert len(statements) == small <= 6
