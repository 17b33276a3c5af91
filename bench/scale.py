"""Benchmarks 3 and 4: the ledger at up to 1,000,000 people on SQLite, and per-person
``JobQueue.run_daily`` jobs beside it. Each size runs in a fresh subprocess, so start-up time
and peak RSS are those of a process that does only that."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from typing import Any

from bench.common import TOKEN, insert_people, percentile, rss_mb, table

_PROCESS_STARTED = time.perf_counter()

ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "America/Los_Angeles",
)


def _child(kind: str, argument: str) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.scale", kind, argument],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def ledger_table(sizes: list[int]) -> str:
    """Build a database per size, measure it in a child process; return the table."""
    from storage.migrate import upgrade_to_head

    rows: list[tuple[str, str]] = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "scale.sqlite3"
            asyncio.run(upgrade_to_head(f"sqlite:///{path}"))
            built = time.perf_counter()
            insert_people(
                path,
                size,
                morning=wall_time(6, 0),
                evening=wall_time(19, 0),
                zones=ZONES,
                spread_minutes=240,
            )
            result = _child("ledger", str(path))
            result["insert_people_s"] = time.perf_counter() - built
        rows += [
            (f"{size:,} people: start-up to first tick", f"{result['startup_s']:8.2f} s"),
            ("  of which Database+recover+tick", f"{result['startup_inprocess_s']:8.2f} s"),
            ("  RSS after start-up", f"{result['rss_startup_mb']:8.1f} MB"),
            ("  RSS after planning everyone", f"{result['rss_after_pass_mb']:8.1f} MB"),
            ("  planning pass (first, inserts)", f"{result['pass1_s']:8.1f} s"),
            ("  planning pass (steady state)", f"{result['pass2_s']:8.1f} s"),
            ("  ledger rows after the passes", f"{result['rows']:>10,}"),
            (
                "  tick p50 / p99 (first pass)",
                f"{result['tick1_p50_ms']:.0f} / {result['tick1_p99_ms']:.0f} ms",
            ),
            (
                "  tick p50 / p99 (steady state)",
                f"{result['tick2_p50_ms']:.0f} / {result['tick2_p99_ms']:.0f} ms",
            ),
            ("  claim 13 due rows (one batch)", f"{result['claim_ms']:8.1f} ms"),
        ]
    return table("3. The ledger on SQLite (2,000 people planned per tick)", rows)


async def _ledger_child(path: str) -> dict[str, Any]:
    from scheduler import ledger
    from scheduler.clock import ManualClock
    from scheduler.delivery import Delivery, one_by_one
    from scheduler.sender import RateLimiter, Sender
    from storage.engine import Database

    began = time.perf_counter()
    clock = ManualClock(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    db = Database(f"sqlite:///{path}")

    async def compose(user_id: int, slot: str, local_date: date) -> None:
        return None

    from telegram import Bot

    delivery = Delivery(db, clock, Sender(Bot(TOKEN), RateLimiter(25)), one_by_one(compose))
    await delivery.recover()
    await delivery.tick()
    startup_inprocess = time.perf_counter() - began
    startup = time.perf_counter() - _PROCESS_STARTED
    rss_startup = rss_mb()

    async def one_pass() -> tuple[float, list[float]]:
        ticks: list[float] = []
        started = time.perf_counter()
        passes = delivery.stats.passes
        while delivery.stats.passes == passes:
            tick_started = time.perf_counter()
            await delivery.tick()
            ticks.append(time.perf_counter() - tick_started)
        return time.perf_counter() - started, ticks

    pass1, ticks1 = await one_pass()
    pass2, ticks2 = await one_pass()
    claimed_started = time.perf_counter()
    async with db.write() as session:
        await ledger.claim_due(session, clock.now(), instance="bench", limit=13)
    claim = time.perf_counter() - claimed_started
    async with db.session() as session:
        connection = await session.connection()
        rows = (await connection.exec_driver_sql("SELECT count(*) FROM prompts")).scalar()
    await db.dispose()
    return {
        "startup_s": startup,
        "startup_inprocess_s": startup_inprocess,
        "rss_startup_mb": rss_startup,
        "rss_after_pass_mb": rss_mb(),
        "pass1_s": pass1,
        "pass2_s": pass2,
        "tick1_p50_ms": percentile(ticks1, 0.5) * 1000,
        "tick1_p99_ms": percentile(ticks1, 0.99) * 1000,
        "tick2_p50_ms": percentile(ticks2, 0.5) * 1000,
        "tick2_p99_ms": percentile(ticks2, 0.99) * 1000,
        "claim_ms": claim * 1000,
        "rows": rows,
    }


def jobqueue_table(count: int) -> str:
    """Measure per-person ``run_daily`` jobs in a child process; return the table."""
    result = _child("jobqueue", str(count))
    return table(
        f"4. Per-person JobQueue.run_daily jobs, {count:,} people due at the same instant",
        [
            ("scheduling all jobs (start-up)", f"{result['schedule_s']:8.2f} s"),
            ("per job", f"{result['schedule_s'] / count * 1000:8.3f} ms"),
            (
                "RSS before / after scheduling",
                f"{result['rss_before_mb']:.1f} / {result['rss_after_mb']:.1f} MB",
            ),
            ("memory per job", f"{result['kb_per_job']:8.2f} KB"),
            ("callbacks run at the due instant", f"{result['ran']:8,}"),
            (
                "prompts missed (misfire grace 1 s)",
                f"{count - result['ran']:8,} ({(count - result['ran']) / count:.0%})",
            ),
        ],
    )


async def _jobqueue_child(count: int) -> dict[str, Any]:
    from telegram.ext import ApplicationBuilder

    logging.getLogger("apscheduler").setLevel(logging.CRITICAL)
    application = ApplicationBuilder().token(TOKEN).build()
    job_queue = application.job_queue
    assert job_queue is not None
    ran = 0

    async def prompt(_context: object) -> None:
        nonlocal ran
        ran += 1

    await job_queue.start()
    rss_before = rss_mb()
    # Aim for an instant comfortably after scheduling ends (measured on a sample first).
    sample = time.perf_counter()
    for n in range(1000):
        job_queue.run_daily(prompt, time=wall_time(3, 0, tzinfo=UTC), name=f"s{n}")
    per_job = (time.perf_counter() - sample) / 1000
    for job in job_queue.jobs():
        job.schedule_removal()
    due = datetime.now(UTC) + timedelta(seconds=per_job * count * 2 + 10)
    started = time.perf_counter()
    for n in range(count):
        job_queue.run_daily(prompt, time=due.timetz(), name=f"person-{n}")
    schedule = time.perf_counter() - started
    rss_after = rss_mb()
    await asyncio.sleep((due - datetime.now(UTC)).total_seconds() + 20)
    await job_queue.stop(wait=False)
    return {
        "schedule_s": schedule,
        "rss_before_mb": rss_before,
        "rss_after_mb": rss_after,
        "kb_per_job": (rss_after - rss_before) * 1024 / count,
        "ran": ran,
    }


if __name__ == "__main__":
    import os

    os.environ.setdefault("PTB_TIMEDELTA", "1")
    kind, argument = sys.argv[1], sys.argv[2]
    if kind == "ledger":
        print(json.dumps(asyncio.run(_ledger_child(argument))))
    else:
        print(json.dumps(asyncio.run(_jobqueue_child(int(argument)))))
