"""Paid broadcasts: above Telegram's free 30 messages a second, prompts go out paid or get 429s.

The fake enforces Telegram's limits (30/s unpaid, 1000/s with ``allow_paid_broadcast``, 1/s
per chat) on the manual clock; the pipeline drains a morning at SEND_RATE 200.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench import drain
from bot.config import load_settings
from bot.runner import Runtime, serve
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.request import FakeRequest
from scheduler.clock import ManualClock
from storage.engine import Database
from storage.migrate import upgrade_to_head
from tests.integration.scheduler.rig import TOKEN, Rig, add_started_people, build_rig, utc

PEOPLE = 2_000
RATE = 200
DUE = utc(2026, 3, 2, 8)
WAIT = 10.0  # a bound for waiting on events, never a timing assertion


async def add_people(db: Database, fake: FakeTelegram, count: int, now: datetime) -> list[int]:
    """``count`` active people due at 08:00 UTC, who pressed Start in the fake."""
    return await add_started_people(db, fake, count, now, first_id=60_000)


@pytest.fixture(params=[True, False], ids=["paid", "unpaid"])
async def morning(request: pytest.FixtureRequest, sqlite_db: Database) -> AsyncIterator[Rig]:
    """2,000 people due at 08:00, a pipeline at SEND_RATE 200, paid or not."""
    rig = build_rig(sqlite_db, DUE, rate=RATE, paid_broadcast=request.param)
    rig.fake.faults.enforce_limits()  # Telegram's: 30/s, 1000/s paid, 1/s per chat
    await add_people(sqlite_db, rig.fake, PEOPLE, DUE)
    await rig.delivery.sender.bot.initialize()
    yield rig
    await rig.delivery.sender.bot.shutdown()


def busiest_second(rig: Rig) -> int:
    """The most messages the fake accepted within one second of its clock (sliding)."""
    return drain.busiest_second(
        sorted(c.at for c in rig.fake.calls_to("sendMessage") if c.status == 200)
    )


async def test_a_drain_at_200_per_second_is_refused_unless_it_pays(morning: Rig) -> None:
    rig = morning
    paid = rig.delivery.sender.paid_broadcast
    await rig.cycle()
    elapsed = rig.manual.monotonic() - DUE.timestamp()

    assert (await rig.states())["sent"] == PEOPLE
    sends = rig.fake.calls_to("sendMessage")
    flags = Counter(call.params.get("allow_paid_broadcast") for call in sends)
    if paid:
        # Every request paid, none refused, and the drain really went over the free limit.
        assert flags == {True: PEOPLE}
        assert rig.fake.faults.stats.rate_limited == 0
        assert rig.delivery.sender.flood_pauses == 0
        assert busiest_second(rig) > 30
        assert PEOPLE / elapsed > 30  # on average too (about 117/s: the rig's sleeps overlap)
    else:
        # The same rate without paying: Telegram's flood control answers 429 again and again;
        # the prompts still all go out once, later, paced by its retry_after.
        assert None in flags
        assert True not in flags
        assert rig.fake.faults.stats.rate_limited > 0
        assert rig.delivery.sender.flood_pauses == rig.fake.faults.stats.rate_limited
        assert busiest_second(rig) <= 30
        assert elapsed >= (PEOPLE - 30) / 30
    chats = Counter(call.params["chat_id"] for call in sends if call.status == 200)
    assert len(chats) == PEOPLE
    assert set(chats.values()) == {1}


@pytest.mark.parametrize("paid_broadcast", [True, False])
async def test_serve_sends_prompts_paid_only_with_paid_broadcast(
    tmp_path: Path, paid_broadcast: bool
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'k.sqlite3'}"
    now = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)
    fake = FakeTelegram(token=TOKEN)
    fake.faults.enforce_limits()
    await upgrade_to_head(url)
    db = Database(url)
    ids = await add_people(db, fake, 3, now)
    await db.dispose()
    settings = load_settings(
        None,
        telegram_bot_token=TOKEN,
        database_url=url,
        send_rate=RATE if paid_broadcast else 25,
        paid_broadcast=paid_broadcast,
    )
    runtime = Runtime(
        clock=ManualClock(now), token=TOKEN, request_factory=lambda: FakeRequest(fake)
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop, runtime))
    try:
        await fake.wait_until(lambda: all(fake.bot_messages(i) for i in ids), timeout=WAIT)
    finally:
        stop.set()
        await asyncio.wait_for(task, WAIT)
    prompts = [c for c in fake.calls_to("sendMessage") if c.params["chat_id"] in ids]
    assert len(prompts) == 3
    expected = True if paid_broadcast else None
    assert [c.params.get("allow_paid_broadcast") for c in prompts] == [expected] * 3
    assert {c.status for c in prompts} == {200}
