"""Flow tests run the real Application on SQLite (fast); storage tests cover PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.engine import Database
from tests.fakes.harness import Harness, running_bot
from tests.fakes.updates import TALLY


@pytest.fixture
async def bot(sqlite_db: Database) -> AsyncIterator[Harness]:
    async with running_bot(sqlite_db) as harness:
        yield harness


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many generated updates the fuzz tests (test_fuzz.py) pushed through the bot."""
    line = TALLY.summary()
    if line is not None:
        terminalreporter.write_line(line)
