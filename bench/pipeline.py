"""Benchmark 1: the prompt pipeline against a bare python-telegram-bot send loop.

Both send the same number of messages to the same loopback HTTP fake (a process of its own,
see :mod:`bench.fake_process`), with the same HTTP concurrency, rate limit off. The pipeline
claims rows, renders them with the real ``compose_messages``, sends through
:class:`~scheduler.sender.Sender` over the prompt sender's own request
(:class:`~bot.prompt_request.PromptRequest`, aiohttp, as the bot runs) and records outcomes.
The bare loop runs twice: over PTB's default ``HTTPXRequest`` (the library's own speed) and
over the same request as the pipeline (what the pipeline's own work costs).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram import Bot
from telegram.request import BaseRequest, HTTPXRequest

from bench.common import FIRST_TELEGRAM_ID, TOKEN, insert_people, table
from bench.fake_process import fake_in_own_process
from bot.outbox import compose_messages
from bot.prompt_request import PromptRequest
from bot.services.prompts import PromptKey
from bot.ui.screens import Screen
from scheduler.clock import SystemClock
from scheduler.delivery import Delivery
from scheduler.sender import RateLimiter, Sender
from storage.engine import Database
from storage.migrate import upgrade_to_head

CONCURRENCY = 64


ROUNDS = 3


async def run(count: int) -> str:
    """Send ``count`` prompts both ways, ``ROUNDS`` times each; return the table.

    Each measurement gets a fresh fake, so neither side pays for the calls the fake recorded
    for the other, and the rounds alternate; the medians are compared.
    """
    bare: list[float] = []
    bare_same: list[float] = []
    pipeline: list[float] = []
    sent = 0
    for _ in range(ROUNDS):
        with fake_in_own_process(count) as base_url:
            bare.append(await _bare_loop(base_url, count, _request()))
        with fake_in_own_process(count) as base_url:
            bare_same.append(await _bare_loop(base_url, count, PromptRequest(CONCURRENCY)))
        with fake_in_own_process(count) as base_url:
            rate, sent = await _pipeline(base_url, count)
            pipeline.append(rate)
    bare_median, pipeline_median = statistics.median(bare), statistics.median(pipeline)
    same_median = statistics.median(bare_same)
    return table(
        f"1. Pipeline throughput, {count} prompts, rate limit off, loopback HTTP fake "
        f"(median of {ROUNDS})",
        [
            ("bare PTB send loop (HTTPX)", f"{bare_median:8.0f} msg/s  {_spread(bare)}"),
            ("bare loop, sender's request", f"{same_median:8.0f} msg/s  {_spread(bare_same)}"),
            ("claim+render+send+record", f"{pipeline_median:8.0f} msg/s  {_spread(pipeline)}"),
            ("pipeline / bare PTB", f"{pipeline_median / bare_median:8.0%}   (target >= 80%)"),
            ("pipeline / bare, same request", f"{pipeline_median / same_median:8.0%}"),
            ("sent by the last pipeline run", f"{sent:8d}"),
        ],
    )


def _spread(values: list[float]) -> str:
    return "(" + ", ".join(f"{v:.0f}" for v in values) + ")"


def _request() -> HTTPXRequest:
    return HTTPXRequest(connection_pool_size=CONCURRENCY, pool_timeout=30.0)


async def _bare_loop(base_url: str, count: int, request: BaseRequest) -> float:
    bot = Bot(TOKEN, base_url=base_url, request=request)
    await bot.initialize()
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(n: int) -> None:
        async with gate:
            await bot.send_message(FIRST_TELEGRAM_ID + n, f"Good morning {n}")

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(count)))
    elapsed = time.perf_counter() - started
    await bot.shutdown()
    return count / elapsed


async def _pipeline(base_url: str, count: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        url = f"sqlite:///{path}"
        await upgrade_to_head(url)
        due = datetime.now(UTC) - timedelta(minutes=1)
        morning = due.time().replace(microsecond=0)
        evening = (due + timedelta(hours=12)).time().replace(microsecond=0)
        # Mornings only: an evening 12 hours on has already passed today when the benchmark
        # runs in the afternoon (UTC), and would be sent too, doubling the count by the clock.
        insert_people(path, count, morning=morning, evening=evening, evenings=False)
        db = Database(url)
        clock = SystemClock()
        request = PromptRequest(CONCURRENCY)
        await request.initialize()
        bot = Bot(TOKEN, base_url=base_url, request=request)

        async def compose(keys: Sequence[PromptKey]) -> list[Screen | None]:
            return await compose_messages(db, clock, keys)

        delivery = Delivery(
            db,
            clock,
            Sender(bot, RateLimiter(None, per_chat_interval=0), max_in_flight=CONCURRENCY),
            compose,
            # No more in flight than the pool has connections, as the bare loop: requests
            # queued inside httpcore's pool cost a scan of the pool each time one finishes.
            batch_size=CONCURRENCY,
        )
        await delivery.plan_all()
        started = time.perf_counter()
        await delivery.deliver_due()
        elapsed = time.perf_counter() - started
        await request.shutdown()
        await db.dispose()
        sent = delivery.stats.outcomes["sent"]
        return sent / elapsed, sent
