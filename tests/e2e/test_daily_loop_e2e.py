"""A whole day with ``python -m bot`` over loopback HTTP, restarting the bot in the middle.

Start, time zone by city, the morning choice, commit, done with a note, the evening
reflection; the bot is stopped and started again twice along the way, and every answer is found
in the database at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.users import SimulatedUser
from tests.fakes.process import TIMEOUT, BotProcess, run_sandbox
from tests.fakes.wording import GOODNIGHTS, shows_one_of

pytestmark = pytest.mark.e2e

RUNNING = "Kindling is running as"


async def step(user: SimulatedUser, action: Awaitable[Any], expect: str) -> None:
    """Do ``action`` and wait until a bot message (new or edited) shows ``expect``."""
    await action

    def shown() -> bool:
        return any(expect in (m.text or "") for m in user.messages)

    try:
        await user.fake.wait_until(shown, TIMEOUT)
    except TimeoutError:
        got = [m.text for m in user.messages[-4:]]
        raise AssertionError(f"nothing showed {expect!r}; last messages: {got!r}") from None


def rows(database_path: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(database_path)) as connection:
        return list(connection.execute(sql).fetchall())


async def started(tmp_path: Path, env: dict[str, str]) -> BotProcess:
    bot = await BotProcess.start(tmp_path, env)
    await bot.wait_for_log(RUNNING)
    return bot


async def test_a_whole_day_survives_restarts(
    fake: FakeTelegram, bot_env: dict[str, str], tmp_path: Path, database_path: Path
) -> None:
    ana = fake.add_user("Ana")
    bot = await started(tmp_path, bot_env)
    try:
        await step(ana, ana.send_command("/start"), "where are you?")
        await step(ana, ana.send_text("Berlin"), "Does that suit you?")
        await step(ana, ana.press("Sounds good"), "Pick one, or choose another way below.")
        ideas = next(m for m in reversed(ana.messages) if "Pick one" in (m.text or ""))
        await step(ana, ana.press(ideas.buttons[0][0]), "Shall we make it today's act?")
        await step(ana, ana.press("Yes, I'll do it"), "Today's act:")

        assert await bot.terminate() == 0  # restart between the commitment and "Done"
        bot = await started(tmp_path, bot_env)

        await step(ana, ana.press("Done"), "How did it go?")
        await step(ana, ana.send_text("She smiled 🌻"), "I've kept that")
        await step(ana, ana.send_command("/reflect"), "How did today's act go?")
        await step(ana, ana.press("Partly"), "How are you feeling right now?")
        await step(ana, ana.press("4"), "What kindness did you receive or witness today?")

        assert await bot.terminate() == 0  # restart in the middle of the reflection
        bot = await started(tmp_path, bot_env)

        await ana.send_text("A stranger held the door ‏مرحبا‏")
        # The goodnight is chosen by the local date: any of them will do.
        await fake.wait_until(
            lambda: any(shows_one_of(m.text, GOODNIGHTS) for m in ana.messages[-1:]), TIMEOUT
        )
        assert await bot.terminate() == 0
    finally:
        await bot.kill()

    [(zone, status)] = rows(database_path, "SELECT timezone, status FROM users")
    assert (zone, status) == ("Europe/Berlin", "active")
    [(plan_status, act_id)] = rows(database_path, "SELECT status, act_id FROM daily_plans")
    assert plan_status == "done"
    assert act_id
    [(act_text, note)] = rows(database_path, "SELECT text, note FROM acts_done")
    assert act_text
    assert note == "She smiled 🌻"
    [reflection] = rows(
        database_path, "SELECT outcome, feeling, received, completed FROM reflections"
    )
    assert reflection == ("partly", 4, "A stranger held the door ‏مرحبا‏", 1)


async def test_the_sandbox_walks_the_same_day(tmp_path: Path) -> None:
    lines = [
        "/start",
        "Berlin",
        "1",  # Sounds good
        "1",  # the first idea
        "1",  # Yes, I'll do it
        "1",  # Done
        "It went well",
        "/reflect",
        "1",  # I did it
        "5",  # feeling 5
        "My friend made me laugh",
    ]
    status, out, err = await run_sandbox(tmp_path, {}, ("\n".join(lines) + "\n").encode())
    assert status == 0, err
    assert "Traceback" not in err
    for expected in (
        "Does that suit you?",
        "Shall we make it today's act?",
        "Today's act:",
        "How did it go?",
        "I've kept that",
        "How are you feeling right now?",
        "What kindness did you receive or witness today?",
    ):
        assert expected in out, expected
    [(received,)] = rows(tmp_path / "data" / "sandbox.sqlite3", "SELECT received FROM reflections")
    assert received == "My friend made me laugh"
