"""The token bucket, the per-chat interval, 429 pauses and the error classification."""

from __future__ import annotations

import asyncio
import heapq
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, TypeVar

import httpx
import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut

from scheduler.delivery import MAX_BATCH, Delivery
from scheduler.sender import RateLimiter, Sender, SendStatus, classify, connections_for

T = TypeVar("T")


class Clock:
    def __init__(self, overshoot: float = 0.0) -> None:
        self.now = 0.0
        self.sends: list[float] = []
        self.overshoot = overshoot  # how late every wait ends, as on a busy event loop

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        # Virtual time shared by concurrent sleepers: wake no earlier than asked.
        target = self.now + seconds + self.overshoot
        await asyncio.sleep(0)
        self.now = max(self.now, target)


def limiter(rate: float | None, clock: Clock, **kwargs: float) -> RateLimiter:
    return RateLimiter(rate, monotonic=clock.monotonic, sleep=clock.sleep, **kwargs)


async def test_global_rate_is_kept_with_at_most_one_message_of_burst() -> None:
    clock = Clock()
    bucket = limiter(25, clock)
    for chat in range(101):
        await bucket.acquire(chat)
        clock.sends.append(clock.now)
    assert clock.sends[-1] == pytest.approx(4.0)
    for start in clock.sends:
        in_window = [t for t in clock.sends if start <= t < start + 1.0]
        assert len(in_window) <= 26


async def test_concurrent_waiters_share_the_rate() -> None:
    clock = Clock()
    bucket = limiter(10, clock, per_chat_interval=0)

    async def one(chat: int) -> float:
        await bucket.acquire(chat)
        return clock.now

    times = sorted(await asyncio.gather(*(one(n) for n in range(20))))
    assert times[-1] == pytest.approx(1.9, abs=0.11)
    for start in times:
        assert len([t for t in times if start <= t < start + 1.0]) <= 10


async def test_one_message_per_second_per_chat() -> None:
    clock = Clock()
    bucket = limiter(None, clock)
    for _ in range(3):
        await bucket.acquire(7)
        clock.sends.append(clock.now)
    await bucket.acquire(8)
    assert clock.sends == [0.0, 1.0, 2.0]
    assert clock.now == 2.0  # another chat does not wait


async def test_pause_holds_everyone_then_resumes_at_the_rate() -> None:
    clock = Clock()
    bucket = limiter(5, clock)
    await bucket.acquire(1)
    bucket.pause(10)
    await bucket.acquire(2)
    assert clock.now == pytest.approx(10.0)
    await bucket.acquire(3)
    assert clock.now == pytest.approx(10.2)


async def test_a_stall_never_releases_a_clump() -> None:
    clock = Clock()
    bucket = limiter(25, clock, per_chat_interval=0)

    async def one(chat: int) -> None:
        await bucket.acquire(chat)
        clock.sends.append(clock.now)
        if len(clock.sends) in (30, 60):
            clock.now += 0.3  # a garbage collection held the whole process up

    await asyncio.gather(*(one(n) for n in range(100)))
    sends = clock.sends
    assert min(b - a for a, b in pairwise(sends)) >= 1 / 30 - 1e-9
    for start in sends:
        assert len([t for t in sends if start <= t < start + 1.0]) <= 25
        # Telegram sees the sends a little later, not all equally late: even 50 ms of jitter
        # leaves room below its 30 a second.
        assert len([t for t in sends if start <= t < start + 1.05]) <= 27
    assert sends[-1] == pytest.approx(99 / 25 + 0.6, abs=0.25)  # the stalls cost their length


async def test_at_a_high_rate_late_wake_ups_catch_up_in_small_steps() -> None:
    clock = Clock(overshoot=0.003)
    bucket = limiter(100, clock, per_chat_interval=0)

    async def one(chat: int) -> None:
        await bucket.acquire(chat)
        clock.sends.append(clock.now)
        if len(clock.sends) == 200:
            clock.now += 0.3

    await asyncio.gather(*(one(n) for n in range(600)))
    sends = clock.sends
    achieved = (len(sends) - 1) / (sends[-1] - sends[0] - 0.3)
    assert achieved >= 95  # 3 ms late every time, yet the rate holds
    assert max(Counter(round(t, 6) for t in sends).values()) <= 4  # 100/s: four tokens
    for start in sends:
        assert len([t for t in sends if start <= t < start + 1.0]) <= 100


