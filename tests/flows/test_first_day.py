"""A calm first day, through the real Application and the real scheduler with a manual clock.

The ideas shown when onboarding finishes are the day's start: no late "Good morning" after
them, no evening check-in right after them, and a time chosen on purpose straight afterwards
is still sent that same day.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlmodel import select as model_select

from bot.outbox import compose_messages
from bot.sandbox.request import fake_bot
from bot.sandbox.users import SimulatedUser
from bot.services.prompts import PromptKey
from bot.ui.screens import Screen
from scheduler.delivery import Delivery
from scheduler.sender import RateLimiter, Sender
from storage.engine import Database
from storage.models import Prompt, PromptState, User
from tests.fakes.harness import Harness, running_bot

PROMPTS = Prompt.__table__  # type: ignore[attr-defined]
IDEAS = "Here are a few ideas for today, Ana."
MORNING = "Good morning, Ana."
EVENING = "Good evening, Ana."
NOTHING_PLANNED = "Nothing was planned today"
DAY = date(2026, 3, 2)


@dataclass
class Day:
    """The bot, its scheduler and the person who just finished onboarding."""

    bot: Harness
    delivery: Delivery
    ana: SimulatedUser
    zone: ZoneInfo
    seen: int = 0

    async def cycle(self) -> None:
        """One planning pass over everyone and everything due now."""
        await self.delivery.plan_all()
        await self.delivery.deliver_due()

    async def walk(self, until: datetime) -> None:
        """Move the clock to ``until``, stopping at every planned due instant on the way."""
        clock = self.bot.clock
        while clock.now() < until:
            async with self.bot.db.session() as session:
                upcoming = (
                    await (await session.connection()).execute(
                        select(PROMPTS.c.due_at)
                        .where(
                            PROMPTS.c.state == PromptState.PLANNED,
                            PROMPTS.c.due_at > clock.now(),
                        )
                        .order_by(PROMPTS.c.due_at)
                        .limit(1)
                    )
                ).scalar()
            step = min(clock.now() + timedelta(hours=1), until)
            clock.set(step if upcoming is None else min(step, upcoming))
            await self.cycle()

    def local(self, day: date, hour: int, minute: int) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone)

    def new_messages(self) -> list[str]:
        """The texts the person received since the last call."""
        messages = self.ana.messages
        texts = [m.text or "" for m in messages[self.seen :]]
        self.seen = len(messages)
        return texts

    async def rows(self, local_date: date) -> list[Prompt]:
        async with self.bot.db.session() as session:
            found = await session.exec(
                model_select(Prompt).where(Prompt.local_date == local_date).order_by(Prompt.due_at)  # type: ignore[arg-type]
            )
            return list(found.all())


@asynccontextmanager
async def onboarded_at(db: Database, zone: str, at: time) -> AsyncIterator[Day]:
    """Ana onboards on :data:`DAY` at ``at`` in ``zone``, accepting 08:30 and 20:30."""
    tz = ZoneInfo(zone)
    async with running_bot(db, start=datetime.combine(DAY, at, tzinfo=tz).astimezone(UTC)) as bot:
        sender_bot = fake_bot(bot.fake)
        await sender_bot.initialize()

        async def compose(keys: Sequence[PromptKey]) -> list[Screen | None]:
            return await compose_messages(bot.db, bot.clock, keys)

        delivery = Delivery(
            bot.db, bot.clock, Sender(sender_bot, RateLimiter(None)), compose, instance="t"
        )
        try:
            ana = bot.person("Ana")
            await bot.say(ana, "/start")
            await bot.say(ana, zone)
            await bot.press(ana, "Sounds good")
            day = Day(bot=bot, delivery=delivery, ana=ana, zone=tz)
            assert IDEAS in day.new_messages()[-1]
            yield day
        finally:
            await sender_bot.shutdown()


async def test_kolkata_after_the_morning_no_late_good_morning_then_a_morning_set_ahead_comes(
    sqlite_db: Database,
) -> None:
    async with onboarded_at(sqlite_db, "Asia/Kolkata", time(8, 53)) as day:
        # The 08:30 morning is 23 minutes past and still "useful": it used to go out now.
        await day.cycle()
        assert day.new_messages() == []
        rows = await day.rows(DAY)
        assert [(str(r.slot), str(r.state)) for r in rows] == [("evening", "planned")]
        async with day.bot.db.session() as session:
            user = (await session.exec(model_select(User))).one()
        assert str(user.prompts_from) == "2026-03-02 04:23:00+00:00"  # 09:53 in Kolkata

        # 08:54: "/morning 08:56" is honoured today, although today's start was the ideas.
        day.bot.clock.advance(timedelta(minutes=1))
        await day.bot.say(day.ana, "/morning 08:56")
        assert len(day.new_messages()) == 1  # the confirmation only
        await day.walk(day.local(DAY, 8, 55))
        assert day.new_messages() == []
        await day.walk(day.local(DAY, 8, 57))
        [morning] = day.new_messages()
        assert MORNING in morning

        await day.walk(day.local(DAY, 20, 31))
        [evening] = day.new_messages()
        assert EVENING in evening
        rows = await day.rows(DAY)
        assert [(str(r.slot), str(r.state), str(r.sent_at)) for r in rows] == [
            ("morning", "sent", "2026-03-02 03:26:00+00:00"),
            ("evening", "sent", "2026-03-02 15:00:00+00:00"),
        ]


async def test_new_york_late_evening_nothing_until_tomorrows_morning(
    sqlite_db: Database,
) -> None:
    async with onboarded_at(sqlite_db, "America/New_York", time(22, 23)) as day:
        # The 20:30 evening is useful until midnight: it used to say "Nothing was planned
        # today" a second after the ideas.
        await day.cycle()
        assert day.new_messages() == []
        assert await day.rows(date(2026, 3, 2)) == []

        await day.walk(day.local(date(2026, 3, 3), 8, 31))
        [morning] = day.new_messages()
        assert MORNING in morning
        assert NOTHING_PLANNED not in morning
        rows = await day.rows(date(2026, 3, 3))
        assert [(str(r.slot), str(r.state), str(r.sent_at)) for r in rows] == [
            ("morning", "sent", "2026-03-03 13:30:00+00:00"),
            ("evening", "planned", "None"),
        ]


async def test_early_morning_both_prompts_of_the_first_day_come_on_time(
    sqlite_db: Database,
) -> None:
    async with onboarded_at(sqlite_db, "Europe/Berlin", time(6, 0)) as day:
        await day.cycle()
        assert day.new_messages() == []
        await day.walk(day.local(DAY, 20, 31))
        morning, evening = day.new_messages()
        assert MORNING in morning
        assert EVENING in evening
        rows = await day.rows(DAY)
        assert [(str(r.slot), str(r.state), str(r.sent_at)) for r in rows] == [
            ("morning", "sent", "2026-03-02 07:30:00+00:00"),
            ("evening", "sent", "2026-03-02 19:30:00+00:00"),
        ]


@pytest.mark.parametrize(
    ("finish", "first_day"),
    [
        # 08:25: a "Good morning" with other acts five minutes after the ideas would be noise.
        ((8, 25), [EVENING]),
        # 19:20: the evening is 70 minutes after the ideas, a real day to look back on.
        ((19, 20), [EVENING]),
        # 19:45: the evening would follow the ideas by 45 minutes: not that day.
        ((19, 45), []),
    ],
    ids=["morning-in-5-min", "evening-in-70-min", "evening-in-45-min"],
)
async def test_no_prompt_within_the_hour_after_the_ideas(
    sqlite_db: Database, finish: tuple[int, int], first_day: list[str]
) -> None:
    async with onboarded_at(sqlite_db, "Europe/Berlin", time(*finish)) as day:
        await day.walk(day.local(DAY, 23, 59))
        received = day.new_messages()
        assert len(received) == len(first_day)
        for text, greeting in zip(received, first_day, strict=True):
            assert greeting in text
        # The next day is a whole day again.
        await day.walk(day.local(date(2026, 3, 3), 20, 31))
        morning, evening = day.new_messages()
        assert MORNING in morning
        assert EVENING in evening


async def test_an_evening_chosen_on_purpose_right_after_onboarding_comes_that_evening(
    sqlite_db: Database,
) -> None:
    async with onboarded_at(sqlite_db, "Europe/Berlin", time(20, 10)) as day:
        day.bot.clock.advance(timedelta(minutes=5))
        await day.bot.say(day.ana, "/evening 20:40")
        day.new_messages()  # the confirmation
        await day.walk(day.local(DAY, 20, 41))
        [evening] = day.new_messages()
        assert EVENING in evening
        rows = await day.rows(DAY)
        assert [(str(r.slot), str(r.sent_at)) for r in rows] == [
            ("evening", "2026-03-02 19:40:00+00:00")
        ]
