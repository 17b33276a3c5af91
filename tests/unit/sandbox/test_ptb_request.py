"""A real ``telegram.Bot`` over ``FakeRequest``: PTB maps the fake's answers to its errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.request import FakeRequest, fake_bot, split_api_url
from bot.sandbox.users import SimulatedUser


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with fake_bot(fake) as bot:
        yield bot


def test_split_api_url() -> None:
    assert split_api_url("https://api.telegram.org/bot1:AB/sendMessage") == ("1:AB", "sendMessage")
    assert split_api_url("http://127.0.0.1:8081/bot1:AB/getMe") == ("1:AB", "getMe")
    assert split_api_url("http://proxy/tg/1:AB/getMe") == ("1:AB", "getMe")


async def test_initialize_calls_get_me(fake: FakeTelegram, bot: Bot) -> None:
    assert bot.username == "kindling_bot"
    assert fake.calls[0].method == "getMe"


async def test_send_message_and_edit(bot: Bot, ana: SimulatedUser) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data="act:done")]])
    message = await bot.send_message(
        ana.id, "<b>Hello</b>", parse_mode="HTML", reply_markup=markup
    )
    assert message.text == "Hello"
    assert message.entities[0].type == "bold"
    assert message.reply_markup == markup
    edited = await bot.edit_message_text("Bye", chat_id=ana.id, message_id=message.message_id)
    assert isinstance(edited, type(message))
    assert edited.edit_date is not None
    assert ana.last_message.text == "Bye"


async def test_reply_parameters(bot: Bot, ana: SimulatedUser) -> None:
    message = await bot.send_message(ana.id, "Echo", reply_parameters=ReplyParameters(1))
    assert message.reply_to_message is not None
    assert message.reply_to_message.text == "/start"


async def test_bad_request(bot: Bot, ana: SimulatedUser) -> None:
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ana.id, "x" * 4097)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "x")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(ana.id, "x", reply_markup=markup)


async def test_edit_not_modified_and_missing(bot: Bot, ana: SimulatedUser) -> None:
    message = await bot.send_message(ana.id, "Same")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Same", chat_id=ana.id, message_id=message.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=ana.id, message_id=999)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(ana.id, 999)


async def test_answer_callback_query(bot: Bot, ana: SimulatedUser) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
    await bot.send_message(ana.id, "Ok?", reply_markup=markup)
    query_id = (await ana.press("Yes"))["callback_query"]["id"]
    assert await bot.answer_callback_query(query_id, text="Noted")
    assert ana.callback_answers[-1]["text"] == "Noted"
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)


async def test_forbidden(bot: Bot, ana: SimulatedUser) -> None:
    ana.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ana.id, "hi")


async def test_retry_after(
    fake: FakeTelegram, bot: Bot, ana: SimulatedUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PTB 22 warns about int retry_after unless opted into timedelta; the project opts in.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    fake.faults.enforce_limits(per_chat_per_second=1)
    await bot.send_message(ana.id, "one")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ana.id, "two")
    assert caught.value.retry_after == timedelta(seconds=1)


async def test_timed_out(fake: FakeTelegram, bot: Bot, ana: SimulatedUser) -> None:
    fake.faults.hang_next("sendMessage")
    with pytest.raises(TimedOut):
        await bot.send_message(ana.id, "hi")
    assert (await bot.send_message(ana.id, "hi")).text == "hi"


async def test_latency_over_read_timeout_times_out(fake: FakeTelegram, ana: SimulatedUser) -> None:
    async with Bot(fake.token, request=FakeRequest(fake, read_timeout=0.01)) as slow:
        fake.faults.latency = 0.02
        with pytest.raises(TimedOut):
            await slow.send_message(ana.id, "hi")
        assert (await slow.send_message(ana.id, "hi", read_timeout=1)).text == "hi"


async def test_network_error_when_down(fake: FakeTelegram, bot: Bot) -> None:
    fake.faults.down = True
    with pytest.raises(NetworkError) as caught:
        await bot.get_me()
    assert not isinstance(caught.value, TimedOut)


async def test_scripted_server_error_is_network_error(
    fake: FakeTelegram, bot: Bot, ana: SimulatedUser
) -> None:
    fake.faults.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(ana.id, "hi")


async def test_wrong_token_is_invalid_token(fake: FakeTelegram) -> None:
    bot = Bot("999:WRONG", request=FakeRequest(fake))
    with pytest.raises(InvalidToken):
        await bot.initialize()
    await bot.shutdown()


async def test_get_updates_through_ptb(fake: FakeTelegram, bot: Bot) -> None:
    ana = fake.add_user("Ana")
    await ana.send_text("one")
    await ana.send_text("two")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["one", "two"]
    rest = await bot.get_updates(offset=updates[0].update_id + 1, timeout=0)
    assert [u.update_id for u in rest] == [updates[1].update_id]


async def test_uploads_go_through_multipart(
    fake: FakeTelegram, bot: Bot, ana: SimulatedUser
) -> None:
    document = await bot.send_document(ana.id, b"id,name\n", filename="acts.csv", caption="Acts")
    assert document.document is not None
    assert document.document.file_name == "acts.csv"
    assert fake.calls[-1].files == {"document": "acts.csv"}
    photo = await bot.send_photo(ana.id, b"\x89PNG....")
    assert len(photo.photo) == 3


async def test_commands(bot: Bot) -> None:
    await bot.set_my_commands([("start", "Begin"), ("help", "Help")])
    commands = await bot.get_my_commands()
    assert [c.command for c in commands] == ["start", "help"]
    assert await bot.set_my_commands([])  # an empty list removes the menu
    assert await bot.get_my_commands() == ()


async def test_shutdown_closes_the_request(fake: FakeTelegram) -> None:
    request = FakeRequest(fake)
    async with Bot(fake.token, request=request) as bot:
        await bot.get_me()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("https://api.telegram.org/bot1:A/getMe", "POST")
