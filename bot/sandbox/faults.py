"""Fault injection for the sandbox Bot API: flood control, scripted errors, hangs, outages.

Everything time-dependent reads the fake's injected clock, so tests move time by hand instead of
sleeping. Only ``latency`` is real time, because it models the network, and is applied by the
transports (HTTP server and in-process request) with ``asyncio.sleep``.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.flood import MESSAGE_ENDPOINTS
from bot.sandbox.errors import ApiError, RequestHung, too_many_requests

#: Methods that put a message into a chat; flood control counts these. The same set Kindling's
#: replies report to the prompts' limiter, so the bot and its fake agree on what a message is.
SENDING_METHODS = MESSAGE_ENDPOINTS

#: Methods that take ``allow_paid_broadcast`` (Bot API 10.1); elsewhere Telegram ignores it, as
#: it ignores any parameter a method does not have.
PAID_BROADCAST_METHODS = frozenset(
    {
        "copymessage",
        "sendanimation",
        "sendaudio",
        "sendcontact",
        "senddice",
        "senddocument",
        "sendgame",
        "sendinvoice",
        "sendlivephoto",
        "sendlocation",
        "sendmediagroup",
        "sendmessage",
        "sendpaidmedia",
        "sendphoto",
        "sendpoll",
        "sendrichmessage",
        "sendsticker",
        "sendvenue",
        "sendvideo",
        "sendvideonote",
        "sendvoice",
    }
)

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class FaultStats:
    """What the fault layer handed out."""

    rate_limited: int = 0
    """Number of 429 answers (flood control and scripted)."""
    scripted: int = 0
    """Number of scripted ``fail_next`` errors answered."""
    hung: int = 0
    """Number of requests left without an answer."""
    by_status: Counter[int] = field(default_factory=Counter)
    """Injected error answers counted by HTTP status."""


@dataclass
class _Script:
    method: str
    remaining: int
    status: int
    retry_after: int | None
    chat_id: int | str | None
    description: str | None


@dataclass
class _Hang:
    method: str
    remaining: int
    after_effect: bool


@dataclass
class FloodLimits:
    """Telegram's documented limits: ~30 messages/s overall, ~1/s per chat, 20/min per group.

    Messages sent with ``allow_paid_broadcast`` skip the overall limit for a fee and count
    against ``paid_per_second`` instead (up to 1000/s on Telegram); the limits per chat and per
    group still apply to them.
    """

    global_per_second: int = 30
    per_chat_per_second: int = 1
    per_group_per_minute: int = 20
    paid_per_second: int = 1000


class FaultInjector:
    """Reachable as ``fake.faults``; consulted by ``FakeTelegram.call`` before each method."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.latency: float = 0.0
        """Seconds each transport waits before answering (real time; keep it small)."""
        self.down: bool = False
        """Outage: the HTTP server answers 502 Bad Gateway, in-process raises NetworkError."""
        self.limits: FloodLimits | None = None
        self.stats = FaultStats()
        self._scripts: list[_Script] = []
        self._hangs: list[_Hang] = []
        self._global: deque[float] = deque()
        self._paid: deque[float] = deque()
        self._per_chat: dict[int | str, deque[float]] = {}

    # -- configuration -------------------------------------------------------------------------

    def enforce_limits(
        self,
        global_per_second: int = 30,
        per_chat_per_second: int = 1,
        per_group_per_minute: int = 20,
        paid_per_second: int = 1000,
    ) -> None:
        """Turn on flood control: sending over a limit answers 429 with ``retry_after``.

        The windows slide on the fake's clock. Only successful sends count toward the windows.
        Sends with ``allow_paid_broadcast=true`` count toward ``paid_per_second`` instead of
        ``global_per_second`` (0 turns a limit off).
        """
        self.limits = FloodLimits(
            global_per_second, per_chat_per_second, per_group_per_minute, paid_per_second
        )
        self._global.clear()
        self._paid.clear()
        self._per_chat.clear()

    def disable_limits(self) -> None:
        """Turn flood control off."""
        self.limits = None

    def fail_next(
        self,
        method: str,
        count: int = 1,
        status: int = 500,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
        description: str | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``method`` (optionally only to ``chat_id``) fail.

        The call has no effect on the fake's state. A 429 without ``retry_after`` gets 1 s.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        self._scripts.append(
            _Script(method.lower(), count, status, retry_after, chat_id, description)
        )

    def hang_next(self, method: str, count: int = 1, *, after_effect: bool = False) -> None:
        """Leave the next ``count`` calls of ``method`` without an answer.

        With ``after_effect`` the call takes effect first (the message is sent) and only the
        answer is lost, as when a network timeout hits after Telegram processed the request.
        """
        self._hangs.append(_Hang(method.lower(), count, after_effect))

    def reset(self) -> None:
        """Clear every fault (limits, scripts, hangs, latency, outage); keep the stats."""
        self.limits = None
        self.latency = 0.0
        self.down = False
        self._scripts.clear()
        self._hangs.clear()
        self._global.clear()
        self._paid.clear()
        self._per_chat.clear()

    # -- used by FakeTelegram.call ----------------------------------------------------------

    def take_hang(self, method: str) -> bool | None:
        """If a hang is scripted for ``method``, consume it and return its ``after_effect``."""
        for hang in self._hangs:
            if hang.method == method and hang.remaining > 0:
                hang.remaining -= 1
                self.stats.hung += 1
                if hang.remaining == 0:
                    self._hangs.remove(hang)
                return hang.after_effect
        return None

    def check_before(
        self, method: str, chat_id: int | str | None, *, is_group: bool, paid: bool = False
    ) -> None:
        """Raise the scripted error or flood-control 429 due for this call, if any.

        ``paid``: the call carries ``allow_paid_broadcast=true``.
        """
        self._check_scripts(method, chat_id)
        if self.limits is not None and method in SENDING_METHODS and chat_id is not None:
            self._check_flood(chat_id, is_group=is_group, paid=paid)

    def record_sent(self, method: str, chat_id: int | str | None, *, paid: bool = False) -> None:
        """Count a successful send toward the flood-control windows (the paid one if ``paid``)."""
        if self.limits is None or method not in SENDING_METHODS or chat_id is None:
            return
        now = self._clock()
        (self._paid if paid else self._global).append(now)
        self._per_chat.setdefault(chat_id, deque()).append(now)

    def hang_error(self) -> RequestHung:
        """The exception ``call`` raises for a hung request."""
        return RequestHung("the sandbox left this request without an answer")

    # -- internals -----------------------------------------------------------------------------

    def _check_scripts(self, method: str, chat_id: int | str | None) -> None:
        for script in self._scripts:
            if script.method != method or script.remaining <= 0:
                continue
            if script.chat_id is not None and script.chat_id != chat_id:
                continue
            script.remaining -= 1
            if script.remaining == 0:
                self._scripts.remove(script)
            self.stats.scripted += 1
            self.stats.by_status[script.status] += 1
            if script.status == 429:
                self.stats.rate_limited += 1
                error = too_many_requests(script.retry_after or 1)
                if script.description is not None:
                    error.description = script.description
                raise error
            description = script.description or _DEFAULT_DESCRIPTIONS.get(
                script.status, f"Error {script.status}"
            )
            raise ApiError(script.status, description, retry_after=script.retry_after)

    def _check_flood(self, chat_id: int | str, *, is_group: bool, paid: bool) -> None:
        assert self.limits is not None
        now = self._clock()
        waits: list[float] = []
        if paid:
            window, overall = self._paid, self.limits.paid_per_second
        else:
            window, overall = self._global, self.limits.global_per_second
        self._trim(window, now - 1.0)
        if 0 < overall <= len(window):
            waits.append(window[-overall] + 1.0 - now)
        chat_window = self._per_chat.setdefault(chat_id, deque())
        if is_group:
            span, limit = 60.0, self.limits.per_group_per_minute
        else:
            span, limit = 1.0, self.limits.per_chat_per_second
        self._trim(chat_window, now - span)
        if limit > 0 and len(chat_window) >= limit:
            waits.append(chat_window[-limit] + span - now)
        if waits:
            retry_after = max(1, math.ceil(max(waits)))
            self.stats.rate_limited += 1
            self.stats.by_status[429] += 1
            raise too_many_requests(retry_after)

    @staticmethod
    def _trim(window: deque[float], older_than: float) -> None:
        while window and window[0] <= older_than:
            window.popleft()
