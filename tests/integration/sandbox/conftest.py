"""Fixtures: a FakeTelegram served over loopback HTTP, and a webhook receiver."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.http_server import FakeTelegramServer


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
async def server(fake: FakeTelegram) -> AsyncIterator[FakeTelegramServer]:
    server = FakeTelegramServer(fake)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@dataclass
class Receiver:
    """Records webhook POSTs; answers ``fail_first`` of them with 500."""

    fail_first: int = 0
    received: list[tuple[dict[str, Any], dict[str, str]]] = field(default_factory=list)
    attempts: int = 0
    url: str = ""
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


class _Hook(tornado.web.RequestHandler):
    def initialize(self, receiver: Receiver) -> None:
        self.receiver = receiver

    def check_xsrf_cookie(self) -> None:
        pass

    async def post(self) -> None:
        self.receiver.attempts += 1
        if self.receiver.attempts <= self.receiver.fail_first:
            self.set_status(500)
            self.finish("boom")
            return
        self.receiver.received.append((json.loads(self.request.body), dict(self.request.headers)))
        self.receiver.arrived.set()
        self.finish("")


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = tornado.web.Application([(r"/hook", _Hook, {"receiver": receiver})])
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1", family=socket.AF_INET)
    http = tornado.httpserver.HTTPServer(app)
    http.add_sockets(sockets)
    receiver.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/hook"
    try:
        yield receiver
    finally:
        http.stop()
        await http.close_all_connections()
