"""Reply buttons that request users, and inline buttons that switch to a chosen chat."""

from __future__ import annotations

import json
from typing import Any

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    KeyboardButtonRequestUsers,
    ReplyKeyboardMarkup,
    SwitchInlineQueryChosenChat,
)

from bot.sandbox.errors import ApiError
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.users import SimulatedUser
from bot.sandbox.validation import check_reply_markup

WHERE = "Bad Request: can't parse keyboard button"
INLINE = "Bad Request: can't parse inline keyboard button"


def error_of(markup: object) -> str:
    with pytest.raises(ApiError) as caught:
        check_reply_markup(markup)
    assert caught.value.status == 400
    return caught.value.description


def users_button(**request: Any) -> dict[str, Any]:
    return {"keyboard": [[{"text": "Pick a friend", "request_users": request}]]}


def chosen(**chosen_chat: Any) -> dict[str, Any]:
    button = {"text": "Share", "switch_inline_query_chosen_chat": chosen_chat}
    return {"inline_keyboard": [[button]]}


# -- KeyboardButtonRequestUsers ---------------------------------------------------------------


def test_request_users_as_python_telegram_bot_sends_it_is_kept() -> None:
    button = KeyboardButton(
        "Pick friends",
        request_users=KeyboardButtonRequestUsers(
            request_id=7,
            user_is_bot=False,
            user_is_premium=True,
            max_quantity=3,
            request_name=True,
            request_username=True,
            request_photo=False,
        ),
    )
    markup = json.loads(json.dumps(ReplyKeyboardMarkup([[button]]).to_dict()))
    checked = check_reply_markup(markup)
    assert checked is not None
    assert checked["keyboard"][0][0]["request_users"] == {
        "request_id": 7,
        "user_is_bot": False,
        "user_is_premium": True,
        "max_quantity": 3,
        "request_name": True,
        "request_username": True,
        "request_photo": False,
    }


def test_request_id_is_required_and_an_integer() -> None:
    assert error_of(users_button()) == f'{WHERE}: Can\'t find field "request_id"'
    assert error_of(users_button(request_id="seven")) == (
        f'{WHERE}: Field "request_id" must be of type Number'
    )
    assert error_of(users_button(request_id=True)) == (
        f'{WHERE}: Field "request_id" must be of type Number'
    )
    assert error_of(users_button(request_id=2**31)) == (
        f'{WHERE}: Field "request_id" must be of type Number'
    )


def test_request_id_as_a_numeric_string_is_read_as_a_number_like_tdlib() -> None:
    checked = check_reply_markup(users_button(request_id="42"))
    assert checked is not None
    assert checked["keyboard"][0][0]["request_users"]["request_id"] == 42


@pytest.mark.parametrize(
    "flag", ["user_is_bot", "user_is_premium", "request_name", "request_username", "request_photo"]
)
def test_request_users_flags_must_be_booleans(flag: str) -> None:
    assert error_of(users_button(request_id=1, **{flag: "yes"})) == (
        f'{WHERE}: Field "{flag}" must be of type Boolean'
    )


@pytest.mark.parametrize("quantity", [0, 11, -1])
def test_max_quantity_is_1_to_10(quantity: int) -> None:
    assert error_of(users_button(request_id=1, max_quantity=quantity)) == (
        f"{WHERE}: max_quantity must be between 1 and 10"
    )


def test_max_quantity_must_be_an_integer() -> None:
    assert error_of(users_button(request_id=1, max_quantity=2.5)) == (
        f'{WHERE}: Field "max_quantity" must be of type Number'
    )


@pytest.mark.parametrize("quantity", [1, 10])
def test_max_quantity_bounds_are_allowed(quantity: int) -> None:
    assert check_reply_markup(users_button(request_id=1, max_quantity=quantity)) is not None


def test_request_users_must_be_an_object() -> None:
    markup = {"keyboard": [[{"text": "Pick", "request_users": 5}]]}
    assert error_of(markup) == f'{WHERE}: Field "request_users" must be of type Object'


def test_unknown_fields_of_request_users_are_ignored_like_telegram() -> None:
    checked = check_reply_markup(users_button(request_id=1, future_field="x"))
    assert checked is not None


def test_request_ids_are_unique_within_the_message() -> None:
    markup = {
        "keyboard": [
            [{"text": "One", "request_users": {"request_id": 3}}],
            [{"text": "Two", "request_users": {"request_id": 3}}],
        ]
    }
    assert error_of(markup) == f"{WHERE}: request_id 3 is used by more than one button"


@pytest.mark.parametrize(
    ("other", "value"),
    [
        ("request_location", True),
        ("request_contact", True),
        ("request_chat", {"request_id": 9, "chat_is_channel": False}),
        ("request_poll", {}),
        ("web_app", {"url": "https://example.org"}),
    ],
)
def test_a_reply_button_uses_at_most_one_request(other: str, value: object) -> None:
    button = {"text": "Pick", "request_users": {"request_id": 1}, other: value}
    description = error_of({"keyboard": [[button]]})
    assert description.startswith(f"{WHERE}: at most one of the optional fields must be used")
    assert other in description
    assert "request_users" in description


