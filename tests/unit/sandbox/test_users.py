"""Simulated users, groups and channels produce real updates and read the bot's messages."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Bot, Update

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.users import SimulatedUser, command_entities

KEYBOARD = {
    "inline_keyboard": [
        [{"text": "Yes", "callback_data": "act:yes"}, {"text": "Site", "url": "https://x.org"}]
    ]
}


async def bot_says(fake: FakeTelegram, chat_id: int, text: str, **params) -> dict[str, Any]:
    status, body = await fake.call("sendMessage", {"chat_id": chat_id, "text": text, **params})
    assert status == 200, body
    result: dict[str, Any] = body["result"]
    return result


def test_command_entities_use_utf16_lengths() -> None:
    assert command_entities("/start now") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert command_entities("/start@kindling_bot") == [
        {"type": "bot_command", "offset": 0, "length": 19}
    ]
    assert command_entities("hello /start") == []
    assert command_entities("/start🙂") == []


async def test_send_command_builds_a_real_update(fake: FakeTelegram) -> None:
    ana = fake.add_user("Ana", language_code="pt")
    data = await ana.send_command("/start", "ref-42")
    update = Update.de_json(data, Bot(fake.token))
    assert update.message is not None
    assert update.message.text == "/start ref-42"
    assert update.message.parse_entities() == {update.message.entities[0]: "/start"}
    assert update.effective_user is not None
    assert update.effective_user.language_code == "pt"
    assert update.effective_chat is not None
    assert update.effective_chat.id == ana.id
    assert fake.pending_updates == [data]


async def test_send_text_detects_commands(fake: FakeTelegram) -> None:
    ana = fake.add_user("Ana")
    data = await ana.send_text("/help")
    assert data["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 5}]
    plain = await ana.send_text("just words")
    assert "entities" not in plain["message"]


async def test_media_and_location_updates(fake: FakeTelegram) -> None:
    ana = fake.add_user("Ana")
    bot = Bot(fake.token)
    location = Update.de_json(await ana.share_location(52.52, 13.4), bot).message
    assert location is not None
    assert location.location is not None
    assert (location.location.latitude, location.location.longitude) == (52.52, 13.4)
    sticker = Update.de_json(await ana.send_sticker(), bot).message
    assert sticker is not None
    assert sticker.sticker is not None
    photo = Update.de_json(await ana.send_photo(caption="me"), bot).message
    assert photo is not None
    assert len(photo.photo) == 3
    assert photo.caption == "me"
    voice = Update.de_json(await ana.send_voice(), bot).message
    assert voice is not None
    assert voice.voice is not None
    document = Update.de_json(await ana.send_document("a.pdf", "application/pdf"), bot).message
    assert document is not None
    assert document.document is not None
    assert document.document.file_name == "a.pdf"


async def test_press_creates_a_callback_query(fake: FakeTelegram, ana: SimulatedUser) -> None:
    sent = await bot_says(fake, ana.id, "Pick", reply_markup=KEYBOARD)
    data = await ana.press("Yes")
    update = Update.de_json(data, Bot(fake.token))
    query = update.callback_query
    assert query is not None
    assert query.data == "act:yes"
    assert query.message is not None
    assert query.message.message_id == sent["message_id"]
    assert query.from_user.id == ana.id
    other = await ana.press("Yes")
    assert other["callback_query"]["id"] != data["callback_query"]["id"]


async def test_press_finds_the_latest_message_with_the_button(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    older = await bot_says(fake, ana.id, "Old", reply_markup=KEYBOARD)
    newer = await bot_says(fake, ana.id, "New", reply_markup=KEYBOARD)
    await bot_says(fake, ana.id, "No buttons")
    data = await ana.press("Yes")
    assert data["callback_query"]["message"]["message_id"] == newer["message_id"]
    data = await ana.press("Yes", message_id=older["message_id"])
    assert data["callback_query"]["message"]["message_id"] == older["message_id"]


async def test_press_missing_button_is_a_clear_error(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    await bot_says(fake, ana.id, "Pick", reply_markup=KEYBOARD)
    with pytest.raises(LookupError, match=r"no inline button 'Nope'.*'Yes'"):
        await ana.press("Nope")
    with pytest.raises(ValueError, match="not a callback button"):
        await ana.press("Site")


async def test_press_data_on_a_deleted_message(fake: FakeTelegram, ana: SimulatedUser) -> None:
    sent = await bot_says(fake, ana.id, "Pick", reply_markup=KEYBOARD)
    await fake.call("deleteMessage", {"chat_id": ana.id, "message_id": sent["message_id"]})
    data = await ana.press_data(sent["message_id"], "act:forged")
    query = Update.de_json(data, Bot(fake.token)).callback_query
    assert query is not None
    assert query.data == "act:forged"
    assert query.message is not None
    assert query.message.message_id == sent["message_id"]
    assert not query.message.is_accessible


async def test_messages_reflect_edits_and_deletions(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    first = await bot_says(fake, ana.id, "One", reply_markup=KEYBOARD)
    await bot_says(fake, ana.id, "Two")
    await fake.call(
        "editMessageText", {"chat_id": ana.id, "message_id": first["message_id"], "text": "Uno"}
    )
    assert [(m.text, m.edits) for m in ana.messages] == [("Uno", 1), ("Two", 0)]
    await fake.call("deleteMessage", {"chat_id": ana.id, "message_id": first["message_id"]})
    assert [m.text for m in ana.messages] == ["Two"]
    assert ana.last_message.text == "Two"
    assert ana.last_message.kind == "text"


async def test_last_message_without_messages(fake: FakeTelegram) -> None:
    ana = fake.add_user("Ana")
    with pytest.raises(LookupError):
        _ = ana.last_message


async def test_buttons_and_reply_keyboard(fake: FakeTelegram, ana: SimulatedUser) -> None:
    await bot_says(fake, ana.id, "Pick", reply_markup=KEYBOARD)
    assert ana.last_message.buttons == [["Yes", "Site"]]
    keyboard = {"keyboard": [["Morning", "Evening"]], "one_time_keyboard": True}
    await bot_says(fake, ana.id, "When?", reply_markup=keyboard)
    assert ana.last_message.reply_keyboard == [["Morning", "Evening"]]
    shown = ana.reply_keyboard
    assert shown == [["Morning", "Evening"]]
    data = await ana.tap("Morning")
    assert data["message"]["text"] == "Morning"
    shown_after_tap = ana.reply_keyboard
    assert shown_after_tap is None
    with pytest.raises(LookupError):
        await ana.tap("Evening")


async def test_remove_keyboard(fake: FakeTelegram, ana: SimulatedUser) -> None:
    await bot_says(fake, ana.id, "When?", reply_markup={"keyboard": [["A"]]})
    await bot_says(fake, ana.id, "Thanks", reply_markup={"remove_keyboard": True})
    assert ana.reply_keyboard is None


async def test_wait_for_messages_wakes_on_sends(fake: FakeTelegram, ana: SimulatedUser) -> None:
    await bot_says(fake, ana.id, "before")
    await ana.send_text("hi")

    async def reply_later() -> None:
        await asyncio.sleep(0)
        await bot_says(fake, ana.id, "one")
        await bot_says(fake, ana.id, "two")

    task = asyncio.create_task(reply_later())
    messages = await ana.wait_for_messages(2, timeout=1)
    await task
    assert [m.text for m in messages] == ["one", "two"]


async def test_wait_for_messages_times_out_with_what_arrived(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    await ana.send_text("hi")
    await bot_says(fake, ana.id, "only one")
    with pytest.raises(TimeoutError, match="got 1"):
        await ana.wait_for_messages(2, timeout=0.01)


async def test_group_privacy_mode(fake: FakeTelegram) -> None:
    ana = fake.add_user("Ana")
    group = fake.add_group("Kind friends")
    assert await group.send_text(ana, "chatting among ourselves") is None
    command = await group.send_command(ana, "/start")
    assert command is not None
    assert command["message"]["text"] == "/start@kindling_bot"
    assert command["message"]["chat"]["type"] == "group"
    mention = await group.send_text(ana, "hey @kindling_bot")
    assert mention is not None
    assert mention["message"]["entities"] == [{"type": "mention", "offset": 4, "length": 13}]
    status, body = await fake.call("sendMessage", {"chat_id": group.id, "text": "Hi all"})
    assert status == 200
    reply = await group.send_text(ana, "thanks", reply_to=body["result"]["message_id"])
    assert reply is not None
    assert [m.text for m in group.messages] == ["Hi all"]


async def test_channel_post(fake: FakeTelegram) -> None:
    channel = fake.add_channel("News", username="kind_news")
    data = await channel.post("Hello")
    update = Update.de_json(data, Bot(fake.token))
    assert update.channel_post is not None
    assert update.channel_post.sender_chat is not None
    assert update.channel_post.sender_chat.id == channel.id
    status, _ = await fake.call("sendMessage", {"chat_id": "@kind_news", "text": "Post"})
    assert status == 200
    assert [m.text for m in channel.messages] == ["Post"]


async def test_block_and_unblock(fake: FakeTelegram, ana: SimulatedUser) -> None:
    ana.block()
    assert ana.blocked
    ana.unblock()
    assert not ana.blocked


async def test_updates_returned_are_copies(fake: FakeTelegram) -> None:
    ana = fake.add_user("Ana")
    data = await ana.send_text("hi")
    data["message"]["text"] = "changed"
    assert fake.pending_updates[0]["message"]["text"] == "hi"
