"""Fixtures for the delivery pipeline tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.engine import Database
from tests.integration.scheduler.rig import Rig, build_rig, utc


@pytest.fixture
async def rig(sqlite_db: Database) -> AsyncIterator[Rig]:
    """A pipeline on SQLite starting 2026-03-02 12:00 UTC, no global rate limit."""
    built = build_rig(sqlite_db, utc(2026, 3, 2, 12))
    await built.delivery.sender.bot.initialize()
    yield built
    await built.delivery.sender.bot.shutdown()


@pytest.fixture
async def any_rig(db: Database) -> AsyncIterator[Rig]:
    """The same on SQLite and PostgreSQL."""
    built = build_rig(db, utc(2026, 3, 2, 12))
    await built.delivery.sender.bot.initialize()
    yield built
    await built.delivery.sender.bot.shutdown()
