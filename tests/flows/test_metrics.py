"""Metrics scraped during flows: updates by kind, handler latency, people, errors; and no
label or value ever carries a person's id, name or words."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.deps import Context
from bot.metrics import Metrics
from storage.engine import Database
from tests.fakes.harness import Harness, running_bot
from tests.fakes.scrape import samples, value
from tests.flows.helpers import onboarded


class Ticks:
    """A monotonic clock that moves 0.02 s each time it is read."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        self.now += 0.02
        return self.now


@pytest.fixture
async def bot(sqlite_db: Database) -> AsyncIterator[Harness]:
    async with running_bot(sqlite_db) as harness:
        harness.app.bot_data.metrics.monotonic = Ticks()
        yield harness


async def scrape(bot: Harness) -> bytes:
    metrics: Metrics = bot.app.bot_data.metrics
    await metrics.refresh_people(bot.db)
    return metrics.exposition()


async def boom(update: Update, context: Context) -> None:
    raise ZeroDivisionError("what Zelda wrote: I feel so tired")


async def test_updates_by_kind_and_handler_latency(bot: Harness) -> None:
    ana = await onboarded(bot, "Ana")  # /start, a typed zone, a button
    await bot.say(ana, "/today")
    await bot.press(ana, "Not today")
    text = await scrape(bot)
    assert value(text, "kindling_updates_total", kind="message") == 3
    assert value(text, "kindling_updates_total", kind="callback_query") == 2
    assert value(text, "kindling_update_seconds_count", kind="message") == 3
    # Each update is timed by two readings of the clock, 0.02 s apart.
    assert value(text, "kindling_update_seconds_sum", kind="message") == pytest.approx(0.06)
    assert value(text, "kindling_update_seconds_bucket", kind="message", le="0.025") == 3
    assert value(text, "kindling_update_seconds_bucket", kind="message", le="0.01") == 0


async def test_people_by_state_are_read_at_scrape_time(bot: Harness) -> None:
    await onboarded(bot, "Ana")
    ben = await onboarded(bot, "Ben")
    bot.person("Cleo")  # never wrote: not in the database
    text = await scrape(bot)
    assert value(text, "kindling_people", state="active") == 2
    assert value(text, "kindling_people", state="paused") == 0
    await bot.say(ben, "/pause 3")
    text = await scrape(bot)
    assert value(text, "kindling_people", state="active") == 1
    assert value(text, "kindling_people", state="paused") == 1
    assert value(text, "kindling_people", state="blocked") == 0


async def test_errors_by_type_name(bot: Harness) -> None:
    bot.app.add_handler(CommandHandler("boom", boom), group=-2)
    zelda = await onboarded(bot, "Zelda")
    await bot.say(zelda, "/boom")
    await bot.say(zelda, "/boom")
    text = await scrape(bot)
    assert value(text, "kindling_errors_total", kind="ZeroDivisionError") == 2
    assert "tired" not in text.decode()


async def test_no_metric_carries_an_id_a_name_or_words(bot: Harness) -> None:
    bot.app.add_handler(CommandHandler("boom", boom), group=-2)
    zelda = await onboarded(bot, "Zelda")
    await bot.say(zelda, "/today")
    await bot.press(zelda, "Not today")
    await bot.say(zelda, "/done I called my grandmother Wilhelmina")
    await bot.say(zelda, "my own words about Quentin")
    await bot.say(zelda, "/boom")
    await bot.say(zelda, "/doesnotexist_xyzzy")
    exposition = (await scrape(bot)).decode()
    for secret in (
        "Zelda",
        "Wilhelmina",
        "Quentin",
        "tired",
        "xyzzy",
        str(zelda.id),
    ):
        assert secret not in exposition
    # Every label value comes from a small fixed vocabulary.
    allowed = re.compile(r"^[a-z_]+$|^[A-Z][A-Za-z]*$|^[0-9.+Inf]+$|^\d+\.\d+\.\d+.*$")
    for _, labels in samples(exposition):
        for _, label_value in labels:
            assert allowed.match(label_value), label_value
