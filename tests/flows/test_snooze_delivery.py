""" "Later" comes back: the scheduler sends the snoozed morning ideas once they are due."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.outbox import SnoozedPrompt, claim_snoozed
from bot.sandbox.request import fake_bot
from scheduler.delivery import Delivery, one_by_one
from scheduler.sender import RateLimiter, Sender
from storage.models import User, UserStatus
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded


@pytest.fixture
async def delivery(bot: Harness) -> AsyncIterator[Delivery]:
    sender_bot = fake_bot(bot.fake)
    await sender_bot.initialize()

    async def snoozed() -> list[SnoozedPrompt]:
        return await claim_snoozed(bot.db, bot.clock)

    async def nothing(user_id: int, slot: str, local_date: object) -> None:
        return None

    yield Delivery(
        bot.db,
        bot.clock,
        Sender(sender_bot, RateLimiter(None)),
        one_by_one(nothing),
        snoozed=snoozed,
    )
    await sender_bot.shutdown()


async def test_later_brings_the_ideas_back_once_about_two_hours_later(
    bot: Harness, delivery: Delivery
) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "Later")
    shown = len(ana.messages)

    bot.clock.advance(timedelta(hours=1))
    assert await delivery.deliver_snoozed() == 0
    assert len(ana.messages) == shown

    bot.clock.advance(timedelta(hours=1, minutes=5))
    assert await delivery.deliver_snoozed() == 1
    assert len(ana.messages) == shown + 1
    assert "Not today" in [label for row in ana.last_message.buttons for label in row]

    bot.clock.advance(timedelta(hours=3))
    assert await delivery.deliver_snoozed() == 0  # handed out once


async def test_a_person_who_blocked_the_bot_meanwhile_is_marked_blocked(
    bot: Harness, delivery: Delivery
) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "Later")
    ana.block()

    bot.clock.advance(timedelta(hours=2, minutes=5))
    assert await delivery.deliver_snoozed() == 0
    async with bot.db.session() as session:
        user = (await session.exec(select(User))).one()
    assert user.status is UserStatus.BLOCKED


async def test_the_dispatcher_loop_sends_due_snoozes(bot: Harness, delivery: Delivery) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "Later")
    shown = len(ana.messages)
    bot.clock.advance(timedelta(hours=2, minutes=5))

    stop = asyncio.Event()
    loop = asyncio.create_task(delivery.run(stop, idle=0.05))
    try:
        await bot.fake.wait_until(lambda: len(ana.messages) == shown + 1, 5)
    finally:
        stop.set()
        await loop
