""" "Later" comes back: the snoozed morning ideas are a ledger row, sent by the dispatcher."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import select

from scheduler.delivery import Delivery
from storage.models import Prompt, PromptSlot, PromptState, User, UserStatus
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded


async def snoozes(bot: Harness) -> list[Prompt]:
    async with bot.db.session() as session:
        found = await session.exec(select(Prompt).where(Prompt.slot == PromptSlot.SNOOZE))
        return list(found.all())


async def test_later_brings_the_ideas_back_once_about_two_hours_later(
    bot: Harness, delivery: Delivery
) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "Later")
    shown = len(ana.messages)

    bot.clock.advance(timedelta(hours=1))
    assert await delivery.deliver_due() == 0
    assert len(ana.messages) == shown

    bot.clock.advance(timedelta(hours=1, minutes=5))
    assert await delivery.deliver_due() == 1
    assert len(ana.messages) == shown + 1
    assert "Not today" in [label for row in ana.last_message.buttons for label in row]
    [row] = await snoozes(bot)
    assert row.state is PromptState.SENT

    bot.clock.advance(timedelta(hours=3))
    assert await delivery.deliver_due() == 0  # handed out once


async def test_later_again_once_the_ideas_came_back_snoozes_again(
    bot: Harness, delivery: Delivery
) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "Later")
    due = bot.clock.now() + timedelta(hours=2)
    bot.clock.advance(timedelta(minutes=10))
    await bot.press(ana, "Later")  # one snooze is on its way: it stays as it was
    [row] = await snoozes(bot)
    assert (row.state, row.due_at) == (PromptState.PLANNED, due)
    bot.clock.advance(timedelta(hours=2))
    assert await delivery.deliver_due() == 1
    await bot.press(ana, "Later")  # on the ideas that came back
    bot.clock.advance(timedelta(hours=2, minutes=5))
    assert await delivery.deliver_due() == 1
    [row] = await snoozes(bot)  # one row per day, re-armed
    assert row.state is PromptState.SENT


async def test_choosing_an_act_meanwhile_calls_the_snooze_off(
    bot: Harness, delivery: Delivery
) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "Later")
    await bot.say(ana, "/today")
    await bot.press(ana, "Not today")
    shown = len(ana.messages)
    bot.clock.advance(timedelta(hours=2, minutes=5))
    assert await delivery.deliver_due() == 0
    assert len(ana.messages) == shown
    [row] = await snoozes(bot)
    assert row.state is PromptState.CANCELLED


async def test_a_person_who_blocked_the_bot_meanwhile_is_marked_blocked(
    bot: Harness, delivery: Delivery
) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "Later")
    ana.block()

    bot.clock.advance(timedelta(hours=2, minutes=5))
    shown = len(ana.messages)
    assert await delivery.deliver_due() == 1  # resolved, not delivered
    assert len(ana.messages) == shown
    async with bot.db.session() as session:
        user = (await session.exec(select(User))).one()
    assert user.status is UserStatus.BLOCKED
    [row] = await snoozes(bot)
    assert row.state is PromptState.BLOCKED


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
