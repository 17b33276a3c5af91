"""/admin for ADMIN_IDS only (counts, never who), and alerts about unexpected errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.deps import Context
from bot.i18n import translator_for
from bot.sandbox.users import SimulatedUser
from bot.ui import texts
from storage.engine import Database
from tests.fakes.harness import Harness, running_bot
from tests.flows.helpers import onboarded

ADMIN_ID = 990_001
OTHER_ADMIN_ID = 990_002
PRIVATE_WORDS = "my sister is sick and I feel alone"


@pytest.fixture
async def bot(sqlite_db: Database) -> AsyncIterator[Harness]:
    async with running_bot(sqlite_db, admin_ids=f"{ADMIN_ID},{OTHER_ADMIN_ID}") as harness:
        yield harness


async def admin(bot: Harness, user_id: int = ADMIN_ID) -> SimulatedUser:
    person = bot.fake.add_user(first_name="Operator", user_id=user_id)
    await bot.say(person, "/start")  # so the bot may write to them first
    return person


async def failing(update: Update, context: Context) -> None:
    """A handler with a bug whose message quotes what the person wrote."""
    raise ValueError(f"cannot parse {PRIVATE_WORDS!r}")


async def other_failure(update: Update, context: Context) -> None:
    raise KeyError(PRIVATE_WORDS)


def text_of(person: SimulatedUser) -> str:
    return str(person.last_message.text)


def apologised(person: SimulatedUser) -> bool:
    """The error handler's reply is among the person's messages (the catch-all may follow)."""
    sorry = texts.something_went_wrong(translator_for("en"))
    return any(message.text == sorry for message in person.messages)


async def test_admin_sees_counts_and_no_one_who(bot: Harness) -> None:
    ana = await onboarded(bot, "Ana")
    await bot.say(ana, "/today")
    await bot.press(ana, "Not today")
    ben = await onboarded(bot, "Benedikt")
    await bot.say(ben, "/pause 3")
    chris = await onboarded(bot, "Chris")
    chris.block()
    operator = await admin(bot)
    await bot.say(operator, "/admin")
    shown = text_of(operator)
    assert shown.startswith("Kindling ")
    assert ", up \u20680 h 0 min\u2069." in shown.splitlines()[0]
    assert "People: 4 in all" in shown
    assert "1 paused" in shown
    assert "Prompts for each person's local today:" in shown
    assert "Flood control answers (429) from Telegram since start: 0." in shown
    assert "No errors since start." in shown
    for secret in ("Ana", "Benedikt", "Chris", str(ana.id), str(ben.id), str(chris.id)):
        assert secret not in shown


async def test_uptime_follows_the_injected_clock(bot: Harness) -> None:
    operator = await admin(bot)
    bot.clock.advance(timedelta(days=2, hours=3, minutes=4, seconds=59))
    await bot.say(operator, "/admin")
    assert ", up \u20682 d 3 h 4 min\u2069." in text_of(operator).splitlines()[0]


async def test_everyone_else_gets_the_unknown_command_reply(bot: Harness) -> None:
    ana = await onboarded(bot, "Ana")
    await bot.say(ana, "/admin")
    assert text_of(ana) == texts.unknown_command(translator_for("en"))


async def test_without_admin_ids_nobody_is_an_admin(sqlite_db: Database) -> None:
    async with running_bot(sqlite_db) as bot:
        person = bot.fake.add_user(first_name="Operator", user_id=ADMIN_ID)
        await bot.say(person, "/start")
        await bot.say(person, "/admin")
        assert text_of(person) == texts.unknown_command(translator_for("en"))


async def test_an_unexpected_error_is_reported_once_per_kind_per_ten_minutes(
    bot: Harness,
) -> None:
    operator = await admin(bot)
    second = await admin(bot, OTHER_ADMIN_ID)
    bot.app.add_handler(CommandHandler("boom", failing), group=-2)
    bot.app.add_handler(CommandHandler("oops", other_failure), group=-2)
    ana = await onboarded(bot, "Ana")
    before = len(operator.messages)

    await bot.say(ana, f"/boom {PRIVATE_WORDS}")
    assert apologised(ana)
    assert len(operator.messages) == before + 1
    alert = text_of(operator)
    assert alert.startswith("An unexpected error at \u20682026-03-02 09:00 UTC\u2069:")
    assert "builtins.ValueError at test_admin.py:" in alert
    assert text_of(second) == alert
    for secret in ("sister", "Ana", str(ana.id)):
        assert secret not in alert

    bot.clock.advance(timedelta(minutes=9, seconds=59))
    await bot.say(ana, "/boom again")
    assert len(operator.messages) == before + 1  # the same kind, within ten minutes
    await bot.say(ana, "/oops")
    assert len(operator.messages) == before + 2  # another kind
    assert "builtins.KeyError at " in text_of(operator)

    bot.clock.advance(timedelta(seconds=1))
    await bot.say(ana, "/boom once more")
    assert len(operator.messages) == before + 3
    assert "\u20682026-03-02 09:10 UTC\u2069" in text_of(operator)

    await bot.say(operator, "/admin")
    assert "Last error: \u2068ValueError\u2069 at \u20682026-03-02 09:10 UTC\u2069." in (
        text_of(operator)
    )


async def test_an_admin_who_never_started_the_bot_does_not_stop_the_others(
    bot: Harness,
) -> None:
    second = await admin(bot, OTHER_ADMIN_ID)  # ADMIN_ID never wrote: Telegram refuses
    bot.app.add_handler(CommandHandler("boom", failing), group=-2)
    ana = await onboarded(bot, "Ana")
    await bot.say(ana, "/boom")
    assert "builtins.ValueError at " in text_of(second)
    assert apologised(ana)
