"""The scheduler inside ``serve``: prompts go out, a second SQLite instance is refused,
``kindling status`` counts today's rows, several instances share PostgreSQL safely."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import text

from bot import cli
from bot.config import ConfigError, load_settings
from bot.instance_lock import AlreadyRunning, InstanceLock
from bot.runner import Runtime, serve
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.request import FakeRequest, fake_bot
from scheduler import ledger
from scheduler.clock import ManualClock
from scheduler.delivery import Delivery, one_by_one
from scheduler.sender import RateLimiter, Sender
from storage.engine import Database
from storage.migrate import upgrade_to_head
from storage.models import PromptState
from tests.integration.scheduler.rig import TOKEN, Content, add_started_people, utc

WAIT = 10.0  # a bound for waiting on events, never a timing assertion


async def add_people(db: Database, count: int, now: datetime, fake: FakeTelegram) -> None:
    await add_started_people(
        db, fake, count, now, first_id=70_000, timezone="Europe/Berlin", morning=time(9, 0)
    )


async def test_serve_sends_due_prompts_through_its_own_bot(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'k.sqlite3'}"
    now = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)  # 09:00:05 in Berlin
    fake = FakeTelegram(token=TOKEN)
    await upgrade_to_head(url)
    db = Database(url)
    await add_people(db, 3, now, fake)
    await db.dispose()
    settings = load_settings(None, telegram_bot_token=TOKEN, database_url=url)
    runtime = Runtime(
        clock=ManualClock(now), token=TOKEN, request_factory=lambda: FakeRequest(fake)
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop, runtime))
    try:
        await fake.wait_until(
            lambda: all(fake.bot_messages(70_000 + n) for n in range(3)), timeout=WAIT
        )
        with pytest.raises(AlreadyRunning, match="already running"):
            await serve(settings, asyncio.Event(), runtime)
    finally:
        stop.set()
        await asyncio.wait_for(task, WAIT)
    chats = Counter(call.params["chat_id"] for call in fake.calls_to("sendMessage"))
    assert chats == {70_000: 1, 70_001: 1, 70_002: 1}
    report = await cli.status_report(url, ManualClock(now))
    assert "sent                 3" in report
    assert "planned              3" in report  # the evening prompts


def test_instance_lock_refuses_a_second_holder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    first, second = InstanceLock(url), InstanceLock(url)
    first.acquire()
    with pytest.raises(AlreadyRunning) as refused:
        second.acquire()
    assert isinstance(refused.value, ConfigError)  # so the CLI exits 2 with one line
    assert "\n" not in str(refused.value)
    first.release()
    second.acquire()
    second.release()
    InstanceLock("sqlite:///:memory:").acquire()  # nothing to lock


def test_cli_refuses_a_second_instance_with_exit_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", url)
    holder = InstanceLock(url)
    holder.acquire()
    try:
        assert cli.main(["run"]) == cli.EXIT_CONFIG
    finally:
        holder.release()
    err = capsys.readouterr().err
    assert err.startswith("kindling: DATABASE_URL: another Kindling is already running")
    assert err.count("\n") == 1


async def test_cli_status_on_an_empty_database(sqlite_db: Database) -> None:
    report = await cli.status_report(sqlite_db.url, ManualClock(utc(2026, 3, 2)))
    assert report.splitlines()[0] == (
        "prompts for each person's local today (at 2026-03-02 00:00 UTC), by state:"
    )
    assert ["total", "0"] in [line.split() for line in report.splitlines()]
    # The helplines were all checked on 2026-12-02: none is due yet on that clock's day...
    assert report.splitlines()[-1].startswith("helplines: every entry was checked")


async def test_cli_status_lists_helplines_due_for_a_check(sqlite_db: Database) -> None:
    later = await cli.status_report(sqlite_db.url, ManualClock(utc(2028, 1, 10)))
    lines = later.splitlines()
    [heading] = [line for line in lines if line.startswith("helplines:")]
    assert "checked more than 12 months ago" in heading
    assert any(line.split()[:2] == ["DE", "TelefonSeelsorge"] for line in lines)
    assert any(line.split()[:2] == ["DE", "emergency"] for line in lines)


@pytest.mark.postgres
async def test_two_instances_on_postgresql_send_each_prompt_once(
    postgres_database_url: str,
) -> None:
    await upgrade_to_head(postgres_database_url)
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    fake = FakeTelegram(token=TOKEN)
    dbs = [Database(postgres_database_url) for _ in range(2)]
    try:
        async with dbs[0].session() as session:
            await (await session.connection()).exec_driver_sql(
                "TRUNCATE prompts, users RESTART IDENTITY CASCADE"
            )
        await add_people(dbs[0], 300, now, fake)
        clock = ManualClock(now)

        async def compose(user_id: int, slot: str, local_date: date) -> Content:
            await asyncio.sleep(0)  # let the other instance interleave
            return Content(f"{slot} {local_date} u{user_id}")

        deliveries = []
        for n, db in enumerate(dbs):
            bot = fake_bot(fake)
            await bot.initialize()
            sender = Sender(bot, RateLimiter(None, per_chat_interval=0))
            deliveries.append(
                Delivery(db, clock, sender, one_by_one(compose), instance=f"i{n}", batch_size=7)
            )
        await asyncio.gather(*(d.plan_all() for d in deliveries))
        await asyncio.gather(*(d.deliver_due() for d in deliveries))
        chats = Counter(call.params["chat_id"] for call in fake.calls_to("sendMessage"))
        assert len(chats) == 300
        assert set(chats.values()) == {1}
        claimers = {d.instance: d.stats.outcomes["sent"] for d in deliveries}
        assert sum(claimers.values()) == 300
        assert all(count > 0 for count in claimers.values())  # both took part
        async with dbs[0].session() as session:
            counts = await ledger.state_counts(session, utc(2026, 3, 2), utc(2026, 3, 3))
            rows = await (await session.connection()).execute(
                text("SELECT count(DISTINCT claimed_by) FROM prompts WHERE state = 'sent'")
            )
            assert rows.scalar() == 2
        assert counts[PromptState.SENT] == 300
    finally:
        for db in dbs:
            await db.dispose()
