"""The prompt sender's HTTP client: python-telegram-bot's request interface over aiohttp.

Replies keep PTB's own ``HTTPXRequest``. The prompt sender sends thousands of short requests in
a row, and there httpcore 1.0's pool was the largest cost: at every request and every response
it walks all connections and, for each idle one, asks the socket whether it is readable, so a
batch that leaves connections idle pays for them at every step (``docs/performance.md``,
benchmark 1: aiohttp's pool took the pipeline from about 40% of the bare PTB loop's speed to
above it). PTB documents custom ``BaseRequest`` backends; this one sends the Bot API's form
fields as ``application/x-www-form-urlencoded``, as ``HTTPXRequest`` does.

Errors keep their meaning for the delivery ledger (``scheduler.sender.classify``): a request
that surely never left (no connection, no free connection in time) raises with
:class:`NotSent` as its cause; one that may have reached Telegram raises with the aiohttp
error as its cause. Messages name the error's type only: aiohttp's texts can carry the URL, and
the URL carries the bot token.
"""

from __future__ import annotations

from typing import Final

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["NotSent", "PromptRequest"]

CONNECT_TIMEOUT: Final = 5.0
READ_TIMEOUT: Final = 5.0
POOL_TIMEOUT: Final = 1.0
"""The same defaults as PTB's ``HTTPXRequest`` (connect, read; waiting for a connection)."""


class NotSent(Exception):  # a marker cause, not raised on its own
    """The request never left this process: no connection could be opened or taken in time."""


class PromptRequest(BaseRequest):
    """A ``BaseRequest`` for text messages over one aiohttp session.

    Args:
        connections: The most connections open at once (and so requests in flight).
        connect_timeout: Seconds to open a connection.
        read_timeout: Seconds to wait for each part of the answer.
        pool_timeout: Seconds to wait for a free connection.
    """

    def __init__(
        self,
        connections: int,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        pool_timeout: float = POOL_TIMEOUT,
    ) -> None:
        if connections < 1:
            raise ValueError("connections must be at least 1")
        self._connections = connections
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """See :attr:`BaseRequest.read_timeout`."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (its pool opens connections as they are needed)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                # The token is in every URL: nothing of a request goes to a trace or a cookie.
                cookie_jar=aiohttp.DummyCookieJar(),
                raise_for_status=False,
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See :meth:`BaseRequest.do_request`; files are not supported (prompts are text).

        Raises:
            RuntimeError: Not initialized.
            ValueError: The request carries files.
            TimedOut: No answer in time (or no connection: caused by :class:`NotSent`).
            NetworkError: The connection failed (before sending: caused by :class:`NotSent`).
        """
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This PromptRequest is not initialized")
        if request_data is not None and request_data.contains_files:
            raise ValueError("PromptRequest sends text messages only, not files")
        del write_timeout  # a form of a few hundred bytes: the read timeout covers it
        connect = _or(connect_timeout, self._connect_timeout)
        timeout = aiohttp.ClientTimeout(
            total=None,
            # Waiting for a free connection and opening one, then each read of the answer.
            connect=_or(pool_timeout, self._pool_timeout) + connect,
            sock_connect=connect,
            sock_read=_or(read_timeout, self._read_timeout),
        )
        data = request_data.json_parameters if request_data is not None else None
        try:
            async with session.request(
                method,
                url,
                data=data,
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
                allow_redirects=False,
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:
            raise TimedOut(f"aiohttp.{type(error).__name__}") from NotSent()
        except aiohttp.ClientConnectorError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}") from NotSent()
        except (TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise TimedOut(f"aiohttp.{type(error).__name__}") from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}") from error


def _or(value: object, default: float) -> float:
    """A timeout a caller passed, else ours (PTB passes a sentinel for "not given")."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return default