def test_false_request_flags_do_not_count_as_a_request() -> None:
    button = {"text": "Pick", "request_users": {"request_id": 1}, "request_location": False}
    assert check_reply_markup({"keyboard": [[button]]}) is not None


def test_request_location_must_be_a_boolean() -> None:
    markup = {"keyboard": [[{"text": "Where", "request_location": "yes"}]]}
    assert error_of(markup) == f'{WHERE}: Field "request_location" must be of type Boolean'


def test_a_location_button_alone_is_still_fine() -> None:
    markup = {"keyboard": [[{"text": "Where", "request_location": True}]]}
    assert check_reply_markup(markup) == markup


async def test_request_buttons_work_in_private_chats_only(fake: FakeTelegram) -> None:
    group = fake.add_group("Friends")
    status, body = await fake.call(
        "sendMessage",
        {"chat_id": group.id, "text": "Pick", "reply_markup": users_button(request_id=1)},
    )
    assert (status, body["description"]) == (
        400,
        "Bad Request: users can be requested in private chats only",
    )
    location = {"keyboard": [[{"text": "Where", "request_location": True}]]}
    status, body = await fake.call(
        "sendMessage", {"chat_id": group.id, "text": "Where?", "reply_markup": location}
    )
    assert body["description"] == "Bad Request: location can be requested in private chats only"
    poll = {"keyboard": [[{"text": "Ask", "request_poll": {}}]]}
    status, body = await fake.call(
        "sendMessage", {"chat_id": group.id, "text": "Ask?", "reply_markup": poll}
    )
    assert body["description"] == "Bad Request: poll can be requested in private chats only"
    plain = {"keyboard": [[{"text": "Hi", "request_location": False}]]}
    status, body = await fake.call(
        "sendMessage", {"chat_id": group.id, "text": "Hi", "reply_markup": plain}
    )
    assert status == 200, body


async def test_a_request_users_keyboard_becomes_the_chat_keyboard(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    markup = json.dumps(users_button(request_id=5, request_name=True))
    status, body = await fake.call(
        "sendMessage", {"chat_id": ana.id, "text": "Who?", "reply_markup": markup}
    )
    assert status == 200, body
    assert ana.reply_keyboard == [["Pick a friend"]]
    assert ana.request_users_button("Pick a friend") == {
        "text": "Pick a friend",
        "request_users": {"request_id": 5, "request_name": True},
    }


# -- SwitchInlineQueryChosenChat --------------------------------------------------------------


def test_chosen_chat_as_python_telegram_bot_sends_it_is_kept() -> None:
    button = InlineKeyboardButton(
        "Share",
        switch_inline_query_chosen_chat=SwitchInlineQueryChosenChat(
            query="kindness", allow_user_chats=True, allow_group_chats=True
        ),
    )
    markup = json.loads(json.dumps(InlineKeyboardMarkup([[button]]).to_dict()))
    assert check_reply_markup(markup) == {
        "inline_keyboard": [
            [
                {
                    "text": "Share",
                    "switch_inline_query_chosen_chat": {
                        "query": "kindness",
                        "allow_user_chats": True,
                        "allow_group_chats": True,
                    },
                }
            ]
        ]
    }


def test_chosen_chat_must_allow_some_chat_type() -> None:
    assert error_of(chosen(query="x")) == "Bad Request: at least one chat type must be allowed"
    assert error_of(chosen(allow_user_chats=False, allow_bot_chats=False)) == (
        "Bad Request: at least one chat type must be allowed"
    )


@pytest.mark.parametrize(
    "flag", ["allow_user_chats", "allow_bot_chats", "allow_group_chats", "allow_channel_chats"]
)
def test_any_one_chat_type_is_enough(flag: str) -> None:
    assert check_reply_markup(chosen(**{flag: True})) is not None


def test_chosen_chat_flags_must_be_booleans() -> None:
    assert error_of(chosen(allow_user_chats=True, allow_group_chats="yes")) == (
        f'{INLINE}: Field "allow_group_chats" must be of type Boolean'
    )


def test_chosen_chat_query_must_be_a_string() -> None:
    assert error_of(chosen(query=["x"], allow_user_chats=True)) == (
        f'{INLINE}: Field "query" must be of type String'
    )


def test_chosen_chat_must_be_an_object() -> None:
    markup = {"inline_keyboard": [[{"text": "Share", "switch_inline_query_chosen_chat": "x"}]]}
    assert error_of(markup) == (
        f'{INLINE}: Field "switch_inline_query_chosen_chat" must be of type Object'
    )


def test_chosen_chat_is_still_one_action_of_the_button() -> None:
    button = {
        "text": "Share",
        "callback_data": "a",
        "switch_inline_query_chosen_chat": {"allow_user_chats": True},
    }
    assert "exactly one of the optional fields" in error_of({"inline_keyboard": [[button]]})
