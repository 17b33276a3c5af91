"""Flow tests run the real Application on SQLite (fast); storage tests cover PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import pytest

from bot.outbox import compose_messages
from bot.sandbox.request import fake_bot
from bot.services.prompts import PromptKey
from bot.ui.screens import Screen
from scheduler.delivery import Delivery
from scheduler.sender import RateLimiter, Sender
from storage.engine import Database
from tests.fakes.harness import Harness, running_bot
from tests.fakes.updates import TALLY


@pytest.fixture
async def bot(sqlite_db: Database) -> AsyncIterator[Harness]:
    async with running_bot(sqlite_db) as harness:
        yield harness


@pytest.fixture
async def delivery(bot: Harness) -> AsyncIterator[Delivery]:
    """The real dispatcher and sender against the harness's fake, database and clock."""
    sender_bot = fake_bot(bot.fake)
    await sender_bot.initialize()

    async def compose(keys: Sequence[PromptKey]) -> list[Screen | None]:
        return await compose_messages(bot.db, bot.clock, keys)

    yield Delivery(bot.db, bot.clock, Sender(sender_bot, RateLimiter(None)), compose)
    await sender_bot.shutdown()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many generated updates the fuzz tests (test_fuzz.py) pushed through the bot."""
    line = TALLY.summary()
    if line is not None:
        terminalreporter.write_line(line)
