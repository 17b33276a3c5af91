"""The terminal sandbox's !share and !react, and how it shows the bot's reactions."""

from __future__ import annotations

import io
import json

import pytest

from bot.sandbox import terminal
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.users import SimulatedUser

PICK = {
    "keyboard": [
        [{"text": "Pick a friend", "request_users": {"request_id": 4, "request_name": True}}],
        ["Not now"],
    ]
}


@pytest.fixture
async def sam() -> tuple[FakeTelegram, SimulatedUser, terminal.ChatPrinter, io.StringIO]:
    fake = FakeTelegram(token=terminal.SANDBOX_TOKEN)
    user = fake.add_user("Sam")
    await user.send_text("hi")
    out = io.StringIO()
    return fake, user, terminal.ChatPrinter(user, out), out


async def bot_says(fake: FakeTelegram, chat_id: int, text: str, markup: object = None) -> int:
    params: dict[str, object] = {"chat_id": chat_id, "text": text}
    if markup is not None:
        params["reply_markup"] = json.dumps(markup)
    status, body = await fake.call("sendMessage", params)
    assert status == 200, body
    message_id: int = body["result"]["message_id"]
    return message_id


def test_the_banner_lists_the_new_commands() -> None:
    assert "!share NAME" in terminal.BANNER
    assert "!react EMOJI" in terminal.BANNER


async def test_share_answers_the_request_button_with_a_new_person_each_time(sam) -> None:
    fake, user, printer, _ = sam
    await bot_says(fake, user.id, "Who did you help?", PICK)
    assert await terminal._send(user, printer, "!share Bea Lima") is None
    first = fake.pending_updates[-1]["message"]["users_shared"]
    assert first["request_id"] == 4
    (bea,) = first["users"]
    assert (bea["first_name"], bea["last_name"]) == ("Bea", "Lima")
    assert await terminal._send(user, printer, "!share Bea") is None
    (again,) = fake.pending_updates[-1]["message"]["users_shared"]["users"]
    assert again["user_id"] != bea["user_id"]
    assert "last_name" not in again


async def test_share_needs_a_name_and_a_button(sam) -> None:
    fake, user, printer, _ = sam
    assert await terminal._send(user, printer, "!share") == "usage: !share NAME"
    assert await terminal._send(user, printer, "!share Bea") == (
        "no button is asking you to pick people right now"
    )
    await bot_says(fake, user.id, "Who?", {"keyboard": [["Not now"]]})
    assert await terminal._send(user, printer, "!share Bea") == (
        "no button is asking you to pick people right now"
    )


async def test_the_number_of_a_request_button_explains_itself(sam) -> None:
    fake, user, printer, out = sam
    await bot_says(fake, user.id, "Who did you help?", PICK)
    printer.print_changes()
    assert "[1] Pick a friend" in out.getvalue()
    before = list(fake.pending_updates)
    note = await terminal._send(user, printer, "1")
    assert note == "this button asks you to pick people: type !share NAME"
    assert fake.pending_updates == before
    assert await terminal._send(user, printer, "2") is None
    assert fake.pending_updates[-1]["message"]["text"] == "Not now"


async def test_react_sets_and_takes_back_the_reaction_on_the_last_message(sam) -> None:
    fake, user, printer, _ = sam
    await bot_says(fake, user.id, "First")
    await bot_says(fake, user.id, "Today's act")
    assert await terminal._send(user, printer, "!react 🔥") is None
    assert user.last_message.user_reactions == {user.id: [{"type": "emoji", "emoji": "🔥"}]}
    assert await terminal._send(user, printer, "!react") is None
    assert user.last_message.user_reactions == {}


async def test_react_reports_what_cannot_be_done(sam) -> None:
    fake, user, printer, _ = sam
    assert await terminal._send(user, printer, "!react 🔥") == (
        "the bot has no messages in the chat with Sam"
    )
    await bot_says(fake, user.id, "Today's act")
    assert await terminal._send(user, printer, "!react 🦆") == (
        "'🦆' is not a reaction Telegram offers"
    )
    assert await terminal._send(user, printer, "!react") == (
        "Sam already has exactly these reactions"
    )


async def test_the_bots_reactions_are_printed_and_wake_the_terminal(sam) -> None:
    fake, user, printer, out = sam
    message_id = await bot_says(fake, user.id, "Today's act")
    printer.print_changes()
    before = terminal._activity(fake)
    reaction = json.dumps([{"type": "emoji", "emoji": "🔥"}])
    params = {"chat_id": user.id, "message_id": message_id, "reaction": reaction}
    status, _ = await fake.call("setMessageReaction", params)
    assert status == 200
    # A reaction is an answer: the terminal stops waiting for one.
    assert terminal._activity(fake) != before
    printer.print_changes()
    printer.print_changes()
    assert out.getvalue().count("(Kindling reacted 🔥 to: Today's act)") == 1
    status, _ = await fake.call("setMessageReaction", {**params, "reaction": "[]"})
    printer.print_changes()
    assert "(Kindling took back its reaction to: Today's act)" in out.getvalue()


async def test_a_chosen_chat_button_is_explained_not_pressed(sam) -> None:
    fake, user, printer, _ = sam
    chosen = {"query": "thanks", "allow_user_chats": True}
    markup = {
        "inline_keyboard": [
            [{"text": "Write a thank-you", "switch_inline_query_chosen_chat": chosen}],
            [{"text": "Fine", "callback_data": "x"}],
        ]
    }
    await bot_says(fake, user.id, "Goodnight", markup)
    printer.print_changes()
    before = len(fake.pending_updates)
    note = await terminal._send(user, printer, "1")
    assert note is not None
    assert "chat picker" in note
    assert "'thanks'" in note
    assert len(fake.pending_updates) == before  # nothing was sent
    assert await terminal._send(user, printer, "2") is None  # a callback button still works
    assert fake.pending_updates[-1]["callback_query"]["data"] == "x"
