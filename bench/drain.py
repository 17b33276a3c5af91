"""Benchmark 2: a rate-limited drain of prompts all due at the same minute.

The whole bot runs (``bot.runner.serve``: polling, handlers, the tick, the dispatcher) against
the loopback fake enforcing Telegram's limits (30 messages/s overall, 1/s per chat). While the
prompts drain, a :class:`Crowd` of simulated people talks to the bot through the fake and the
latency of each reply is measured, from the person's message or tap to the bot's answer
arriving in the fake. Here the crowd is one :class:`Asker` sending /help about every 1.2 s
(their chat allows one reply per second); benchmark 5 (``bench/morning.py``) drains with 200
people tapping through their morning choice.

The people act on the fake's own event loop (in its thread), so a latency is measured where
Telegram would see it, with no hop between threads on either end.
"""

from __future__ import annotations

import asyncio
import gc
import os
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final, Protocol

from bench.common import TOKEN, insert_people, on_fake, percentile, start_fake, table
from bot.config import FREE_SEND_RATE, load_settings
from bot.runner import Runtime, serve
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.models import RecordedCall
from bot.sandbox.users import SimulatedUser
from scheduler.ledger import FINAL_STATES, state_counts
from storage.engine import Database
from storage.migrate import upgrade_to_head
from storage.models import PromptState

REPLY_TIMEOUT: Final = 10.0
"""A reply later than this counts as not arrived (the person gives up on that tap)."""
LEAD: Final = timedelta(seconds=75)
"""How far ahead the prompts fall due: time for the bot to start and plan 10,000 people."""


def busiest_second(instants: Sequence[float]) -> int:
    """The most of the sorted ``instants`` in any sliding second (as Telegram counts)."""
    most, first = 0, 0
    for last, at in enumerate(instants):
        while instants[first] <= at - 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def due_minute(now: datetime, lead: timedelta) -> datetime:
    """The whole minute the prompts fall due: the one ``lead`` after ``now`` has begun in.

    With no lead that is the current minute, already begun: the prompts are due at once (a
    morning prompt stays useful for hours after its due instant).
    """
    return (now + lead).replace(second=0, microsecond=0)


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


@dataclass
class Replies:
    """What the people saw: the latency of every reply that arrived, and the ones that did not."""

    latencies: list[float] = field(default_factory=list)
    timeouts: int = 0


@dataclass
class Stage:
    """What a crowd acts on while the prompts drain; used on the fake's event loop only."""

    fake: FakeTelegram
    drained: threading.Event
    """Set (from the benchmark's loop) once every prompt reached a final state."""
    replies: Replies = field(default_factory=Replies)

    async def exchange(
        self, act: Awaitable[object], reply: Callable[[], Awaitable[object]]
    ) -> bool:
        """Do ``act`` (a message or a tap), then ``reply()``: wait until the answer arrived.

        Records the latency, or a timeout.

        Returns:
            Whether the answer arrived (``reply()`` did not raise ``TimeoutError``).
        """
        started = time.perf_counter()
        await act
        try:
            await reply()
        except TimeoutError:
            self.replies.timeouts += 1
            return False
        self.replies.latencies.append(time.perf_counter() - started)
        return True

    def shows(self, shown: Callable[[], bool]) -> Callable[[], Awaitable[None]]:
        """A ``reply`` for :meth:`exchange`: wait up to :data:`REPLY_TIMEOUT` for ``shown()``."""
        return lambda: self.fake.wait_until(shown, REPLY_TIMEOUT)


class Crowd(Protocol):
    """Simulated people who talk to the bot during a drain."""

    @property
    def chats(self) -> frozenset[int]:
        """Their chat ids (a 429 to one of them delayed a reply or their own prompt)."""

    def prepare(self, fake: FakeTelegram) -> None:
        """Add to the fake whoever is not among the people prompted, before the bot starts."""

    async def talk(self, stage: Stage) -> None:
        """Act from the due instant on, on the fake's loop; end once done (or drained)."""


