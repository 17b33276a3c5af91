"""The webhook endpoint under abuse, over loopback HTTP against the running bot.

The bot runs in webhook mode (``serve`` with ``WEBHOOK_URL``), with the sandbox Bot API on its
own loopback server. A recording handler in the earliest group notes every update the
Application processes and stops it there, so what is checked is the path from the HTTP request
to PTB's processing, in order, without the database work of the flows (those are tested in
``tests/flows`` and, in webhook mode, in ``test_runner.py``).

Time is the runtime's ManualClock: the refusal log is paced by it, never by the wall clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import socket
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot import app as app_module
from bot import runner
from bot.config import ConfigError, load_settings
from bot.deps import KindlingApplication
from bot.runner import Runtime, serve
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.http_server import FakeTelegramServer
from bot.webhook_server import (
    MAX_BODY_BYTES,
    SECRET_HEADER,
    Rejection,
    RejectionLog,
    WebhookPortInUse,
)
from scheduler.clock import ManualClock
from tests.fakes.tcp_proxy import free_port

TOKEN = "123456:" + "W" * 35
SECRET = "abuse-test-secret_0123456789"
WAIT = 20.0  # seconds; only a bound for waits on events, never a timing assertion
START = datetime(2031, 3, 4, 9, 30, tzinfo=UTC)
# What a person might write; it must never reach a log, whatever happens to the request.
DIARY = "Dear diary, today I told Sam I was scared of the scan"
WEBHOOK_LOGGER = "bot.webhook_server"


# -- helpers -----------------------------------------------------------------------------------


def message_update(update_id: int, chat_id: int, text: str = "probe") -> dict[str, Any]:
    """A private text message as Telegram pushes it.

    Accepted updates say nothing private: PTB logs each update it processes at DEBUG, which
    is its business. :data:`DIARY` goes only into bodies that are refused.
    """
    person = {"id": chat_id, "is_bot": False, "first_name": "Ana"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(START.timestamp()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Ana"},
            "from": person,
            "text": text,
        },
    }


def encode(update: dict[str, Any]) -> bytes:
    return json.dumps(update).encode()


@dataclass
class Recorder:
    """The first handler of all: notes (chat id, update id) and stops further handling."""

    seen: list[tuple[int, int]] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, update: Update, _context: object) -> None:
        chat = update.effective_chat
        self.seen.append((chat.id if chat is not None else 0, update.update_id))
        self._changed.set()
        raise ApplicationHandlerStop

    async def wait_for(self, count: int) -> None:
        async with asyncio.timeout(WAIT):
            while len(self.seen) < count:
                self._changed.clear()
                await self._changed.wait()


@dataclass
class Bot:
    """The running bot in webhook mode, and how to reach it."""

    fake: FakeTelegram
    url: str
    port: int
    clock: ManualClock
    recorder: Recorder
    stop: asyncio.Event
    task: asyncio.Task[None]
    client: httpx.AsyncClient

    async def post(
        self, body: bytes, *, secret: str | None = SECRET, url: str | None = None
    ) -> int:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        response = await self.client.post(url or self.url, content=body, headers=headers)
        return response.status_code

    async def probe(self, update_id: int) -> None:
        """Post a valid update and wait until it is handled.

        Updates are handled one at a time in arrival order, so anything queued before the
        probe has been handled (and recorded) by the time the probe is.
        """
        before = len(self.recorder.seen)
        assert await self.post(encode(message_update(update_id, 1))) == 200
        await self.recorder.wait_for(before + 1)
        assert self.recorder.seen[-1] == (1, update_id)

    async def finish(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, WAIT)


@pytest.fixture
async def bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Bot]:
    caplog.set_level(logging.DEBUG)  # strictest: nothing of a body at any level
    recorder = Recorder()
    real_build = app_module.build_application

    def build(*args: Any, **kwargs: Any) -> KindlingApplication:
        application = real_build(*args, **kwargs)
        application.add_handler(TypeHandler(Update, recorder), group=-1000)
        return application

    monkeypatch.setattr(runner, "build_application", build)
    fake = FakeTelegram(token=TOKEN)
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    clock = ManualClock(START)
    async with FakeTelegramServer(fake) as server:
        settings = load_settings(
            None,
            telegram_bot_token=TOKEN,
            telegram_base_url=server.base_url,
            database_url=f"sqlite:///{tmp_path / 'k.sqlite3'}",
            webhook_url=url,
            webhook_secret=SECRET,
            webhook_listen="127.0.0.1",
            webhook_port=port,
        )
        runtime = Runtime(token=TOKEN, clock=clock)
        stop = asyncio.Event()
        task = asyncio.create_task(serve(settings, stop, runtime))
        waiter = asyncio.ensure_future(runtime.ready.wait())
        done, _ = await asyncio.wait({waiter, task}, timeout=WAIT, return_when="FIRST_COMPLETED")
        waiter.cancel()
        if task in done:
            task.result()
        assert waiter in done, "the bot was not ready in time"
        limits = httpx.Limits(max_connections=40)  # Telegram's default max_connections
        async with httpx.AsyncClient(timeout=WAIT, limits=limits) as client:
            try:
                yield Bot(fake, url, port, clock, recorder, stop, task, client)
            finally:
                stop.set()
                await asyncio.wait({task}, timeout=WAIT)
                assert task.done(), "serve did not return after the stop event"


async def raw_exchange(port: int, request: bytes) -> tuple[int, bytes]:
    """Send ``request`` as is and read until the server closes the connection.

    Returns:
        The status code and everything the server sent.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        # read() returns only at end of stream: a server that kept the connection open (and
        # went on reading a body it refused) would fail this test by the timeout.
        answer = await asyncio.wait_for(reader.read(), WAIT)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    status = int(answer.split(b" ", 2)[1])
    return status, answer


