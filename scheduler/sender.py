"""The rate-limited prompt sender: Telegram's limits, retries, and what each error means.

The sender has a ``Bot`` of its own (its own HTTP connection pool), separate from the one the
handlers reply with, so a burst of prompts never delays an interactive reply.

Limits: a global token bucket at ``SEND_RATE`` messages per second (at most one message of
burst), and at most one message per second to one chat. A 429 pauses *all* sending for its
``retry_after`` and then sends the same message again; it is not an attempt that failed.

Telegram counts messages when they *arrive*, and the time from "may send" to "arrived" varies
by a few milliseconds, more when a garbage collection or a busy event loop holds the process
up. So the actual send instants are capped too: at most ``SEND_RATE`` in any sliding second,
and paced by a second small bucket that refills ``CATCH_UP`` times faster than the rate and
holds one token per 25 messages/s of rate (so one at the default 25/s). Without it, the sends
held up by a stall went out in one clump, and a second later the sliding cap let the next
clump out as the first left the window: a little jitter then put both in one of Telegram's
seconds, over its limit (``docs/performance.md``). The few tokens let a late wake-up catch up
at high rates instead of losing its lateness for good.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any, Final, Protocol

import httpx
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from scheduler.metrics import NO_OBSERVER, SendObserver

__all__ = [
    "DEFAULT_MAX_IN_FLIGHT",
    "READY_LEAD",
    "RateLimiter",
    "Ready",
    "Rendered",
    "SendResult",
    "SendStatus",
    "Sender",
    "connections_for",
    "retry_seconds",
]

JSONDict = dict[str, Any]
Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]
Ready = Callable[[], Awaitable[None]]
"""Awaited just before a message's moment to send (marks it in flight in the ledger)."""

PER_CHAT_INTERVAL: Final = 1.0
_MIN_WAIT: Final = 0.001  # never spin on sub-millisecond waits (float rounding)
_EPSILON: Final = 1e-9  # a token short by float rounding only
_NO_PREVIEW: Final = {"is_disabled": True}  # LinkPreviewOptions as the Bot API's JSON
_MAX_FLOOD_PAUSES: Final = 20  # a message held back by this many 429s in a row is retried later
READY_LEAD: Final = 0.02
"""How long before its moment a message is marked in flight: about one message at 25/s, so
a crash leaves only the request on the wire and the next one in doubt."""
CATCH_UP: Final = 1.2
"""After a stall, sends catch up at most this much faster than the rate."""
_RATE_PER_CATCH_UP_TOKEN: Final = 25.0
DEFAULT_MAX_IN_FLIGHT: Final = 32
"""Requests at once when the caller does not say (see :func:`connections_for`)."""
ROUND_TRIP_ALLOWANCE: Final = 0.1
"""Seconds a request may take before the connections at ``SEND_RATE`` run short."""


def connections_for(rate: float | None) -> int:
    """How many connections the prompt sender needs to keep up ``rate`` messages a second.

    Each connection carries one request at a time, so ``rate`` needs ``rate`` times the
    round trip of them: 32 cover the free limit with room to spare, a paid broadcast at 1000/s
    needs 100 while requests take up to :data:`ROUND_TRIP_ALLOWANCE`.
    """
    if rate is None:
        return DEFAULT_MAX_IN_FLIGHT
    return max(DEFAULT_MAX_IN_FLIGHT, math.ceil(rate * ROUND_TRIP_ALLOWANCE))


class Rendered(Protocol):
    """What a composer renders for one prompt (``bot.ui.screens.Screen``)."""

    @property
    def text(self) -> str:
        """The message, Telegram HTML."""
        ...

    @property
    def buttons(self) -> Sequence[Sequence[tuple[str, str]]]:
        """Inline keyboard rows of (label, callback data)."""
        ...


class SendStatus(StrEnum):
    """How one send attempt ended."""

    SENT = "sent"
    RETRY = "retry"  # surely not delivered; worth another attempt later
    FAILED = "failed"  # permanent error for this message
    BLOCKED = "blocked"  # the person blocked the bot, or the chat is gone
    UNKNOWN = "unknown"  # may have reached Telegram; sent again while that is still useful


@dataclass(frozen=True)
class SendResult:
    """The outcome of :meth:`Sender.send`."""

    status: SendStatus
    reason: str
    message_id: int | None = None


