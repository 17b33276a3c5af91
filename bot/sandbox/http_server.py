"""Serve a ``FakeTelegram`` over loopback HTTP, at Telegram's URL layout.

Requests arrive at ``/bot<token>/<method>`` (PTB's ``base_url`` is ``server.base_url``, the
token is appended). GET and POST; query strings, ``application/json``,
``application/x-www-form-urlencoded`` and ``multipart/form-data`` (uploads) are accepted.

Run standalone for a subprocess-based test or by hand::

    python -m bot.sandbox.http_server --port 8081
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import socket
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

import tornado.httpserver
import tornado.netutil
import tornado.web

from bot.sandbox.errors import RequestHung, ServiceDown
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.webhook import WebhookPusher

T = TypeVar("T")

_LOGGER = logging.getLogger(__name__)
_BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


class _ApiHandler(tornado.web.RequestHandler):
    """One Bot API request: ``/bot<token>/<method>``."""

    server: FakeTelegramServer

    def initialize(self, server: FakeTelegramServer) -> None:
        self.server = server

    def check_xsrf_cookie(self) -> None:
        """The Bot API has no cookies."""

    async def get(self, token: str, method: str) -> None:
        """GET with query parameters."""
        await self._handle(token, method)

    async def post(self, token: str, method: str) -> None:
        """POST with a query string, JSON, a form or multipart data."""
        await self._handle(token, method)

    async def _handle(self, token: str, method: str) -> None:
        task = asyncio.current_task()
        if task is not None:
            self.server._in_flight.add(task)
        try:
            await self._answer(token, method)
        finally:
            if task is not None:
                self.server._in_flight.discard(task)

    async def _answer(self, token: str, method: str) -> None:
        fake = self.server.fake
        if fake.faults.latency > 0:
            await asyncio.sleep(fake.faults.latency)
        try:
            params, files = self._parse()
        except ValueError:
            self._send(
                400, {"ok": False, "error_code": 400, "description": "Bad Request: invalid JSON"}
            )
            return
        try:
            status, body = await fake.call(method, params, files, token=token)
        except RequestHung:
            # Never answer; the client's read timeout fires. Released when the server stops.
            await self.server._released.wait()
            return
        except ServiceDown:
            self._bad_gateway()
            return
        self._send(status, body)

    def _parse(self) -> tuple[dict[str, object], dict[str, tuple[str, bytes]]]:
        params: dict[str, object] = {
            key: values[-1].decode() for key, values in self.request.query_arguments.items()
        }
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json") and self.request.body:
            payload = json.loads(self.request.body)
            if not isinstance(payload, dict):
                raise ValueError("JSON body must be an object")
            params.update(payload)
        else:
            for key, values in self.request.body_arguments.items():
                params[key] = values[-1].decode()
        files = {
            name: (uploads[0].filename, uploads[0].body)
            for name, uploads in self.request.files.items()
            if uploads
        }
        return params, files

    def _send(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def _bad_gateway(self) -> None:
        self.set_status(502)
        self.set_header("Content-Type", "text/html")
        self.finish(_BAD_GATEWAY_PAGE)


class _NotFoundHandler(tornado.web.RequestHandler):
    """Any other path: Telegram's 404."""

    def check_xsrf_cookie(self) -> None:
        """The Bot API has no cookies."""

    def _not_found(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "application/json")
        self.finish('{"ok":false,"error_code":404,"description":"Not Found"}')

    async def get(self, *_: str) -> None:
        """Not found."""
        self._not_found()

    async def post(self, *_: str) -> None:
        """Not found."""
        self._not_found()


class FakeTelegramServer:
    """Loopback HTTP server for a ``FakeTelegram``, with webhook push.

    Usage::

        server = FakeTelegramServer(fake)
        await server.start()
        bot = telegram.Bot(fake.token, base_url=server.base_url)
        ...
        await server.stop()
    """

    def __init__(self, fake: FakeTelegram, *, push_webhooks: bool = True) -> None:
        self.fake = fake
        self.pusher: WebhookPusher | None = WebhookPusher(fake) if push_webhooks else None
        self.host = "127.0.0.1"
        self.port = 0
        self._server: tornado.httpserver.HTTPServer | None = None
        self._released = asyncio.Event()
        self._in_flight: set[asyncio.Task[Any]] = set()

    @property
    def base_url(self) -> str:
        """PTB ``base_url``: ``http://127.0.0.1:<port>/bot`` (the token is appended)."""
        if self._server is None:
            raise RuntimeError("the server is not started")
        return f"http://{self.host}:{self.port}/bot"

    @property
    def api_url(self) -> str:
        """The URL prefix for this bot's methods: ``<base_url><token>/``."""
        return f"{self.base_url}{self.fake.token}/"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host:port`` (``port=0`` picks a free port) and start webhook push."""
        if self._server is not None:
            raise RuntimeError("the server is already started")
        app = tornado.web.Application(
            [
                (r"/bot([^/]+)/([^/?]+)", _ApiHandler, {"server": self}),
                (r"/(.*)", _NotFoundHandler),
            ],
        )
        sockets = tornado.netutil.bind_sockets(port, host, family=socket.AF_INET)
        self._released = asyncio.Event()
        self._server = tornado.httpserver.HTTPServer(app, xheaders=False)
        self._server.add_sockets(sockets)
        self.host = host
        self.port = int(sockets[0].getsockname()[1])
        if self.pusher is not None:
            await self.pusher.start()

    async def stop(self) -> None:
        """Stop webhook push, release hung and long-polling requests, close connections."""
        server, self._server = self._server, None
        if self.pusher is not None:
            await self.pusher.stop()
        if server is None:
            return
        server.stop()
        self._released.set()
        self.fake.interrupt_long_polls()
        pending = [task for task in self._in_flight if not task.done()]
        if pending:
            await asyncio.wait(pending, timeout=1.0)
        await server.close_all_connections()

    async def __aenter__(self) -> FakeTelegramServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


class ServerThread:
    """Run a ``FakeTelegramServer`` on its own event loop in a daemon thread.

    The fake then belongs to that loop: drive simulated users through :meth:`run`, e.g.
    ``thread.run(user.send_text("hi"))``.
    """

    def __init__(self, fake: FakeTelegram, host: str = "127.0.0.1", port: int = 0) -> None:
        self.fake = fake
        self.server = FakeTelegramServer(fake)
        self._host, self._port = host, port
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The running server's ``base_url``."""
        return self.server.base_url

    def start(self) -> str:
        """Start the thread and the server; return ``base_url``."""
        self._thread.start()
        self.run(self.server.start(self._host, self._port))
        return self.base_url

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = 10.0) -> T:
        """Run ``coro`` on the server's loop and return its result."""
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout)

    def stop(self) -> None:
        """Stop the server, the loop and the thread."""
        with contextlib.suppress(RuntimeError):
            self.run(self.server.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> ServerThread:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


async def _serve_forever(host: str, port: int, token: str, username: str) -> None:
    fake = FakeTelegram(token, username=username)
    server = FakeTelegramServer(fake)
    await server.start(host, port)
    print(server.base_url, flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> None:
    """``python -m bot.sandbox.http_server``: serve a fresh fake and print its base URL."""
    parser = argparse.ArgumentParser(description="Serve the sandbox Telegram Bot API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default="123456:SANDBOX-TOKEN")
    parser.add_argument("--username", default="kindling_bot")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_forever(args.host, args.port, args.token, args.username))


if __name__ == "__main__":
    main()
