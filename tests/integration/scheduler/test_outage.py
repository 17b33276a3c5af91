"""PostgreSQL goes away in the middle of a drain, and comes back.

Every backend of the test database is terminated (``pg_terminate_backend``) while prompts are
being sent, and new connections are refused for a while, as during a server restart. One line
is logged when the outage starts and one when it ends (the database's outage tracker, shared
with the handlers); the dispatcher sends nothing while it cannot mark prompts in flight,
writes the outcomes it held back once the database answers, and every person gets their
prompt exactly once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import time, timedelta

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import URL, make_url

from scheduler.sender import Rendered, Sender, SendResult
from storage.availability import DatabaseOutage
from storage.engine import Database as StorageDatabase
from storage.engine import normalize_database_url
from tests.fakes.tcp_proxy import TcpProxy
from tests.integration.scheduler.rig import Rig, build_rig, utc

PEOPLE = 40


class Database:
    """The test database as an operator sees it during a restart.

    The bot reaches it through a loopback proxy: going away terminates every backend of the
    database (``pg_terminate_backend``) and stops the proxy, so new connections are refused
    as by a stopped server; coming back starts the proxy again on the same port.
    """

    def __init__(self, url: str) -> None:
        parsed = make_url(normalize_database_url(url))
        self.name = str(parsed.database)
        self.admin: URL = parsed.set(drivername="postgresql", database="postgres")
        self.proxy = TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432)
        self.url = parsed.set(host="127.0.0.1", port=self.proxy.port).render_as_string(
            hide_password=False
        )

    async def go_away(self) -> None:
        # The proxy stops first: terminating first left a moment in which the bot's pool could
        # open a fresh connection through it, which then outlived the "outage" (a flaky run).
        await self.proxy.stop()
        connection = await asyncpg.connect(self.admin.render_as_string(hide_password=False))
        try:
            await connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid <> pg_backend_pid()",
                self.name,
            )
        finally:
            await connection.close()

    async def come_back(self) -> None:
        await self.proxy.start()


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
async def database(db: StorageDatabase, postgres_database_url: str) -> AsyncIterator[Database]:
    """The migrated, empty test database (``db``), reached through a proxy."""
    database = Database(postgres_database_url)
    await database.come_back()
    yield database
    await database.proxy.stop()


@pytest.fixture
async def rig(database: Database) -> AsyncIterator[Rig]:
    """A pipeline at SEND_RATE 25 on the manual clock (sends are spaced, as in production)."""
    built = build_rig(StorageDatabase(database.url), utc(2026, 3, 2, 8), rate=25)
    await built.delivery.sender.bot.initialize()
    yield built
    await built.delivery.sender.bot.shutdown()
    await built.db.dispose()


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
async def test_backends_terminated_mid_drain_every_prompt_goes_out_once(
    rig: Rig, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    rig.db.outage = DatabaseOutage(rig.manual.monotonic)  # the outage log on the test's clock
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
    rig.clock.advance(timedelta(seconds=31))  # the tracker's settling time: it is back for good
    await rig.delivery.deliver_round()

    received = Counter(p["chat_id"] for p in rig.sends())
    assert len(received) == PEOPLE
    assert set(received.values()) == {1}, received  # exactly once, in-flight ones included
    today = [r for r in await rig.rows() if r.slot == "morning" and r.due_at <= rig.clock.now()]
    assert Counter(str(r.state) for r in today) == {"sent": PEOPLE}
    lines = [r.getMessage() for r in caplog.records if r.name == "storage.availability"]
    assert sum("database unavailable" in line for line in lines) == 1, lines
    assert sum("database answering again" in line for line in lines) == 1, lines
    assert rig.delivery.stats.database_outages == 1