class RateLimiter:
    """A global token bucket plus a minimum interval per chat.

    Args:
        rate: Messages per second overall; None for no global limit.
        per_chat_interval: Seconds between two messages to the same chat (0 to disable).
        monotonic: The clock (seconds); tests pass a manual one.
        sleep: How to wait; tests pass one that moves their manual clock.
    """

    def __init__(
        self,
        rate: float | None,
        *,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        burst: float = 1.0,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.per_chat_interval = per_chat_interval
        self.burst = burst
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_slot = 0.0  # the theoretical send time of the next message (token bucket)
        self._chat_next: dict[int, float] = {}
        self._paused_until = 0.0
        self._pause_epoch = 0
        self._lock = asyncio.Lock()
        # Actual send instants of the last second, for the caps of ``_within_window``.
        self._recent: deque[float] = deque()
        self._window_cap = max(1, math.floor(rate)) if rate is not None else 0
        # The pacing bucket of actual sends (see the module docstring).
        self._pace_rate = rate * CATCH_UP if rate is not None else 0.0
        self._pace_capacity = max(1.0, math.floor((rate or 0) / _RATE_PER_CATCH_UP_TOKEN))
        self._pace_tokens = self._pace_capacity
        self._pace_at = 0.0

    def pause(self, seconds: float) -> None:
        """Stop handing out sends for ``seconds`` (Telegram's 429 ``retry_after``).

        Messages already waiting for their moment take a new one after the pause, so the end
        of a pause is not a burst.
        """
        until = self._monotonic() + seconds
        if until > self._paused_until:
            self._paused_until = until
            self._next_slot = max(self._next_slot, until)
            self._pause_epoch += 1

    def sent_elsewhere(self) -> None:
        """Count a message that went out without this limiter (a reply) against the rate.

        Telegram's limit is the bot's, shared by prompts and replies. Replies never wait for
        prompts, so prompts make room instead: the next prompt's moment moves one slot later,
        and the reply counts in the last second's cap on actual sends.
        """
        if self.rate is None:
            return
        now = self._monotonic()
        self._next_slot = max(self._next_slot, now - self.burst / self.rate) + 1.0 / self.rate
        self._recent.append(now)

    async def acquire(
        self, chat_id: int, *, ready: Ready | None = None, lead: float = READY_LEAD
    ) -> None:
        """Wait until a message to ``chat_id`` may go out, and reserve that moment.

        Args:
            chat_id: Where the message goes.
            ready: Awaited once, ``lead`` seconds before the moment (or at once when the moment
                is nearer): the caller marks the message as in flight. The caps on actual send
                instants are applied after it, so a slow ``ready`` never lets sends clump.
                What it raises propagates, and the moment is not used.
            lead: How long before the moment ``ready`` is awaited.
        """
        while True:
            # Reserve under the lock (FIFO, so the global order is fair), wait outside it.
            async with self._lock:
                now = self._monotonic()
                if now < self._paused_until:
                    at = None
                    wait = self._paused_until - now
                else:
                    at = max(now, self._chat_next.get(chat_id, 0.0))
                    if self.rate is not None:
                        slot = max(self._next_slot, now - self.burst / self.rate)
                        at = max(at, slot)
                        self._next_slot = slot + 1.0 / self.rate
                    if self.per_chat_interval > 0:
                        self._chat_next[chat_id] = at + self.per_chat_interval
                        if len(self._chat_next) > 100_000:
                            self._forget_old(now)
                    epoch = self._pause_epoch
            if at is None:
                await self._sleep(wait)
                continue
            while self._pause_epoch == epoch:
                delay = at - self._monotonic()
                if ready is not None and delay <= lead:
                    await ready()
                    ready = None
                    continue  # the pause epoch and the delay may have moved meanwhile
                if delay <= 0:
                    await self._within_window()
                    return
                await self._sleep(max(_MIN_WAIT, delay - lead if ready is not None else delay))

    async def _within_window(self) -> None:
        """Wait for the caps on actual send instants (and any pause); record this send.

        At most ``rate`` sends in the last second, and a token of the pacing bucket.
        """
        if self.rate is None:
            return
        while True:
            now = self._monotonic()
            while self._recent and self._recent[0] <= now - 1.0:
                self._recent.popleft()
            tokens = min(
                self._pace_capacity,
                self._pace_tokens + (now - self._pace_at) * self._pace_rate,
            )
            pace_wait = (1.0 - tokens) / self._pace_rate
            wait = max(self._paused_until - now, pace_wait if pace_wait > _EPSILON else 0.0)
            if len(self._recent) >= self._window_cap:
                wait = max(wait, self._recent[0] + 1.0 - now)
            if wait <= 0:
                self._pace_tokens, self._pace_at = tokens - 1.0, now
                self._recent.append(now)
                return
            await self._sleep(max(_MIN_WAIT, wait))

    def _forget_old(self, now: float) -> None:
        self._chat_next = {chat: t for chat, t in self._chat_next.items() if t > now}


def keyboard(buttons: Sequence[Sequence[tuple[str, str]]]) -> JSONDict | None:
    """The inline keyboard for ``buttons`` as the Bot API's JSON, or None when there are none."""
    if not buttons:
        return None
    return {
        "inline_keyboard": [
            [{"text": label, "callback_data": data} for label, data in row] for row in buttons
        ]
    }


class Sender:
    """Sends one prompt under the limits and classifies what happened.

    Args:
        bot: A ``Bot`` with its own request object (initialized by the caller).
        limiter: The shared :class:`RateLimiter`.
        observer: Told about each accepted message and each 429 (metrics).
        paid_broadcast: Send with ``allow_paid_broadcast``: Telegram then allows up to 1000
            messages per second instead of about 30, for 0.1 Stars per message over the free
            limit, from the bot's balance (``PAID_BROADCAST``).
        max_in_flight: At most this many requests at once: the connections of ``bot``'s pool.
            A request beyond them would wait inside httpcore's pool, and every request that
            finishes scans that queue, connection by connection: at a few hundred messages a
            second that scan was the largest part of the pipeline's CPU (benchmark 1). Waiting
            here instead costs nothing, and nothing is marked in flight while it waits.
    """

    def __init__(
        self,
        bot: Bot,
        limiter: RateLimiter,
        *,
        observer: SendObserver = NO_OBSERVER,
        paid_broadcast: bool = False,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    ) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self.bot = bot
        self.limiter = limiter
        self.observer = observer
        self.paid_broadcast = paid_broadcast
        self.max_in_flight = max_in_flight
        self.flood_pauses = 0
        self._connections = asyncio.Semaphore(max_in_flight)

    async def send(
        self, chat_id: int, content: Rendered, *, starting: Ready | None = None
    ) -> SendResult:
        """Send ``content`` to ``chat_id``; never raises for Telegram's answers.

        Args:
            chat_id: Where to send.
            content: What to send.
            starting: Awaited once, just before the first request goes out (see
                :meth:`RateLimiter.acquire`); what it raises propagates and nothing is sent.

        Returns:
            SENT with the message id; RETRY for 5xx and connection failures (nothing was
            delivered); BLOCKED for 403 and "chat not found"; FAILED for other 400s;
            UNKNOWN for timeouts after the request may have been delivered.
        """
        request: JSONDict = {
            "chat_id": chat_id,
            "text": content.text,
            "parse_mode": ParseMode.HTML.value,
            "link_preview_options": _NO_PREVIEW,
        }
        markup = keyboard(content.buttons)
        if markup is not None:
            request["reply_markup"] = markup
        if self.paid_broadcast:
            request["allow_paid_broadcast"] = True  # omitted otherwise: the free limit
        async with self._connections:
            return await self._send(chat_id, request, starting)

    async def _send(self, chat_id: int, request: JSONDict, starting: Ready | None) -> SendResult:
        for _ in range(_MAX_FLOOD_PAUSES):
            await self.limiter.acquire(chat_id, ready=starting)
            starting = None
            try:
                # Bot._post, not Bot.send_message: the public method turns the answer into a
                # whole Message (and the keyboard into objects on the way out), the largest
                # part of a prompt's CPU beside the HTTP exchange; only the message id is
                # needed. Errors are raised exactly as by send_message.
                message = await self.bot._post("sendMessage", dict(request))
            except RetryAfter as error:
                self.flood_pauses += 1
                wait = retry_seconds(error)
                self.observer.flood_control(wait)
                self.limiter.pause(wait)
                continue
            except TelegramError as error:
                return classify(error)
            self.observer.message_sent()
            return SendResult(SendStatus.SENT, "sent", int(message["message_id"]))
        return SendResult(SendStatus.RETRY, "flood control kept holding the message back")


def classify(error: TelegramError) -> SendResult:
    """Map a Telegram error (other than 429) to what the ledger records.

    Args:
        error: What ``send_message`` raised.

    Returns:
        The classified result; its reason names the error, never message content.
    """
    text = error.message
    if isinstance(error, Forbidden):
        return SendResult(SendStatus.BLOCKED, f"403 {text}")
    if isinstance(error, BadRequest):
        lowered = text.lower()
        if "chat not found" in lowered or "user is deactivated" in lowered:
            return SendResult(SendStatus.BLOCKED, f"400 {text}")
        return SendResult(SendStatus.FAILED, f"400 {text}")
    if isinstance(error, ChatMigrated):
        return SendResult(SendStatus.FAILED, "chat migrated")
    cause = error.__cause__
    # The prompt sender's own request marks what never left with a cause named NotSent
    # (bot.prompt_request); the scheduler does not import the bot, so it goes by the name.
    never_left = type(cause).__name__ == "NotSent"
    if isinstance(error, TimedOut):
        if (
            never_left
            or isinstance(cause, httpx.PoolTimeout | httpx.ConnectTimeout)
            or text.startswith("Pool timeout")
        ):
            return SendResult(SendStatus.RETRY, f"not sent: {text}")
        return SendResult(SendStatus.UNKNOWN, f"timed out after sending: {text}")
    if isinstance(error, NetworkError):
        if cause is None or never_left or isinstance(cause, httpx.ConnectError):
            # Telegram answered 5xx (PTB maps those to NetworkError) or we never connected.
            return SendResult(SendStatus.RETRY, f"not sent: {text}")
        if text.startswith("httpx.ConnectError"):
            return SendResult(SendStatus.RETRY, f"not sent: {text}")
        return SendResult(SendStatus.UNKNOWN, f"connection lost mid-request: {text}")
    return SendResult(SendStatus.FAILED, f"{type(error).__name__}: {text}")


def retry_seconds(error: RetryAfter) -> float:
    """Telegram's ``retry_after`` in seconds, whichever type python-telegram-bot gives it."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
