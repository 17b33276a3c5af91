"""PostgreSQL goes away in the middle of a drain, and comes back.

Every backend of the test database is terminated (``pg_terminate_backend``) while prompts are
being sent, and new connections are refused for a while (``ALLOW_CONNECTIONS false``), as
during a server restart. The dispatcher logs one line when the outage starts and one when it
ends, sends nothing while it cannot mark prompts in flight, writes the outcomes it held back
once the database answers, and every person gets their prompt exactly once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import time

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import URL, make_url

from scheduler.sender import Rendered, Sender, SendResult
from storage.engine import Database as StorageDatabase
from storage.engine import normalize_database_url
from tests.integration.scheduler.rig import Rig, build_rig, utc

PEOPLE = 40


class Database:
    """The test database as an administrator sees it: terminate backends, refuse logins."""

    def __init__(self, url: str) -> None:
        parsed = make_url(normalize_database_url(url))
        self.name = str(parsed.database)
        self.admin: URL = parsed.set(drivername="postgresql", database="postgres")

    async def _execute(self, statement: str, *args: object) -> None:
        dsn = self.admin.render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn)
        try:
            await connection.execute(statement, *args)
        finally:
            await connection.close()

    async def go_away(self) -> None:
        await self._execute(f'ALTER DATABASE "{self.name}" WITH ALLOW_CONNECTIONS false')
        await self._execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            self.name,
        )

    async def come_back(self) -> None:
        await self._execute(f'ALTER DATABASE "{self.name}" WITH ALLOW_CONNECTIONS true')


class GoesAwayAfter(Sender):
    """A sender that takes the database away right after its ``after``-th send."""

    def __init__(self, inner: Sender, database: Database, after: int) -> None:
        super().__init__(inner.bot, inner.limiter)
        self.database = database
        self.after = after
        self.sent = 0

    async def send(self, chat_id: int, content: Rendered, **kwargs: object) -> SendResult:
        result = await super().send(chat_id, content, **kwargs)  # type: ignore[arg-type]
        self.sent += 1
        if self.sent == self.after:
            await self.database.go_away()
        return result


@pytest.fixture
async def rig(db: StorageDatabase) -> AsyncIterator[Rig]:
    """A pipeline at SEND_RATE 25 on the manual clock (sends are spaced, as in production)."""
    built = build_rig(db, utc(2026, 3, 2, 8), rate=25)
    await built.delivery.sender.bot.initialize()
    yield built
    await built.delivery.sender.bot.shutdown()


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
async def test_backends_terminated_mid_drain_every_prompt_goes_out_once(
    rig: Rig, postgres_database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    database = Database(postgres_database_url)
    for _ in range(PEOPLE):
        await rig.add_user("UTC", time(8, 0), time(20, 0))
    await rig.delivery.tick()
    sender = GoesAwayAfter(rig.delivery.sender, database, after=PEOPLE // 3)
    rig.delivery.sender = sender
    try:
        await rig.delivery.deliver_round()  # the database goes away mid-batch
        assert sender.sent < PEOPLE
        for _ in range(3):  # rounds during the outage: nothing is sent, nothing is logged
            before = sender.sent
            await rig.delivery.deliver_round()
            await rig.delivery.tick()
            assert sender.sent == before
    finally:
        await database.come_back()
    await rig.delivery.deliver_round()
    await rig.delivery.deliver_round()

    received = Counter(p["chat_id"] for p in rig.sends())
    assert len(received) == PEOPLE
    assert set(received.values()) == {1}, received  # exactly once, in-flight ones included
    today = [r for r in await rig.rows() if r.slot == "morning" and r.due_at <= rig.clock.now()]
    assert Counter(str(r.state) for r in today) == {"sent": PEOPLE}
    lines = [r.getMessage() for r in caplog.records if r.name == "scheduler.delivery"]
    assert sum("database is unreachable" in line for line in lines) == 1, lines
    assert sum("database answers again" in line for line in lines) == 1, lines
    assert rig.delivery.stats.database_outages == 1
