"""Replies that meet Telegram's flood control wait it out and arrive; nothing is lost."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from scheduler.clock import ManualClock
from storage.engine import Database
from tests.fakes.harness import Harness, running_bot


@dataclass
class Waits:
    """The flood waits, taken on the harness's clock instead of the wall clock."""

    clock: ManualClock | None = None
    seconds: list[float] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        self.seconds.append(seconds)
        assert self.clock is not None
        self.clock.advance(timedelta(seconds=seconds))


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
async def bot(sqlite_db: Database, waits: Waits) -> AsyncIterator[Harness]:
    async with running_bot(sqlite_db, fake_on_clock=True, flood_sleep=waits.sleep) as harness:
        waits.clock = harness.clock
        yield harness


def help_replies(bot: Harness, chat_id: int) -> list[str]:
    return [m.text or "" for m in bot.fake.bot_messages(chat_id) if "/journal" in (m.text or "")]


async def test_a_second_reply_within_a_second_waits_for_the_chats_limit(
    bot: Harness, waits: Waits
) -> None:
    ana = bot.person("Ana")
    bot.fake.faults.enforce_limits(per_chat_per_second=1)
    await bot.say(ana, "/help")
    await bot.say(ana, "/help")  # the same instant: Telegram answers 429, retry after 1 s
    assert waits.seconds == [1.0]
    assert len(help_replies(bot, ana.id)) == 2
    assert bot.fake.faults.stats.rate_limited == 1


async def test_a_long_flood_wait_fails_without_an_apology_that_would_meet_it_too(
    bot: Harness, waits: Waits, caplog: pytest.LogCaptureFixture
) -> None:
    ana = bot.person("Ana")
    bot.fake.faults.fail_next("sendMessage", status=429, retry_after=30)
    with caplog.at_level(logging.ERROR):
        await bot.say(ana, "/help")
    assert waits.seconds == []
    assert [c.status for c in bot.fake.calls_to("sendMessage")] == [429]
    assert "RetryAfter" in caplog.text


async def test_a_reply_is_sent_again_at_most_twice(bot: Harness, waits: Waits) -> None:
    ana = bot.person("Ana")
    bot.fake.faults.fail_next("sendMessage", count=3, status=429, retry_after=2)
    await bot.say(ana, "/help")
    assert waits.seconds == [2.0, 2.0]
    assert [c.status for c in bot.fake.calls_to("sendMessage")] == [429, 429, 429]
    await bot.say(ana, "/help")  # the next one goes through
    assert len(help_replies(bot, ana.id)) == 1
