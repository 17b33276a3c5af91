"""A python-telegram-bot ``BaseRequest`` that talks to a ``FakeTelegram`` in-process.

Parameters travel exactly as PTB's ``HTTPXRequest`` would post them
(``RequestData.json_parameters`` plus ``multipart_data``), so the fake decodes the same strings
over both transports, and HTTP statuses go back through PTB's own error mapping.
"""

from __future__ import annotations

import asyncio
import json
from typing import Final
from urllib.parse import urlsplit

from telegram import Bot
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.sandbox.errors import RequestHung, ServiceDown
from bot.sandbox.fake_api import FakeTelegram

_NOT_FOUND: Final = b'{"ok":false,"error_code":404,"description":"Not Found"}'


def split_api_url(url: str) -> tuple[str, str]:
    """Return ``(token, method)`` from a Bot API URL such as ``.../bot<token>/sendMessage``.

    Works for any ``base_url``: the method is the last path segment and the token the one
    before it, without its ``bot`` prefix.
    """
    segments = [segment for segment in urlsplit(url).path.split("/") if segment]
    if len(segments) < 2:
        return "", segments[-1] if segments else ""
    token_segment, method = segments[-2], segments[-1]
    return token_segment.removeprefix("bot"), method


class FakeRequest(BaseRequest):
    """Routes PTB requests to ``fake.call`` without a network.

    ``fake.faults`` applies here as it does over HTTP: a hung request raises ``TimedOut``, an
    outage ``NetworkError``, and ``latency`` delays every answer (``TimedOut`` when it exceeds
    the read timeout).
    """

    __slots__ = ("_closed", "_fake", "_read_timeout")

    def __init__(self, fake: FakeTelegram, *, read_timeout: float | None = 5.0) -> None:
        self._fake = fake
        self._read_timeout = read_timeout
        self._closed = False

    @property
    def fake(self) -> FakeTelegram:
        """The fake this request talks to."""
        return self._fake

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds (used when PTB passes none)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the request (idempotent), like ``HTTPXRequest`` re-creating its client."""
        self._closed = False

    async def shutdown(self) -> None:
        """Close the request; further requests raise ``RuntimeError`` until ``initialize``."""
        self._closed = True

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See ``BaseRequest.do_request``: answer from the fake as (status, JSON bytes)."""
        if self._closed:
            raise RuntimeError("This FakeRequest is not initialized!")
        timeout = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        token, api_method = split_api_url(url)
        if method != "POST":
            return 404, _NOT_FOUND
        await self._apply_latency(timeout)
        params = request_data.json_parameters if request_data is not None else {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data is not None and request_data.contains_files:
            for name, (file_name, content, _mime) in request_data.multipart_data.items():
                data = content if isinstance(content, bytes) else content.read()
                files[name] = (file_name, data)
        try:
            status, body = await self._fake.call(api_method, params, files, token=token)
        except RequestHung as error:
            raise TimedOut("Timed out: the sandbox left the request without an answer") from error
        except ServiceDown as error:
            raise NetworkError("httpx.ConnectError: the sandbox Bot API is down") from error
        return status, json.dumps(body).encode()

    async def _apply_latency(self, read_timeout: float | None) -> None:
        latency = self._fake.faults.latency
        if latency <= 0:
            return
        if read_timeout is not None and latency > read_timeout:
            await asyncio.sleep(read_timeout)
            raise TimedOut("Timed out: sandbox latency exceeds the read timeout")
        await asyncio.sleep(latency)


def fake_bot(fake: FakeTelegram, *, read_timeout: float | None = 5.0) -> Bot:
    """A ``telegram.Bot`` whose both requests (regular and ``getUpdates``) go to ``fake``.

    PTB keeps a separate request object for ``getUpdates``: pass a ``FakeRequest`` for both
    (``ApplicationBuilder().request(...).get_updates_request(...)`` in an application).
    """
    return Bot(
        fake.token,
        request=FakeRequest(fake, read_timeout=read_timeout),
        get_updates_request=FakeRequest(fake, read_timeout=read_timeout),
    )