@dataclass(frozen=True)
class DrainResult:
    """What one drain measured."""

    count: int
    send_rate: float
    global_limit: int
    due: datetime
    counts: dict[PromptState, int]
    first_sent: datetime | None
    last_sent: datetime | None
    sends: list[RecordedCall]
    """Every ``sendMessage`` the fake answered (prompts and replies), with its status."""
    crowd_chats: frozenset[int]
    replies: Replies
    longest_pause: float
    load: tuple[float, float, float]
    """The machine's 1-minute load average: when the bot started, its peak, when it ended."""

    @property
    def span(self) -> float:
        """Seconds from the first prompt sent to the last."""
        if self.first_sent is None or self.last_sent is None:
            return float("nan")
        return (self.last_sent - self.first_sent).total_seconds()

    @property
    def rate(self) -> float:
        """Prompts per second between the first and the last."""
        sent = self.counts[PromptState.SENT]
        return (sent - 1) / self.span if self.span > 0 else float("nan")

    @property
    def limited(self) -> list[RecordedCall]:
        """The sends the fake answered with 429."""
        return [call for call in self.sends if call.status == 429]

    @property
    def limited_to_crowd(self) -> int:
        """How many of the 429s went to the crowd's chats."""
        return sum(1 for call in self.limited if call.params.get("chat_id") in self.crowd_chats)

    @property
    def busiest(self) -> int:
        """The most messages the fake accepted in one sliding second."""
        return busiest_second(sorted(call.at for call in self.sends if call.status == 200))


def rate_rows(result: DrainResult) -> list[tuple[str, str]]:
    """Table rows: the achieved rate and how long the drain took."""
    return [
        (
            "achieved rate",
            f"{result.rate:7.2f} msg/s = {result.rate / result.send_rate:.1%} of SEND_RATE",
        ),
        ("drain time", f"{result.span:7.1f} s (first to last prompt)"),
    ]


def flood_rows(result: DrainResult, crowd: str) -> list[tuple[str, str]]:
    """Table rows: 429s (and how many hit ``crowd``'s chats) and the busiest second."""
    to_crowd = result.limited_to_crowd
    return [
        (
            "429 answers",
            f"{len(result.limited):7d}  ({len(result.limited) - to_crowd} to other chats, "
            f"{to_crowd} to {crowd})",
        ),
        (
            "busiest second at the fake",
            f"{result.busiest:7d} messages (its limit: {result.global_limit})",
        ),
    ]


def latency_rows(result: DrainResult) -> list[tuple[str, str]]:
    """Table rows: reply latency p50, p95 and max."""
    latencies = result.replies.latencies
    return [
        ("reply latency p50", f"{percentile(latencies, 0.5) * 1000:7.0f} ms"),
        ("reply latency p95", f"{percentile(latencies, 0.95) * 1000:7.0f} ms (target < 500)"),
        ("reply latency max", f"{max(latencies, default=float('nan')) * 1000:7.0f} ms"),
    ]


def machine_rows(result: DrainResult) -> list[tuple[str, str]]:
    """Table rows: garbage-collection pauses and the machine's load (it is shared)."""
    start, peak, end = result.load
    return [
        ("longest collection pause", f"{result.longest_pause * 1000:7.0f} ms (the whole process)"),
        (
            "load average (1 min)",
            f"{start:7.2f} at the start, {peak:.2f} at most, {end:.2f} at the end "
            f"({os.cpu_count()} CPUs, shared)",
        ),
    ]


def drained(counts: dict[PromptState, int], count: int) -> bool:
    """Whether all ``count`` prompts were planned and every one reached a final state.

    Planning takes a few ticks (2,000 people each): with prompts due at once, none may be
    planned yet at the first look.
    """
    open_ = sum(n for state, n in counts.items() if state not in FINAL_STATES)
    return sum(counts.values()) >= count and open_ == 0


def others(result: DrainResult) -> dict[str, int]:
    """Prompts in a state other than ``sent``, by state."""
    return {k.value: v for k, v in result.counts.items() if v and k is not PromptState.SENT}


async def drain(
    count: int, send_rate: float, global_limit: int, crowd: Crowd, *, lead: timedelta = LEAD
) -> DrainResult:
    """Drain ``count`` prompts due at one minute at ``send_rate`` while ``crowd`` talks.

    Args:
        count: People prompted (ids from :data:`~bench.common.FIRST_TELEGRAM_ID` on).
        send_rate: ``SEND_RATE``.
        global_limit: The fake's messages per second overall (1/s per chat as well).
        crowd: Who talks to the bot meanwhile.
        lead: See :func:`due_minute`.

    Returns:
        The measurements.
    """
    pauses = GcPauses()
    gc.callbacks.append(pauses)
    try:
        return await _drain(count, send_rate, global_limit, crowd, lead, pauses)
    finally:
        gc.callbacks.remove(pauses)


