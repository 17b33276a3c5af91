"""Three instances on PostgreSQL, one send budget: a 1,000-person burst, and kill -9 of the sender.

Three ``python -m bot`` processes share one database and one loopback fake Bot API that
enforces Telegram's limits (30 messages/s overall, 1/s per chat, 1000/s paid broadcasts), once
at the free SEND_RATE 25 and once with paid broadcasts at SEND_RATE 1000. They receive updates by
webhook, each on a port of its own (Telegram allows one long-polling client per bot; the fake
answers a second one 409 as Telegram does). Only the holder of the sender lease claims and
sends. Once 400 prompts have arrived, the holder is killed with SIGKILL; another instance takes
the lease over when it expires and finishes the burst.

Asserted (what does not depend on the machine's speed): nobody is left without their prompt,
duplicates are at most the rows in flight at the kill, the fake never answers 429, sending
resumed after the kill, and the rows were sent by the first holder before the kill and by one
successor after it, never by two instances at once. The rate and the time to resume are
printed (``docs/performance.md``, "Several instances").
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bench.common import FIRST_TELEGRAM_ID, TOKEN
from bench.drain import busiest_second
from bot.sandbox.http_server import FakeTelegramServer
from scheduler.lease import LEASE_TTL
from storage.engine import Database
from storage.models import Prompt, PromptSlot, PromptState
from storage.models import SendLease as SendLeaseRow
from tests.fakes.process import BotProcess
from tests.fakes.tcp_proxy import free_port
from tests.integration.scheduler.test_crash import (
    PEOPLE,
    WAIT,
    add_people,
    burst_url,  # noqa: F401 - a fixture
    fake_with_people,
    flood_report,
    mornings,
    no_gc_pauses,  # noqa: F401 - a fixture
)

pytestmark = pytest.mark.e2e

INSTANCES = 3
KILL_AT = 400  # prompts arrived at the fake when the sending instance is killed
RATES = [
    pytest.param(25, False, 2.0, id="free-25"),
    # Paid broadcasts: the fake takes up to 1000/s of them (and 30/s of the others). The 400
    # prompts before the kill take a second or two, so the warm-up left out is shorter.
    pytest.param(1000, True, 0.3, id="paid-1000"),
]
# ``warm_up`` (per rate): seconds after the first send left out of the rate (start-up: the
# first claims, the limiter filling its window).

_PROMPTS: Any = Prompt.__table__  # type: ignore[attr-defined]
_LEASES: Any = SendLeaseRow.__table__  # type: ignore[attr-defined]


def pid_of(instance: str) -> int:
    """The process id in an instance's name (``host:pid:suffix``, ``instance_id``)."""
    return int(instance.split(":")[-2])


def rate(times: list[float]) -> float:
    """Sends per second between the first and the last of ``times``."""
    if len(times) < 2 or times[-1] <= times[0]:
        return 0.0
    return (len(times) - 1) / (times[-1] - times[0])


async def lease_holder(db: Database) -> str | None:
    async with db.session() as session:
        result = await (await session.connection()).execute(select(_LEASES.c.holder))
        return result.scalar()


async def senders(db: Database, day: Any) -> list[tuple[str | None, datetime | None]]:
    """(claimed_by, sent_at) of every morning row of ``day`` that was sent."""
    async with db.session() as session:
        result = await (await session.connection()).execute(
            select(_PROMPTS.c.claimed_by, _PROMPTS.c.sent_at).where(
                _PROMPTS.c.slot == PromptSlot.MORNING,
                _PROMPTS.c.local_date == day,
                _PROMPTS.c.state == PromptState.SENT,
            )
        )
        return [(row.claimed_by, row.sent_at) for row in result.all()]


