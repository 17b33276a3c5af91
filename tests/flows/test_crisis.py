"""Crisis language through the real Application: helplines first, the flow stops, and the
words are neither stored in any table nor written to the logs."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import MetaData
from sqlalchemy import select as select_all
from sqlmodel import select

from bot.services.prompts import compose_prompt
from storage.models import User
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded

CRISIS_TEXT = "Honestly I don't want to live anymore, zebra-quartz"
MARKER = "zebra-quartz"


async def everything_stored(bot: Harness) -> str:
    """Every row of every table, as one string."""
    async with bot.db.session() as session:
        connection = await session.connection()
        metadata = MetaData()
        await connection.run_sync(metadata.reflect)  # every table, including ones added later
        dump: list[str] = []
        for table in metadata.sorted_tables:
            rows = await connection.execute(select_all(table))
            dump.extend(repr(tuple(row)) for row in rows)
    return "\n".join(dump)


async def user_row(bot: Harness) -> User:
    async with bot.db.session() as session:
        return (await session.exec(select(User))).one()


def assert_helplines(text: str) -> None:
    assert "findahelpline.com" in text
    assert "988" in text
    assert "116 123" in text
    assert "emergency number" in text
    assert "not a crisis service" in text


async def test_crisis_text_during_a_note_gets_helplines_and_is_not_stored_or_logged(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ana = await onboarded(bot)
    await bot.say(ana, "/done")  # opens the free-text step "what did you do?"
    assert (await user_row(bot)).pending_step == "log_act"
    before = len(ana.messages)

    await bot.say(ana, CRISIS_TEXT)

    [answer] = [m for m in ana.messages[before:] if MARKER not in (m.text or "")]
    assert_helplines(answer.text or "")  # one answer, and the flow said nothing more
    assert (await user_row(bot)).pending_step is None
    assert MARKER not in await everything_stored(bot)
    assert MARKER not in caplog.text
    assert all(MARKER not in str(record.args) for record in caplog.records)

    # The flow stopped: the next line is not taken as the answer to the old question.
    await bot.say(ana, "thanks")
    assert "/today" in (ana.last_message.text or "")


async def test_crisis_words_after_a_command_are_screened_too(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, f"/done {CRISIS_TEXT}")
    assert_helplines(ana.last_message.text or "")
    assert MARKER not in await everything_stored(bot)


async def test_crisis_text_before_start_still_gets_helplines(bot: Harness) -> None:
    ana = bot.person()
    await bot.say(ana, "I want to kill myself")
    assert_helplines(ana.last_message.text or "")
    assert "I want to kill myself" not in await everything_stored(bot)


async def test_everyday_figures_of_speech_go_to_the_flow(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/done")
    await bot.say(ana, "I'm dying to help my neighbour, killing it today")
    assert "Logged:" in (ana.last_message.text or "")


async def test_crisis_command_shows_the_resources_any_time(bot: Harness) -> None:
    ana = bot.person()
    await bot.say(ana, "/crisis")
    assert_helplines(ana.last_message.text or "")


async def test_help_mentions_crisis_command(bot: Harness) -> None:
    ana = bot.person()
    await bot.say(ana, "/help")
    assert "/crisis" in (ana.last_message.text or "")


async def test_after_crisis_language_the_evening_stays_quiet_that_day_only(
    bot: Harness,
) -> None:
    ana = await onboarded(bot, zone="Europe/Berlin")
    await bot.say(ana, CRISIS_TEXT)
    user = await user_row(bot)
    assert user.id is not None
    assert user.gentle_until is not None
    assert str(user.gentle_until) == "2026-03-02 23:00:00+00:00"  # midnight in Berlin
    today, tomorrow = date(2026, 3, 2), date(2026, 3, 3)
    assert await compose_prompt(bot.db, bot.clock, user.id, "evening", today) is None
    assert await compose_prompt(bot.db, bot.clock, user.id, "morning", today) is not None
    bot.clock.advance(timedelta(days=1))
    assert await compose_prompt(bot.db, bot.clock, user.id, "evening", tomorrow) is not None
