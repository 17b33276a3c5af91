"""Benchmark 2: a rate-limited drain of prompts all due at the same minute.

The whole bot runs (``bot.runner.serve``: polling, handlers, the tick, the dispatcher) against
the loopback fake enforcing Telegram's limits (30 messages/s overall, 1/s per chat). While the
prompts drain, a person sends /help about every 1.2 s (their chat allows one reply per second);
the latency of each reply is measured from the message to the bot's answer arriving in the fake.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import TOKEN, insert_people, on_fake, percentile, start_fake, table
from bot.config import load_settings
from bot.runner import Runtime, serve
from scheduler.ledger import state_counts
from storage.engine import Database
from storage.migrate import upgrade_to_head
from storage.models import PromptState


def busiest_second(instants: Sequence[float]) -> int:
    """The most of the sorted ``instants`` in any sliding second (as Telegram counts)."""
    most, first = 0, 0
    for last, at in enumerate(instants):
        while instants[first] <= at - 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


class GcPauses:
    """Times the garbage collector's stop-the-world passes (they stall every thread)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.longest = max(self.longest, time.perf_counter() - self._started)


async def run(count: int, send_rate: float, global_limit: int) -> str:
    """Drain ``count`` prompts at ``send_rate``; return the table."""
    pauses = GcPauses()
    gc.callbacks.append(pauses)
    try:
        return await _run(count, send_rate, global_limit, pauses)
    finally:
        gc.callbacks.remove(pauses)


async def _run(count: int, send_rate: float, global_limit: int, pauses: GcPauses) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "drain.sqlite3"
        url = f"sqlite:///{path}"
        await upgrade_to_head(url)
        now = datetime.now(UTC)
        due = (now + timedelta(seconds=75)).replace(second=0, microsecond=0)
        evening = (due + timedelta(hours=12)).time()
        insert_people(path, count, morning=due.time(), evening=evening)
        fake, thread = start_fake(count)
        fake.faults.enforce_limits(global_per_second=global_limit, per_chat_per_second=1)
        asker = fake.add_user(first_name="Asker", user_id=42)
        settings = load_settings(
            None,
            telegram_bot_token=TOKEN,
            telegram_base_url=thread.base_url,
            database_url=url,
            send_rate=send_rate,
            log_level="WARNING",
        )
        stop = asyncio.Event()
        runtime = Runtime(token=TOKEN)
        bot = asyncio.create_task(serve(settings, stop, runtime))
        latencies: list[float] = []
        try:
            await asyncio.wait_for(runtime.ready.wait(), 60)
            db = Database(url)
            await asyncio.sleep((due - datetime.now(UTC)).total_seconds())
            deadline = time.monotonic() + count / send_rate * 1.5 + 60
            while time.monotonic() < deadline:
                started = answered = time.perf_counter()
                await on_fake(thread, asker.send_command("/help"))
                with contextlib.suppress(TimeoutError):
                    await on_fake(thread, asker.wait_for_messages(1, timeout=10))
                    answered = time.perf_counter()
                    latencies.append(answered - started)
                async with db.session() as session:
                    counts = await state_counts(session, due, due + timedelta(minutes=1))
                if counts[PromptState.PLANNED] == 0 and counts[PromptState.CLAIMED] == 0:
                    break
                # Telegram allows one message per second per chat: ask about every 1.2 s, and
                # (like a person reading the answer) not within a second of the last reply.
                elapsed = time.perf_counter()
                await asyncio.sleep(max(0.0, started + 1.2 - elapsed, answered + 1.05 - elapsed))
            async with db.session() as session:
                connection = await session.connection()
                span_row: Any = (
                    await connection.exec_driver_sql(
                        "SELECT min(sent_at), max(sent_at) FROM prompts WHERE state = 'sent'"
                    )
                ).one()
                first, last = str(span_row[0]), str(span_row[1])
            await db.dispose()
        finally:
            stop.set()
            await asyncio.wait_for(bot, 30)
            thread.stop()
    span = (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds()
    sent = counts[PromptState.SENT]
    rate = (sent - 1) / span if span > 0 else float("nan")
    missed = count - sent
    lag = (datetime.fromisoformat(first).replace(tzinfo=UTC) - due).total_seconds()
    others = {k.value: v for k, v in counts.items() if v and k is not PromptState.SENT}
    sends = fake.calls_to("sendMessage")
    limited = [c for c in sends if c.status == 429]
    busiest = busiest_second(sorted(c.at for c in sends if c.status == 200))
    to_asker = sum(1 for c in limited if c.params.get("chat_id") == asker.id)
    return table(
        f"2. Rate-limited drain: {count} prompts due at one minute, SEND_RATE={send_rate:g}, "
        f"fake limits {global_limit}/s and 1/s per chat",
        [
            ("achieved rate", f"{rate:7.2f} msg/s = {rate / send_rate:.1%} of SEND_RATE"),
            ("drain time", f"{span:7.1f} s (first to last prompt)"),
            (
                "first prompt after due",
                f"{lag:7.2f} s",
            ),
            (
                "429 answers",
                f"{len(limited):7d}  ({len(limited) - to_asker} to prompts, "
                f"{to_asker} to the interactive chat)",
            ),
            ("busiest second at the fake", f"{busiest:7d} messages (its limit: {global_limit})"),
            ("longest collection pause", f"{pauses.longest * 1000:7.0f} ms (the whole process)"),
            (
                "missed (not sent)",
                f"{missed:7d}  {others}",
            ),
            ("interactive replies", f"{len(latencies):7d}"),
            ("reply latency p50", f"{percentile(latencies, 0.5) * 1000:7.0f} ms"),
            ("reply latency p95", f"{percentile(latencies, 0.95) * 1000:7.0f} ms (target < 500)"),
            ("reply latency max", f"{max(latencies, default=float('nan')) * 1000:7.0f} ms"),
        ],
    )