async def test_a_waiter_past_its_slot_still_respects_a_later_pause() -> None:
    clock = Clock()
    bucket = limiter(5, clock, per_chat_interval=0)
    await bucket.acquire(1)
    bucket.pause(10)
    await bucket._within_window()  # already past the token bucket when the 429 came
    assert clock.now == pytest.approx(10.0)


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(0)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), SendStatus.BLOCKED),
        (Forbidden("Forbidden: user is deactivated"), SendStatus.BLOCKED),
        (BadRequest("Bad Request: chat not found"), SendStatus.BLOCKED),
        (BadRequest("Bad Request: can't parse entities"), SendStatus.FAILED),
        (NetworkError("Internal Server Error"), SendStatus.RETRY),
        (NetworkError("httpx.ConnectError: refused"), SendStatus.RETRY),
        (TimedOut("Pool timeout: all connections busy"), SendStatus.RETRY),
        (TimedOut(), SendStatus.UNKNOWN),
    ],
)
def test_classification(error: Exception, status: SendStatus) -> None:
    assert isinstance(error, Forbidden | BadRequest | NetworkError)
    assert classify(error).status is status


def chained(error: NetworkError, cause: Exception) -> NetworkError:
    error.__cause__ = cause
    return error


def test_a_dropped_connection_mid_request_is_unknown() -> None:
    dropped = chained(
        NetworkError("httpx.RemoteProtocolError: server disconnected"),
        httpx.RemoteProtocolError("server disconnected"),
    )
    assert classify(dropped).status is SendStatus.UNKNOWN
    never_connected = chained(TimedOut(), httpx.ConnectTimeout("connect"))
    assert classify(never_connected).status is SendStatus.RETRY