@pytest.mark.usefixtures("no_gc_pauses")
@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
@pytest.mark.parametrize(("send_rate", "paid", "warm_up"), RATES)
async def test_three_instances_share_one_send_budget_and_survive_kill_9_of_the_sender(
    burst_url: str,  # noqa: F811 - the imported fixture
    tmp_path: Path,
    send_rate: int,
    paid: bool,
    warm_up: float,
) -> None:
    db = Database(burst_url)
    bots: list[BotProcess] = []
    try:
        now = datetime.now(UTC)
        today = now.astimezone(ZoneInfo(await add_people(db, now))).date()
        fake = fake_with_people()
        chats = [FIRST_TELEGRAM_ID + n for n in range(PEOPLE)]

        def reached(count: int) -> bool:
            return sum(fake.chats[c].bot_messages_sent for c in chats) >= count

        async with FakeTelegramServer(fake) as server:
            for n in range(INSTANCES):
                port = free_port()
                env = {
                    "TELEGRAM_BOT_TOKEN": TOKEN,
                    "TELEGRAM_BASE_URL": server.base_url,
                    "DATABASE_URL": burst_url,
                    "SEND_RATE": str(send_rate),
                    "PAID_BROADCAST": "true" if paid else "false",
                    "LOG_LEVEL": "INFO",
                    # Behind a load balancer they would share one URL; each sets its own here.
                    "WEBHOOK_URL": f"http://127.0.0.1:{port}/kindling/updates",
                    "WEBHOOK_SECRET": f"instance-{n}-secret",
                    "WEBHOOK_LISTEN": "127.0.0.1",
                    "WEBHOOK_PORT": str(port),
                }
                (tmp_path / f"i{n}").mkdir()
                bots.append(await BotProcess.start(tmp_path / f"i{n}", env))
            for bot in bots:
                await bot.wait_for_log("Kindling is running", WAIT)
            all_ready = time.time()  # the rate is measured from here: start-up takes CPU
            await fake.wait_until(partial(reached, KILL_AT), WAIT)
            holder = await lease_holder(db)
            assert holder is not None
            [victim] = [b for b in bots if b.process.pid == pid_of(holder)]
            await victim.kill()  # SIGKILL: the lease is neither renewed nor released
            killed_at = time.time()
            killed_utc = datetime.now(UTC)
            states = await mornings(db, today)
            # Still going: at 1000/s a claim takes half of the burst at once, so what is left
            # may all be claimed by the victim (given back once its lease expires).
            assert states[PromptState.SENT] < PEOPLE, "the burst must still be going"
            in_flight = states[PromptState.SENDING]
            retries = states["waiting to repeat"]
            await fake.wait_until(
                lambda: all(fake.chats[c].bot_messages_sent for c in chats), WAIT
            )
            # Who ever held the lease, before the stops hand it round (a released lease is
            # taken by a survivor still running).
            holds = [b for b in bots if b.matching("this instance holds the sender lease")]
            survivors = [b for b in bots if b is not victim]
            for bot in survivors:
                assert await bot.terminate(30) == 0, bot.stderr
        states = await mornings(db, today)
        sent_by = await senders(db, today)
        successor = await lease_holder(db)  # released at the clean stop: nobody
    finally:
        for bot in bots:
            await bot.kill()
        await db.dispose()

    received = Counter(fake.chats[c].bot_messages_sent for c in chats)
    duplicates = sum((n - 1) * people for n, people in received.items())
    assert received[0] == 0  # nobody without their morning
    in_doubt = in_flight + retries + states["waiting to repeat"]
    assert duplicates <= in_doubt, (received, in_flight, retries, states)
    assert fake.faults.stats.rate_limited == 0, flood_report(fake)
    assert set(states) <= {PromptState.SENT, "waiting to repeat"}, states
    assert successor is None  # the survivors released the lease at their clean stop

    # One sender at a time: the victim before the kill, one successor after it.
    by_instance = Counter(instance for instance, _ in sent_by)
    assert holder in by_instance
    assert len(by_instance) == 2, by_instance
    [taker] = [i for i in by_instance if i != holder]
    assert taker is not None
    assert all(at is not None and at > killed_utc for i, at in sent_by if i == taker)
    holders = {b.process.pid for b in holds}  # the victim and its successor, nobody else
    assert len(holds) == 2, [b.stderr for b in bots]
    assert holders == {pid_of(holder), pid_of(taker)}

    # Resumed: the successor's first prompt (a request the victim left in a socket buffer
    # may still reach the fake after the kill, so the fake's clock cannot tell).
    first = min(at for i, at in sent_by if i == taker and at is not None)
    resumed_in = (first - killed_utc).total_seconds()
    sends = sorted(c.at for c in fake.calls if c.method == "sendMessage" and c.status == 200)
    before = [at for at in sends if max(sends[0] + warm_up, all_ready) <= at <= killed_at]
    resumed = [at for at in sends if at >= first.timestamp() + warm_up]
    print(
        f"\ninstances: {INSTANCES}, SEND_RATE {send_rate}: rate {rate(before):.2f}/s before the "
        f"kill ({rate(before) / send_rate:.1%}), {rate(resumed):.2f}/s after it "
        f"({rate(resumed) / send_rate:.1%}); resumed {resumed_in:.2f} s after kill -9 "
        f"(lease {LEASE_TTL.total_seconds():.0f} s); in flight at the kill {in_flight}, "
        f"duplicates {duplicates}, 429s {fake.faults.stats.rate_limited}, busiest second "
        f"{busiest_second(sends)}, rows {dict(states)}"
    )
