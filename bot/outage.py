"""Notice when Telegram goes away and comes back, and say so once per outage."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from http import HTTPStatus

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

logger = logging.getLogger(__name__)


class OutageMonitor:
    """Shared outage state for all of the bot's connections to Telegram."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self.down_since: float | None = None
        self.outages = 0

    def failed(self, reason: str) -> None:
        """Record a failed request; logs only the first failure of an outage."""
        if self.down_since is None:
            self.down_since = self._monotonic()
            self.outages += 1
            logger.warning("Telegram unreachable (%s); retrying with backoff", reason)

    def succeeded(self) -> None:
        """Record a successful request; logs the end of an outage."""
        if self.down_since is not None:
            seconds = self._monotonic() - self.down_since
            self.down_since = None
            logger.warning("Telegram reachable again after %.0f s", seconds)


class MonitoredRequest(BaseRequest):
    """Wraps a request backend and reports network failures and 5xx answers to a monitor."""

    def __init__(self, inner: BaseRequest, monitor: OutageMonitor) -> None:
        self._inner = inner
        self._monitor = monitor

    @property
    def read_timeout(self) -> float | None:
        """The wrapped backend's read timeout (PTB uses it for long polling)."""
        return self._inner.read_timeout

    async def initialize(self) -> None:
        """Initialize the wrapped backend."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Shut the wrapped backend down."""
        await self._inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Forward the request; note outages and recoveries."""
        try:
            status, payload = await self._inner.do_request(
                url,
                method,
                request_data=request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        except NetworkError as exc:  # TimedOut is a NetworkError too
            self._monitor.failed(type(exc).__name__)
            raise
        if status >= 500:
            self._monitor.failed(f"HTTP {status}")
            payload = _json_error(status, payload)
        else:
            self._monitor.succeeded()
        return status, payload


def _json_error(status: int, payload: bytes) -> bytes:
    """Telegram's JSON error body in place of a proxy's HTML page (nginx's 502, say).

    PTB logs an unparsable error body at ERROR with a traceback, on every retry of an outage
    that the monitor already reports in one line; a JSON body becomes a quiet NetworkError.
    """
    try:
        json.loads(payload)
    except ValueError:  # UnicodeDecodeError included
        try:
            description = HTTPStatus(status).phrase
        except ValueError:
            description = f"HTTP {status}"
        body = {"ok": False, "error_code": status, "description": description}
        return json.dumps(body).encode()
    return payload
