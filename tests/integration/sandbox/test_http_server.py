"""The fake over loopback HTTP with PTB's default HTTPXRequest, as ``python -m bot`` uses it."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import httpx
import pytest
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TimedOut

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.http_server import FakeTelegramServer, ServerThread
from bot.sandbox.webhook import SECRET_HEADER
from tests.integration.sandbox.conftest import Receiver


async def test_base_url_layout(fake: FakeTelegram, server: FakeTelegramServer) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}/bot"
    assert server.api_url == f"{server.base_url}{fake.token}/"


async def test_send_message_over_http(fake: FakeTelegram, server: FakeTelegramServer) -> None:
    ana = fake.add_user("Ana")
    await ana.send_command("/start")
    async with Bot(fake.token, base_url=server.base_url) as bot:
        assert bot.username == "kindling_bot"
        message = await bot.send_message(ana.id, "<i>Hi</i>", parse_mode="HTML")
    assert message.text == "Hi"
    assert ana.last_message.entities == [{"type": "italic", "offset": 0, "length": 2}]
    assert fake.calls[-1].params["parse_mode"] == "HTML"


async def test_long_polling_with_offsets(fake: FakeTelegram, server: FakeTelegramServer) -> None:
    ana = fake.add_user("Ana")
    async with Bot(fake.token, base_url=server.base_url) as bot:
        assert await bot.get_updates(timeout=0.05) == ()  # type: ignore[arg-type]
        poll = asyncio.create_task(bot.get_updates(timeout=5))
        await fake.wait_until(lambda: fake.long_polling, 2)
        await ana.send_text("first")
        updates = await asyncio.wait_for(poll, 2)
        assert [u.message.text for u in updates if u.message] == ["first"]
        await ana.send_text("second")
        again = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
        assert [u.message.text for u in again if u.message] == ["second"]
        assert await bot.get_updates(offset=again[-1].update_id + 1, timeout=0) == ()
    assert fake.pending_updates == []


async def test_multipart_send_document(fake: FakeTelegram, server: FakeTelegramServer) -> None:
    ana = fake.add_user("Ana")
    await ana.send_text("hi")
    async with Bot(fake.token, base_url=server.base_url) as bot:
        message = await bot.send_document(
            ana.id, b"date,act\n", filename="acts.csv", caption="Your acts"
        )
    assert message.document is not None
    assert (message.document.file_name, message.document.file_size) == ("acts.csv", 9)
    assert message.caption == "Your acts"
    assert fake.calls[-1].files == {"document": "acts.csv"}


async def test_wrong_token_is_401(fake: FakeTelegram, server: FakeTelegramServer) -> None:
    bot = Bot("999:WRONG", base_url=server.base_url)
    with pytest.raises(InvalidToken):
        await bot.initialize()
    await bot.shutdown()
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{server.base_url}999:WRONG/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_get_form_and_json_requests(fake: FakeTelegram, server: FakeTelegramServer) -> None:
    ana = fake.add_user("Ana")
    await ana.send_text("hi")
    async with httpx.AsyncClient() as client:
        by_query = await client.get(f"{server.api_url}sendMessage?chat_id={ana.id}&text=q")
        by_json = await client.post(
            f"{server.api_url}SENDMESSAGE", json={"chat_id": ana.id, "text": "j"}
        )
        by_form = await client.post(
            f"{server.api_url}sendMessage", data={"chat_id": str(ana.id), "text": "f"}
        )
        missing = await client.post(f"{server.api_url}sendMessage", json={"chat_id": ana.id})
        unknown = await client.post(f"{server.api_url}fly")
        elsewhere = await client.get(f"http://127.0.0.1:{server.port}/")
    assert [r.status_code for r in (by_query, by_json, by_form)] == [200, 200, 200]
    assert [m.text for m in ana.messages] == ["q", "j", "f"]
    assert missing.json()["description"] == "Bad Request: message text is empty"
    assert (unknown.status_code, elsewhere.status_code) == (404, 404)


async def test_outage_answers_502(fake: FakeTelegram, server: FakeTelegramServer) -> None:
    async with Bot(fake.token, base_url=server.base_url) as bot:
        fake.faults.down = True
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.get_me()
        fake.faults.down = False
        assert (await bot.get_me()).username == "kindling_bot"


async def test_hung_request_times_out(fake: FakeTelegram, server: FakeTelegramServer) -> None:
    ana = fake.add_user("Ana")
    await ana.send_text("hi")
    async with Bot(fake.token, base_url=server.base_url) as bot:
        fake.faults.hang_next("sendMessage")
        with pytest.raises(TimedOut):
            await bot.send_message(ana.id, "lost", read_timeout=0.1)
        assert (await bot.send_message(ana.id, "ok")).text == "ok"
    assert [m.text for m in ana.messages] == ["ok"]


async def test_webhook_push_with_secret(
    fake: FakeTelegram, server: FakeTelegramServer, receiver: Receiver
) -> None:
    ana = fake.add_user("Ana")
    async with Bot(fake.token, base_url=server.base_url) as bot:
        assert await bot.set_webhook(receiver.url, secret_token="s3cret-token")
        await ana.send_text("hello")
        await asyncio.wait_for(receiver.arrived.wait(), 2)
        await fake.wait_until(lambda: not fake.pending_updates, 2)
        info = await bot.get_webhook_info()
    update, headers = receiver.received[0]
    assert update["message"]["text"] == "hello"
    assert headers[SECRET_HEADER] == "s3cret-token"
    assert (info.url, info.pending_update_count) == (receiver.url, 0)


async def test_webhook_retries_until_accepted(
    fake: FakeTelegram, server: FakeTelegramServer, receiver: Receiver
) -> None:
    receiver.fail_first = 2
    ana = fake.add_user("Ana")
    async with Bot(fake.token, base_url=server.base_url) as bot:
        await bot.set_webhook(receiver.url)
        await ana.send_text("retry me")
        await asyncio.wait_for(receiver.arrived.wait(), 3)
        await fake.wait_until(lambda: not fake.pending_updates, 2)
        info = await bot.get_webhook_info()
        with pytest.raises(Exception, match="webhook is active"):
            await bot.get_updates()
    assert receiver.attempts == 3
    assert [u["message"]["text"] for u, _ in receiver.received] == ["retry me"]
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_stop_releases_a_waiting_long_poll(fake: FakeTelegram) -> None:
    server = FakeTelegramServer(fake)
    await server.start()
    async with httpx.AsyncClient(timeout=5) as client:
        poll = asyncio.create_task(
            client.post(f"{server.api_url}getUpdates", json={"timeout": 30})
        )
        await fake.wait_until(lambda: fake.long_polling, 2)
        await asyncio.wait_for(server.stop(), 2)
        response = await asyncio.wait_for(poll, 2)
    assert response.json() == {"ok": True, "result": []}


def test_server_thread_serves_a_synchronous_caller() -> None:
    fake = FakeTelegram()
    with ServerThread(fake) as thread:
        ana = thread.run(_add_user(fake))
        response = httpx.post(
            f"{thread.base_url}{fake.token}/sendMessage", json={"chat_id": ana, "text": "hi"}
        )
    assert response.json()["result"]["text"] == "hi"


async def _add_user(fake: FakeTelegram) -> int:
    user = fake.add_user("Ana")
    await user.send_text("hi")
    return user.id


def test_standalone_module_prints_its_base_url() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.sandbox.http_server", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/bot")
        response = httpx.get(f"{base_url}123456:SANDBOX-TOKEN/getMe", timeout=5)
        assert response.json()["result"]["username"] == "kindling_bot"
    finally:
        process.terminate()
        process.wait(timeout=5)
        if process.stdout is not None:
            process.stdout.close()
