"""Replies to people ride out Telegram's flood control instead of failing.

Prompts pace themselves (``scheduler/sender.py``). Replies to a person's own taps and messages
go out as they come, and Telegram may still answer one with 429: someone tapping fast in
their own chat (one message a second per chat), or a moment when prompts and replies together
pass the global limit. Waiting the second or two Telegram asks for and sending again is kinder
than an error message: the person gets their answer a moment late, and nothing is lost.

Plugged in as python-telegram-bot's rate limiter ("react only if necessary"): only the request
that got the 429 waits; everyone else's replies go on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Final

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from scheduler.sender import retry_seconds

__all__ = ["WaitOutFloodControl"]

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
JSONDict = dict[str, Any]

MAX_WAIT: Final = 10.0
"""Longer than this and the person is better off with an error they can act on."""
RETRIES: Final = 2

MESSAGE_ENDPOINTS: Final = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendlocation",
        "sendsticker",
        "sendvoice",
        "sendaudio",
        "sendvideo",
        "sendanimation",
        "sendmediagroup",
        "sendpoll",
        "sendcontact",
        "sendvenue",
        "senddice",
        "copymessage",
        "forwardmessage",
    }
)
"""Methods that send a new message, which count toward Telegram's ~30 messages a second."""


class WaitOutFloodControl(BaseRateLimiter[int]):
    """Send a request again after a 429, when Telegram's wait is short.

    Args:
        max_wait: The longest ``retry_after`` (seconds) worth waiting for.
        retries: How many times one request is sent again; a request's ``rate_limit_args``
            overrides it.
        sleep: How to wait; tests pass one that moves their clock.
        on_message: Called before each request that sends a new message, so the prompts'
            rate limiter can make room for it (``RateLimiter.sent_elsewhere``).
    """

    def __init__(
        self,
        *,
        max_wait: float = MAX_WAIT,
        retries: int = RETRIES,
        sleep: Sleep = asyncio.sleep,
        on_message: Callable[[], None] | None = None,
    ) -> None:
        self.max_wait = max_wait
        self.retries = retries
        self._sleep = sleep
        self._on_message = on_message
        self.waits = 0
        """How many times a request waited out a 429 (for tests and benchmarks)."""

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Make the request; after a short 429, wait ``retry_after`` and make it again."""
        retries = self.retries if rate_limit_args is None else rate_limit_args
        attempt = 0
        while True:
            if self._on_message is not None and endpoint.lower() in MESSAGE_ENDPOINTS:
                self._on_message()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                wait = retry_seconds(error)
                if attempt >= retries or wait > self.max_wait:
                    raise
            attempt += 1
            self.waits += 1
            # The endpoint only: ``data`` holds what the person is being told.
            logger.info("flood control on %s: sending again in %.1f s", endpoint, wait)
            await self._sleep(wait)