class Timers:
    """Virtual time that wakes sleepers in order of their deadlines, one at a time."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = 0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        self._seq += 1
        heapq.heappush(self._timers, (self.now + max(0.0, seconds), self._seq, future))
        await future

    async def run(self, *coroutines: Coroutine[Any, Any, T]) -> list[T]:
        tasks = [asyncio.ensure_future(c) for c in coroutines]
        while not all(task.done() for task in tasks):
            for _ in range(20):  # let every runnable task reach its next sleep
                await asyncio.sleep(0)
            if self._timers:
                at, _, future = heapq.heappop(self._timers)
                self.now = max(self.now, at)
                future.set_result(None)
        return [task.result() for task in tasks]


async def test_ready_runs_once_just_before_each_moment_not_when_queued() -> None:
    timers = Timers()
    bucket = RateLimiter(25, per_chat_interval=0, monotonic=timers.monotonic, sleep=timers.sleep)
    marked: dict[int, float] = {}

    async def one(chat: int) -> float:
        async def ready() -> None:
            assert chat not in marked  # once
            marked[chat] = timers.now

        await bucket.acquire(chat, ready=ready, lead=0.02)
        return timers.now

    sent = await timers.run(*(one(n) for n in range(13)))  # a claimed batch, all at once
    assert sorted(marked) == list(range(13))
    for chat, moment in enumerate(sent):
        # Marked at most the lead before its own moment: never the whole batch up front.
        assert moment - 0.02 - 1e-9 <= marked[chat] <= moment
    # So at any instant at most one message is marked and not yet sent at 25/s.
    for at in marked.values():
        assert sum(1 for c, s in enumerate(sent) if marked[c] <= at < s) <= 1


async def test_a_slow_ready_never_lets_sends_clump() -> None:
    timers = Timers()
    bucket = RateLimiter(25, per_chat_interval=0, monotonic=timers.monotonic, sleep=timers.sleep)

    async def one(chat: int) -> float:
        async def ready() -> None:
            if chat == 3:
                await timers.sleep(0.5)  # a database write that stalls

        await bucket.acquire(chat, ready=ready)
        return timers.now

    times = sorted(await timers.run(*(one(n) for n in range(60))))
    for start in times:
        assert len([t for t in times if start <= t < start + 1.0]) <= 25
    for earlier, later in pairwise(times):
        assert later - earlier >= 1 / (25 * 1.2) - 1e-9


async def test_what_ready_raises_propagates_and_the_moment_is_not_used() -> None:
    clock = Clock()
    bucket = limiter(25, clock, per_chat_interval=0)

    async def failing() -> None:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        await bucket.acquire(1, ready=failing)
    await bucket.acquire(2)  # the bucket still works


async def test_prompts_make_room_for_replies_within_the_rate() -> None:
    timers = Timers()
    bucket = RateLimiter(25, per_chat_interval=0, monotonic=timers.monotonic, sleep=timers.sleep)
    replies: list[float] = []

    async def people_talking() -> float:
        for _ in range(40):  # ten replies a second for four seconds
            bucket.sent_elsewhere()
            replies.append(timers.now)
            await timers.sleep(0.1)
        return timers.now

    prompts: list[float] = []

    async def prompt(chat: int) -> None:
        await bucket.acquire(chat)
        prompts.append(timers.now)

    async def dispatcher() -> float:
        for first in range(0, 100, 13):  # claimed batches of half a second, as Delivery does
            await asyncio.gather(*(prompt(n) for n in range(first, min(first + 13, 100))))
        return timers.now

    await timers.run(dispatcher(), people_talking())
    everything = sorted([*prompts, *replies])
    for start in everything:
        # Prompts and replies together stay near the rate, under Telegram's 30: only replies
        # during a batch already timed (half a second) come on top. Without making room,
        # 25 prompts and 10 replies would share a second.
        assert len([t for t in everything if start <= t < start + 1.0]) <= 28
    assert max(prompts) > 100 / 25  # the prompts went slower to leave the replies room


class _SlowBot:
    """Answers ``sendMessage`` only when released, counting the requests open at once."""

    def __init__(self) -> None:
        self.open = 0
        self.most_open = 0
        self.release = asyncio.Event()

    async def _post(self, method: str, data: dict[str, Any]) -> dict[str, Any]:
        self.open += 1
        self.most_open = max(self.most_open, self.open)
        try:
            await self.release.wait()
        finally:
            self.open -= 1
        return {"message_id": data["chat_id"]}


@dataclass(frozen=True)
class _Content:
    text: str = "Good morning"
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()


async def test_no_more_requests_at_once_than_the_pool_has_connections() -> None:
    bot = _SlowBot()
    marked: list[int] = []
    sender = Sender(
        bot,  # type: ignore[arg-type]  # only _post is used
        RateLimiter(None, per_chat_interval=0),
        max_in_flight=3,
    )

    async def one(chat: int) -> SendStatus:
        async def starting() -> None:
            marked.append(chat)

        return (await sender.send(chat, _Content(), starting=starting)).status

    sends = [asyncio.create_task(one(chat)) for chat in range(10)]
    for _ in range(20):
        await asyncio.sleep(0)
    # The waiting ones are not marked in flight either: only what is on the wire is in doubt.
    assert (bot.open, len(marked)) == (3, 3)
    bot.release.set()
    assert await asyncio.gather(*sends) == [SendStatus.SENT] * 10
    assert bot.most_open == 3
    assert sorted(marked) == list(range(10))


def test_max_in_flight_must_allow_a_request() -> None:
    with pytest.raises(ValueError, match="max_in_flight"):
        Sender(None, RateLimiter(None), max_in_flight=0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rate", "connections"), [(None, 32), (25, 32), (30, 32), (320, 32), (500, 50), (1000, 100)]
)
def test_the_sender_has_connections_for_its_rate(rate: float | None, connections: int) -> None:
    assert connections_for(rate) == connections


@pytest.mark.parametrize(
    ("rate", "batch"), [(None, MAX_BATCH), (25, 13), (30, 15), (400, 200), (1000, MAX_BATCH)]
)
def test_a_claim_is_half_a_second_of_the_rate_and_at_most_max_batch(
    rate: float | None, batch: int
) -> None:
    # At a paid 1000/s half a second is 500 prompts: composed in one go, the first of them
    # would wait about two seconds, and a kill -9 would leave more of them in doubt.
    sender = Sender(None, RateLimiter(rate))  # type: ignore[arg-type]
    delivery = Delivery(None, None, sender, None)  # type: ignore[arg-type]
    assert delivery.batch_size == batch
    assert MAX_BATCH == 200
