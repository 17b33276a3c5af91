"""A person answers a request_users button: a ``users_shared`` service message."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, Update

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.users import SimulatedUser


async def ask(fake: FakeTelegram, user: SimulatedUser, *, one_time: bool = False, **request: Any):
    markup: dict[str, Any] = {
        "keyboard": [
            [{"text": "Pick a friend", "request_users": {"request_id": 7, **request}}],
            ["Not now"],
        ]
    }
    if one_time:
        markup["one_time_keyboard"] = True
    status, body = await fake.call(
        "sendMessage", {"chat_id": user.id, "text": "Who?", "reply_markup": markup}
    )
    assert status == 200, body


def shared_of(update: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = update["message"]["users_shared"]
    return result


async def test_shared_user_has_only_the_id_unless_names_were_asked_for(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    bea = fake.add_user("Bea", last_name="Lima", username="bea_l")
    await ask(fake, ana)
    update = await ana.share_users("Pick a friend", [bea])
    assert shared_of(update) == {"request_id": 7, "users": [{"user_id": bea.id}]}
    assert update["message"]["from"]["id"] == ana.id
    assert update["message"]["chat"]["id"] == ana.id
    assert "text" not in update["message"]


async def test_names_username_and_photo_come_when_the_button_asks(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    bea = fake.add_user("Bea", last_name="Lima", username="bea_l")
    await ask(fake, ana, request_name=True, request_username=True, request_photo=True)
    (shared,) = shared_of(await ana.share_users("Pick a friend", [bea]))["users"]
    assert (shared["first_name"], shared["last_name"], shared["username"]) == (
        "Bea",
        "Lima",
        "bea_l",
    )
    assert [size["width"] for size in shared["photo"]] == [160, 640]


async def test_name_only_without_username(fake: FakeTelegram, ana: SimulatedUser) -> None:
    await ask(fake, ana, request_name=True)
    contact = {"id": 777, "is_bot": False, "first_name": "Caio", "username": "caio"}
    (shared,) = shared_of(await ana.share_users("Pick a friend", [contact]))["users"]
    assert shared == {"user_id": 777, "first_name": "Caio"}


async def test_the_update_parses_as_python_telegram_bot_users_shared(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    bea = fake.add_user("Bea")
    await ask(fake, ana, request_name=True, max_quantity=2)
    cleo = fake.add_user("Cleo")
    data = await ana.share_users("Pick a friend", [bea, cleo])
    update = Update.de_json(data, Bot(fake.token))
    assert update.message is not None
    shared = update.message.users_shared
    assert shared is not None
    assert shared.request_id == 7
    assert [(u.user_id, u.first_name) for u in shared.users] == [
        (bea.id, "Bea"),
        (cleo.id, "Cleo"),
    ]
    assert fake.pending_updates[-1] == data


async def test_only_a_button_shown_now_can_be_answered(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    bea = fake.add_user("Bea")
    with pytest.raises(LookupError, match="no request_users button"):
        await ana.share_users("Pick a friend", [bea])
    await ask(fake, ana)
    with pytest.raises(LookupError):
        await ana.share_users("Not now", [bea])
    status, _ = await fake.call(
        "sendMessage",
        {"chat_id": ana.id, "text": "Ok", "reply_markup": {"remove_keyboard": True}},
    )
    assert status == 200
    with pytest.raises(LookupError):
        await ana.share_users("Pick a friend", [bea])


async def test_max_quantity_limits_the_choice(fake: FakeTelegram, ana: SimulatedUser) -> None:
    people = [fake.add_user(name) for name in ("Bea", "Cleo")]
    await ask(fake, ana)
    with pytest.raises(ValueError, match="1 to 1 people"):
        await ana.share_users("Pick a friend", people)
    with pytest.raises(ValueError, match="not 0"):
        await ana.share_users("Pick a friend", [])


async def test_bot_and_premium_filters_are_respected(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    await ask(fake, ana, user_is_bot=False, user_is_premium=True)
    plain = fake.add_user("Bea")
    premium = fake.add_user("Cleo", is_premium=True)
    bot = {"id": 999, "is_bot": True, "first_name": "Helper", "is_premium": True}
    with pytest.raises(ValueError, match="user_is_premium"):
        await ana.share_users("Pick a friend", [plain])
    with pytest.raises(ValueError, match="user_is_bot"):
        await ana.share_users("Pick a friend", [bot])
    update = await ana.share_users("Pick a friend", [premium])
    assert shared_of(update)["users"] == [{"user_id": premium.id}]


async def test_answering_a_one_time_keyboard_hides_it(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    await ask(fake, ana, one_time=True)
    await ana.share_users("Pick a friend", [fake.add_user("Bea")])
    assert ana.reply_keyboard is None


async def test_forged_users_shared_is_posted_as_given(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    # No button at all, an unknown request id, and no name although the bot may want one.
    update = await ana.share_users_data(404, [{"user_id": 31337}])
    assert shared_of(update) == {"request_id": 404, "users": [{"user_id": 31337}]}
    parsed = Update.de_json(update, Bot(fake.token))
    assert parsed.message is not None
    assert parsed.message.users_shared is not None
    assert parsed.message.users_shared.users[0].first_name is None
