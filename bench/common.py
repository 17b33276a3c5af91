"""Shared pieces of the benchmarks: synthetic people, the loopback fake, tables, RSS."""

from __future__ import annotations

import asyncio
import resource
import sqlite3
from collections.abc import Coroutine, Sequence
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.http_server import ServerThread

TOKEN = "123456:" + "B" * 35
FIRST_TELEGRAM_ID = 100_000
T = TypeVar("T")


def rss_mb() -> float:
    """Peak resident set size of this process image so far, in MB.

    Reads ``VmHWM`` from /proc (reset by exec), not ``ru_maxrss``, which Linux carries over
    from the parent across fork and exec.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def table(title: str, rows: Sequence[tuple[str, str]]) -> str:
    """A two-column text table."""
    width = max(len(name) for name, _ in rows)
    lines = [title, "-" * len(title)]
    lines += [f"{name:<{width}}  {value}" for name, value in rows]
    return "\n".join(lines)


def insert_people(
    path: Path,
    count: int,
    *,
    morning: time,
    evening: time,
    zones: Sequence[str] = ("UTC",),
    spread_minutes: int = 0,
    started: datetime | None = None,
    evenings: bool = True,
) -> None:
    """Insert ``count`` active people straight into a migrated SQLite file (fast, sync).

    Person ``n`` lives in ``zones[n % len(zones)]``; with ``spread_minutes`` their times are
    ``n % spread_minutes`` minutes after ``morning`` and ``evening``. ``evenings=False``
    switches their evening prompt off.
    """
    now = (started or datetime.now(UTC)).replace(tzinfo=None).isoformat(sep=" ")
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        columns = (
            "telegram_user_id, chat_id, first_name, language_code, timezone, morning_time, "
            "evening_time, morning_enabled, evening_enabled, days, status, created_at, updated_at"
        )
        rows = (
            (
                FIRST_TELEGRAM_ID + n,
                FIRST_TELEGRAM_ID + n,
                "P",
                "en",
                zones[n % len(zones)],
                _later(morning, n % spread_minutes if spread_minutes else 0),
                _later(evening, n % spread_minutes if spread_minutes else 0),
                1,
                1 if evenings else 0,
                "daily",
                "active",
                now,
                now,
            )
            for n in range(count)
        )
        marks = ", ".join("?" * 13)
        connection.executemany(f"INSERT INTO users ({columns}) VALUES ({marks})", rows)
        connection.commit()
    finally:
        connection.close()


def _later(at: time, minutes: int) -> str:
    total = (at.hour * 60 + at.minute + minutes) % (24 * 60)
    return time(total // 60, total % 60).isoformat()


def start_fake(count: int) -> tuple[FakeTelegram, ServerThread]:
    """A loopback HTTP fake in its own thread, with ``count`` people who started the bot."""
    fake = FakeTelegram(token=TOKEN)
    for n in range(count):
        telegram_id = FIRST_TELEGRAM_ID + n
        fake.add_user(first_name="P", user_id=telegram_id)
        fake.private_chat({"id": telegram_id, "first_name": "P"}).started = True
    thread = ServerThread(fake)
    thread.start()
    return fake, thread


async def on_fake(thread: ServerThread, coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on the fake's loop without blocking this one."""
    loop = thread._loop  # the fake belongs to its thread's loop
    return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, loop))