async def _drain(
    count: int,
    send_rate: float,
    global_limit: int,
    crowd: Crowd,
    lead: timedelta,
    pauses: GcPauses,
) -> DrainResult:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "drain.sqlite3"
        url = f"sqlite:///{path}"
        await upgrade_to_head(url)
        due = due_minute(datetime.now(UTC), lead)
        evening = (due + timedelta(hours=12)).time()
        # Mornings only: in the afternoon (UTC) an evening 12 hours on has already passed
        # today and would be sent as well, doubling the work by the time of day.
        insert_people(path, count, morning=due.time(), evening=evening, evenings=False)
        fake, thread = start_fake(count)
        # Over Telegram's free 30/s the prompts go out as paid broadcasts (a SEND_RATE above
        # it needs PAID_BROADCAST), and the fake's limit for them is the one asked for.
        paid = send_rate > FREE_SEND_RATE
        fake.faults.enforce_limits(
            global_per_second=global_limit, per_chat_per_second=1, paid_per_second=global_limit
        )
        crowd.prepare(fake)
        settings = load_settings(
            None,
            telegram_bot_token=TOKEN,
            telegram_base_url=thread.base_url,
            database_url=url,
            send_rate=send_rate,
            paid_broadcast=paid,
            log_level="WARNING",
        )
        load = [os.getloadavg()[0]]
        stop = asyncio.Event()
        runtime = Runtime(token=TOKEN)
        bot = asyncio.create_task(serve(settings, stop, runtime))
        stage = Stage(fake=fake, drained=threading.Event())
        try:
            await asyncio.wait_for(runtime.ready.wait(), 60)
            db = Database(url)
            await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))
            talking = asyncio.ensure_future(on_fake(thread, crowd.talk(stage)))
            deadline = time.monotonic() + count / send_rate * 1.5 + 60
            while time.monotonic() < deadline:
                async with db.session() as session:
                    counts = await state_counts(session, due, due + timedelta(minutes=1))
                if drained(counts, count):
                    break
                await asyncio.sleep(1.0)
                load.append(os.getloadavg()[0])
            stage.drained.set()
            await asyncio.wait_for(talking, 180)
            async with db.session() as session:
                counts = await state_counts(session, due, due + timedelta(minutes=1))
                connection = await session.connection()
                span_row: Any = (
                    await connection.exec_driver_sql(
                        "SELECT min(sent_at), max(sent_at) FROM prompts WHERE state = 'sent'"
                    )
                ).one()
            await db.dispose()
        finally:
            stop.set()
            await asyncio.wait_for(bot, 30)
            thread.stop()
    return DrainResult(
        count=count,
        send_rate=send_rate,
        global_limit=global_limit,
        due=due,
        counts=counts,
        first_sent=_instant(span_row[0]),
        last_sent=_instant(span_row[1]),
        sends=fake.calls_to("sendMessage"),
        crowd_chats=crowd.chats,
        replies=stage.replies,
        longest_pause=pauses.longest,
        load=(load[0], max(load), load[-1]),
    )


def _instant(value: object) -> datetime | None:
    """A ``sent_at`` read back from SQLite (naive UTC text), or ``None``."""
    if value is None:
        return None
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


class Asker:
    """One person, not among those prompted, who sends /help again and again during the drain.

    About every 1.2 s (Telegram allows one reply a second in their chat) and, like a person
    reading the answer, never within a second of the last reply.
    """

    USER_ID: Final = 42

    def __init__(self) -> None:
        self._user: SimulatedUser | None = None

    @property
    def chats(self) -> frozenset[int]:
        """The asker's chat."""
        return frozenset({self.USER_ID})

    def prepare(self, fake: FakeTelegram) -> None:
        """Add the asker to the fake."""
        self._user = fake.add_user(first_name="Asker", user_id=self.USER_ID)

    async def talk(self, stage: Stage) -> None:
        """Ask until the prompts have drained."""
        user = self._user
        assert user is not None, "prepare() first"
        while not stage.drained.is_set():
            started = time.perf_counter()
            await stage.exchange(
                user.send_command("/help"), lambda: user.wait_for_messages(1, REPLY_TIMEOUT)
            )
            answered = time.perf_counter()
            await asyncio.sleep(max(0.0, started + 1.2 - answered, 1.05))


async def run(count: int, send_rate: float, global_limit: int) -> str:
    """Drain ``count`` prompts at ``send_rate`` while one person asks /help; return the table."""
    result = await drain(count, send_rate, global_limit, Asker())
    first = result.first_sent
    lag = (first - result.due).total_seconds() if first else float("nan")
    return table(
        f"2. Rate-limited drain: {count} prompts due at one minute, SEND_RATE={send_rate:g}, "
        f"fake limits {global_limit}/s and 1/s per chat",
        [
            *rate_rows(result),
            ("first prompt after due", f"{lag:7.2f} s"),
            *flood_rows(result, "the interactive chat"),
            *machine_rows(result)[:1],
            (
                "missed (not sent)",
                f"{count - result.counts[PromptState.SENT]:7d}  {others(result)}",
            ),
            ("interactive replies", f"{len(result.replies.latencies):7d}"),
            *latency_rows(result),
            *machine_rows(result)[1:],
        ],
    )
