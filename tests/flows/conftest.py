"""Flow tests run the real Application on SQLite (fast); storage tests cover PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.engine import Database
from tests.fakes.harness import Harness, running_bot


@pytest.fixture
async def bot(sqlite_db: Database) -> AsyncIterator[Harness]:
    async with running_bot(sqlite_db) as harness:
        yield harness
