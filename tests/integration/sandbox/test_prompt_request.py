"""The prompt sender's aiohttp request against the loopback fake: answers, errors, timeouts.

What matters to the delivery ledger is what each failure means: a request that never left
(no connection, no free connection in time) is retried as "not sent"; one that may have
reached Telegram is "unknown" (``scheduler.sender.classify``). Error texts never carry the
URL, which holds the bot token.
"""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.prompt_request import NotSent, PromptRequest
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.http_server import FakeTelegramServer
from scheduler.sender import SendStatus, classify
from tests.fakes.tcp_proxy import free_port


async def _failure(bot: Bot, chat_id: int, **timeouts: float) -> TelegramError:
    with pytest.raises(TelegramError) as caught:
        await bot.send_message(chat_id, "hello", **timeouts)  # type: ignore[arg-type]
    assert bot.token not in str(caught.value)
    return caught.value


async def test_a_message_goes_out_and_errors_keep_the_bot_api_meaning(
    fake: FakeTelegram, server: FakeTelegramServer
) -> None:
    ana = fake.add_user("Ana")
    await ana.send_text("hi")
    async with Bot(fake.token, base_url=server.base_url, request=PromptRequest(4)) as bot:
        sent = await bot.send_message(ana.id, "Good <b>morning</b>", parse_mode="HTML")
        assert sent.text == "Good morning"
        fake.faults.fail_next("sendMessage", status=429, retry_after=3)
        with pytest.raises(RetryAfter):
            await bot.send_message(ana.id, "again")
        error = await _failure(bot, 42)  # nobody: "chat not found"
        assert isinstance(error, BadRequest)
        assert classify(error).status is SendStatus.BLOCKED
    assert [m.text for m in ana.messages] == ["Good morning"]


async def test_no_connection_is_not_sent(fake: FakeTelegram) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/bot{fake.token}/sendMessage"
    request = PromptRequest(2)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(nowhere)
    finally:
        await request.shutdown()
    error = caught.value
    assert fake.token not in str(error)
    assert isinstance(error.__cause__, NotSent)
    assert classify(error).status is SendStatus.RETRY


async def test_an_answer_that_never_comes_may_have_arrived(
    fake: FakeTelegram, server: FakeTelegramServer
) -> None:
    ana = fake.add_user("Ana")
    await ana.send_text("hi")
    async with Bot(fake.token, base_url=server.base_url, request=PromptRequest(2)) as bot:
        fake.faults.hang_next("sendMessage", after_effect=True)
        error = await _failure(bot, ana.id, read_timeout=0.1)
        assert isinstance(error, TimedOut)
        assert not isinstance(error.__cause__, NotSent)
        assert classify(error).status is SendStatus.UNKNOWN
        assert (await bot.send_message(ana.id, "ok")).text == "ok"


async def test_no_free_connection_in_time_is_not_sent(
    fake: FakeTelegram, server: FakeTelegramServer
) -> None:
    ana = fake.add_user("Ana")
    await ana.send_text("hi")
    request = PromptRequest(1, pool_timeout=0.05)
    async with Bot(fake.token, base_url=server.base_url, request=request) as bot:
        fake.faults.hang_next("sendMessage")
        hung = asyncio.create_task(bot.send_message(ana.id, "hung", read_timeout=1.0))
        await fake.wait_until(lambda: any(c.method == "sendMessage" for c in fake.calls), 5)
        error = await _failure(bot, ana.id, connect_timeout=0.05)
        assert isinstance(error, TimedOut)
        assert isinstance(error.__cause__, NotSent)
        assert classify(error).status is SendStatus.RETRY
        with pytest.raises(TimedOut):
            await hung


async def test_files_and_an_unopened_request_are_refused() -> None:
    request = PromptRequest(1)
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:1/x", "POST")
    await request.initialize()
    try:
        document = RequestParameter.from_input("document", InputFile(b"bytes", filename="a.txt"))
        with pytest.raises(ValueError, match="text messages only"):
            await request.do_request("http://127.0.0.1:1/x", "POST", RequestData([document]))
    finally:
        await request.shutdown()
    with pytest.raises(ValueError, match="at least 1"):
        PromptRequest(0)