def head(path: str, *fields: str, secret: str = SECRET) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        f"{SECRET_HEADER}: {secret}",
        *fields,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def refusal_lines(caplog: pytest.LogCaptureFixture, kind: Rejection) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == WEBHOOK_LOGGER and kind.what in record.getMessage()
    ]


def assert_nothing_private_logged(caplog: pytest.LogCaptureFixture) -> None:
    """No body content, no secret and no traceback in any record of any logger."""
    for record in caplog.records:
        text = record.getMessage()
        assert "diary" not in text.lower()
        assert "scared" not in text
        assert SECRET not in text
        assert record.exc_info is None, f"{record.name} logged a traceback: {text}"
        assert record.levelno < logging.ERROR, f"{record.name}: {text}"
    assert "Traceback" not in caplog.text
    assert "diary" not in caplog.text.lower()


# -- the secret --------------------------------------------------------------------------------


async def test_a_missing_or_wrong_secret_is_403_and_compared_in_constant_time(
    bot: Bot, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real_compare = hmac.compare_digest

    def spy(given: bytes, expected: bytes) -> bool:
        compared.append((given, expected))
        return real_compare(given, expected)

    monkeypatch.setattr(hmac, "compare_digest", spy)  # webhook_server calls it through hmac
    body = encode(message_update(500, 31337, DIARY))
    assert await bot.post(body, secret=None) == 403
    assert await bot.post(body, secret=SECRET[:-1] + "X") == 403  # one character off
    assert await bot.post(body, secret=SECRET + "-") == 403
    assert compared == [
        (b"", SECRET.encode()),
        ((SECRET[:-1] + "X").encode(), SECRET.encode()),
        ((SECRET + "-").encode(), SECRET.encode()),
    ]

    await bot.probe(501)
    assert bot.recorder.seen == [(1, 501)]  # none of the refused updates was queued
    assert len(refusal_lines(caplog, Rejection.SECRET)) == 1
    assert_nothing_private_logged(caplog)


async def test_setwebhook_is_called_with_the_secret_and_every_update_type(bot: Bot) -> None:
    assert bot.fake.webhook is not None
    assert bot.fake.webhook.url == bot.url
    assert bot.fake.webhook.secret_token == SECRET
    assert bot.fake.webhook.allowed_updates == list(Update.ALL_TYPES)


# -- size ----------------------------------------------------------------------------------------


async def test_a_declared_body_over_1_mb_is_refused_before_it_is_read(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    path = "/telegram/hook"
    for declared in (MAX_BODY_BYTES + 1, 5 * 1024 * 1024, 200 * 1024 * 1024):
        # Headers only: the server must answer without waiting for (or reading) the body.
        status, answer = await raw_exchange(bot.port, head(path, f"Content-Length: {declared}"))
        assert status == 413, answer
        assert answer.count(b"HTTP/1.1") == 1  # one answer, not tornado's 400 on top of it

    # With the body actually sent (5 MB): refused all the same, and nothing queued.
    big = encode(message_update(600, 42, DIARY + " " * 5 * 1024 * 1024))
    try:
        outcome = str(await bot.post(big))
    except httpx.TransportError:
        # The server closed without reading the body while the client was still sending it,
        # so the client may see the connection reset instead of the 413.
        outcome = "reset"
    assert outcome in {"413", "reset"}

    await bot.probe(601)
    assert bot.recorder.seen == [(1, 601)]
    lines = refusal_lines(caplog, Rejection.TOO_LARGE)
    assert len(lines) == 1
    assert lines[0].startswith("webhook: refused with 413")
    assert_nothing_private_logged(caplog)


async def test_a_body_of_exactly_1_mb_is_accepted(bot: Bot) -> None:
    update = encode(message_update(700, 42))
    body = update + b" " * (MAX_BODY_BYTES - len(update))  # JSON allows trailing whitespace
    assert len(body) == MAX_BODY_BYTES
    assert await bot.post(body) == 200
    await bot.recorder.wait_for(1)
    assert bot.recorder.seen == [(42, 700)]


async def test_a_chunked_body_is_refused_as_soon_as_it_grows_over_1_mb(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    path = "/telegram/hook"
    piece = b" " * (64 * 1024)
    request = head(path, "Transfer-Encoding: chunked")
    request += chunk(encode(message_update(800, 42)))
    request += b"".join(chunk(piece) for _ in range(MAX_BODY_BYTES // len(piece) - 1))
    # The last chunk crosses the limit, and the request stops there (no final CRLF, no end
    # chunk): the server has read everything sent when it answers, so it closes cleanly.
    request += f"{len(piece):x}\r\n".encode() + piece
    status, answer = await raw_exchange(bot.port, request)
    assert status == 413, answer

    # A small chunked update is read to its end and handled.
    update = encode(message_update(801, 43))
    request = head(path, "Transfer-Encoding: chunked", "Connection: close")
    request += chunk(update[:10]) + chunk(update[10:]) + b"0\r\n\r\n"
    status, answer = await raw_exchange(bot.port, request)
    assert status == 200, answer
    await bot.recorder.wait_for(1)
    assert bot.recorder.seen == [(43, 801)]
    assert len(refusal_lines(caplog, Rejection.TOO_LARGE)) == 1
    assert_nothing_private_logged(caplog)


# -- content ---------------------------------------------------------------------------------


NOT_JSON: Sequence[bytes] = (
    b"",
    b"{",
    f'{{"update_id": 1, "message": {{"text": "{DIARY}"'.encode(),  # cut short
    DIARY.encode(),
    b"\xff\xfe\x00 not text at all",
    b"[" * 200_000,  # nested deeper than the decoder recurses
)

NOT_AN_UPDATE: Sequence[Any] = (
    [],
    DIARY,
    42,
    None,
    {},
    {"message": message_update(1, 2)["message"]},  # no update_id
    {"update_id": "9", "message": message_update(1, 2)["message"]},
    {"update_id": True},
    {"update_id": -5},
    {"update_id": 9, "message": DIARY},
    {"update_id": 9, "message": {"text": DIARY}},  # no chat, date or message_id
    {"update_id": 9, "message": {**message_update(9, 2)["message"], "chat": [DIARY]}},
    {"update_id": 9, "callback_query": {"id": "x", "data": DIARY}},
)


async def test_malformed_json_is_400_with_one_quiet_log_line(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    for body in NOT_JSON:
        assert await bot.post(body) == 400, body[:40]

    await bot.probe(900)
    assert bot.recorder.seen == [(1, 900)]
    lines = refusal_lines(caplog, Rejection.NOT_JSON)
    assert lines == [
        "webhook: refused with 400: a body that is not JSON; "
        "0 more since the last line of this kind"
    ]
    assert_nothing_private_logged(caplog)


async def test_json_that_is_not_an_update_is_400_and_never_logged(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    for value in NOT_AN_UPDATE:
        assert await bot.post(json.dumps(value).encode()) == 400, value

    await bot.probe(901)
    assert bot.recorder.seen == [(1, 901)]
    assert len(refusal_lines(caplog, Rejection.NOT_UPDATE)) == 1
    assert_nothing_private_logged(caplog)


async def test_an_update_of_an_unknown_newer_kind_is_accepted(bot: Bot) -> None:
    # Telegram adds update types over time: an unknown field is not a malformed update.
    body = json.dumps({"update_id": 902, "some_future_update": {"id": 1}}).encode()
    assert await bot.post(body) == 200
    await bot.recorder.wait_for(1)
    assert bot.recorder.seen == [(0, 902)]


async def test_other_paths_methods_and_broken_http_are_refused_quietly(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    body = encode(message_update(950, 5))
    diary = encode(message_update(951, 5, DIARY))
    base = f"http://127.0.0.1:{bot.port}"
    assert await bot.post(diary, url=f"{base}/elsewhere") == 404
    assert await bot.post(diary, url=f"{base}/telegram/hook/extra") == 404
    assert (await bot.client.get(bot.url)).status_code == 405
    assert await bot.post(body, url=bot.url + "/") == 200  # a trailing slash is the same path

    for length in ("twelve", "5, 6", "-1"):
        # Headers only: tornado refuses before reading, and no unread data resets the line.
        status, _ = await raw_exchange(
            bot.port, head("/telegram/hook", f"Content-Length: {length}")
        )
        assert status == 400

    await bot.recorder.wait_for(1)
    assert bot.recorder.seen == [(5, 950)]
    assert len(refusal_lines(caplog, Rejection.WRONG_PATH)) == 1
    assert len(refusal_lines(caplog, Rejection.WRONG_METHOD)) == 1
    assert len(refusal_lines(caplog, Rejection.MALFORMED)) == 1
    # tornado's own line per malformed message (quoting the header) is replaced by ours.
    assert not [r for r in caplog.records if r.getMessage().startswith("Malformed HTTP")]
    assert not [r for r in caplog.records if r.name == "tornado.access"]
    assert_nothing_private_logged(caplog)


# -- the log's pace --------------------------------------------------------------------------


async def test_refusals_are_logged_once_per_kind_per_minute_with_a_count(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(5):
        assert await bot.post(b"{") == 400
    for _ in range(3):
        assert await bot.post(b"{}", secret="wrong") == 403
    bot.clock.advance(timedelta(seconds=59))
    assert await bot.post(b"{") == 400
    assert len(refusal_lines(caplog, Rejection.NOT_JSON)) == 1

    bot.clock.advance(timedelta(seconds=1))
    assert await bot.post(b"{") == 400
    assert refusal_lines(caplog, Rejection.NOT_JSON) == [
        "webhook: refused with 400: a body that is not JSON; "
        "0 more since the last line of this kind",
        "webhook: refused with 400: a body that is not JSON; "
        "5 more since the last line of this kind",
    ]
    assert len(refusal_lines(caplog, Rejection.SECRET)) == 1

    await bot.finish()
    # At shutdown the refusals not logged yet are counted in one line per kind.
    assert refusal_lines(caplog, Rejection.SECRET)[-1] == (
        "webhook: 2 more request(s) refused with 403 (a missing or wrong secret token) "
        "since the last line"
    )
    assert len(refusal_lines(caplog, Rejection.NOT_JSON)) == 2
    assert_nothing_private_logged(caplog)


def test_the_refusal_log_counts_per_kind_and_restarts_each_interval(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger=WEBHOOK_LOGGER)
    clock = ManualClock(START)
    log = RejectionLog(clock, interval=timedelta(minutes=1))
    log.note(Rejection.TOO_LARGE)
    log.note(Rejection.TOO_LARGE)
    log.note(Rejection.NOT_UPDATE)  # another kind has its own minute
    clock.advance(timedelta(seconds=30))
    log.note(Rejection.TOO_LARGE)
    clock.advance(timedelta(seconds=30))
    log.note(Rejection.TOO_LARGE)  # a minute after the first line: logged, with the count
    log.note(Rejection.TOO_LARGE)
    log.note(Rejection.FAILED, "builtins.KeyError at webhook_server.py:1 post")
    log.flush()
    log.flush()  # nothing left to tell
    assert [r.getMessage() for r in caplog.records] == [
        "webhook: refused with 413: a body over 1 MB; 0 more since the last line of this kind",
        "webhook: refused with 400: JSON that is not an update; "
        "0 more since the last line of this kind",
        "webhook: refused with 413: a body over 1 MB; 2 more since the last line of this kind",
        "webhook: refused with 500: an unexpected error "
        "(builtins.KeyError at webhook_server.py:1 post); 0 more since the last line of this kind",
        "webhook: 1 more request(s) refused with 413 (a body over 1 MB) since the last line",
    ]


# -- a burst -----------------------------------------------------------------------------------


async def post_in_turn(port: int, bodies: Sequence[bytes]) -> list[int]:
    """POST ``bodies`` one after the other on one keep-alive connection, as Telegram does.

    A minimal HTTP/1.1 client: httpx's pool costs far more per request than the server does.

    Returns:
        The status of each answer.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    statuses = []
    try:
        for body in bodies:
            writer.write(head("/telegram/hook", f"Content-Length: {len(body)}") + body)
            await writer.drain()
            answer = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), WAIT)
            statuses.append(int(answer.split(b" ", 2)[1]))
            length = [
                line.split(b":", 1)[1]
                for line in answer.lower().split(b"\r\n")
                if line.startswith(b"content-length:")
            ]
            await reader.readexactly(int(length[0]) if length else 0)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    return statuses


async def test_a_burst_of_2000_updates_over_50_chats_is_handled_in_order_per_chat(
    bot: Bot,
) -> None:
    chats = [100_000 + n for n in range(50)]
    per_chat = 40

    def update_id(index: int, n: int) -> int:
        return 10_000 + n * len(chats) + index  # interleaved: chats' updates mix in the queue

    # Telegram sends a chat's updates one after the other; chats go in parallel, here each on
    # a connection of its own. No pacing: the whole burst goes as fast as it can.
    statuses = await asyncio.gather(
        *(
            post_in_turn(
                bot.port,
                [encode(message_update(update_id(i, n), chat, f"m{n}")) for n in range(per_chat)],
            )
            for i, chat in enumerate(chats)
        )
    )
    assert [set(answers) for answers in statuses] == [{200}] * len(chats)
    await bot.recorder.wait_for(len(chats) * per_chat)

    assert len(bot.recorder.seen) == 2000
    assert len(set(bot.recorder.seen)) == 2000  # each handled once
    for index, chat_id in enumerate(chats):
        handled = [update for chat, update in bot.recorder.seen if chat == chat_id]
        assert handled == [update_id(index, n) for n in range(per_chat)]


# -- start and stop ----------------------------------------------------------------------------


async def test_stop_closes_the_port(bot: Bot) -> None:
    await bot.finish()
    with pytest.raises(httpx.ConnectError):
        await bot.post(encode(message_update(1, 1)))


async def test_a_webhook_port_in_use_is_a_config_error(tmp_path: Path) -> None:
    fake = FakeTelegram(token=TOKEN)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        async with FakeTelegramServer(fake) as server:
            settings = load_settings(
                None,
                telegram_bot_token=TOKEN,
                telegram_base_url=server.base_url,
                database_url=f"sqlite:///{tmp_path / 'k.sqlite3'}",
                webhook_url=f"http://127.0.0.1:{port}/hook",
                webhook_secret=SECRET,
                webhook_listen="127.0.0.1",
                webhook_port=port,
            )
            with pytest.raises(WebhookPortInUse, match="WEBHOOK_PORT"):
                await asyncio.wait_for(
                    serve(settings, asyncio.Event(), Runtime(token=TOKEN)), WAIT
                )
    assert fake.webhook is None  # nothing was registered for a server that never listened


async def test_setwebhook_is_retried_while_telegram_fails_and_refusal_is_a_config_error(
    tmp_path: Path,
) -> None:
    delays: list[float] = []

    async def backoff(seconds: float) -> None:
        delays.append(seconds)
        await asyncio.sleep(0)

    fake = FakeTelegram(token=TOKEN)
    fake.faults.fail_next("setWebhook", count=2, status=502)
    port = free_port()
    async with FakeTelegramServer(fake) as server:
        settings = load_settings(
            None,
            telegram_bot_token=TOKEN,
            telegram_base_url=server.base_url,
            database_url=f"sqlite:///{tmp_path / 'k.sqlite3'}",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            webhook_secret=SECRET,
            webhook_listen="127.0.0.1",
            webhook_port=port,
        )
        stop = asyncio.Event()
        runtime = Runtime(token=TOKEN, backoff=backoff)
        task = asyncio.create_task(serve(settings, stop, runtime))
        await asyncio.wait_for(runtime.ready.wait(), WAIT)
        assert delays == [1.0, 1.5]
        assert fake.webhook is not None
        assert fake.webhook.secret_token == SECRET
        stop.set()
        await asyncio.wait_for(task, WAIT)

        fake.faults.fail_next(
            "setWebhook", status=400, description="Bad Request: bad webhook: port not allowed"
        )
        with pytest.raises(ConfigError, match="WEBHOOK_URL: Telegram refused the webhook"):
            await asyncio.wait_for(serve(settings, asyncio.Event(), runtime), WAIT)
    # The server that listened for the refused webhook was closed again.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))
