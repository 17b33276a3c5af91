"""Reactions: the bot's setMessageReaction, and people's reactions as message_reaction updates."""

from __future__ import annotations

import json
from typing import Any

import pytest
from telegram import Bot, ReactionTypeEmoji, Update
from telegram.constants import ReactionEmoji
from telegram.error import BadRequest

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.request import fake_bot
from bot.sandbox.users import SimulatedUser
from bot.sandbox.validation import REACTION_EMOJI
from tests.unit.sandbox.conftest import Ticker


async def bot_says(fake: FakeTelegram, user: SimulatedUser, text: str = "Today's act") -> int:
    status, body = await fake.call("sendMessage", {"chat_id": user.id, "text": text})
    assert status == 200, body
    message_id: int = body["result"]["message_id"]
    return message_id


async def react(fake: FakeTelegram, **params: Any) -> tuple[int, dict[str, Any]]:
    return await fake.call("setMessageReaction", params)


def emoji(*names: str) -> str:
    return json.dumps([{"type": "emoji", "emoji": name} for name in names])


async def description_of(fake: FakeTelegram, **params: Any) -> str:
    status, body = await react(fake, **params)
    assert (status, body["ok"]) == (400, False), body
    description: str = body["description"]
    return description


def test_the_emoji_list_is_the_one_python_telegram_bot_knows() -> None:
    # Both follow the Bot API's ReactionTypeEmoji list; a drift means one of them is stale.
    assert {member.value for member in ReactionEmoji} == REACTION_EMOJI
    assert len(REACTION_EMOJI) == 73


# -- the bot reacts ---------------------------------------------------------------------------


async def test_the_bot_reacts_and_the_reaction_is_stored(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    message_id = await bot_says(fake, ana)
    status, body = await react(fake, chat_id=ana.id, message_id=message_id, reaction=emoji("🔥"))
    assert (status, body) == (200, {"ok": True, "result": True})
    message = ana.last_message
    assert message.bot_reaction == [{"type": "emoji", "emoji": "🔥"}]
    assert message.bot_reaction_emoji == ["🔥"]
    assert message.bot_reaction_is_big is False


async def test_a_real_bot_reacts_through_python_telegram_bot(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    message_id = await bot_says(fake, ana)
    async with fake_bot(fake) as bot:
        done = await bot.set_message_reaction(
            ana.id, message_id, [ReactionTypeEmoji(ReactionEmoji.HEART_ON_FIRE)], is_big=True
        )
        assert done is True
        assert ana.last_message.bot_reaction_emoji == [ReactionEmoji.HEART_ON_FIRE.value]
        assert ana.last_message.bot_reaction_is_big is True
        with pytest.raises(BadRequest, match="Message to react not found"):
            await bot.set_message_reaction(ana.id, message_id + 50, ReactionEmoji.FIRE)


async def test_an_empty_list_or_no_reaction_takes_it_back(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    message_id = await bot_says(fake, ana)
    await react(fake, chat_id=ana.id, message_id=message_id, reaction=emoji("👍"))
    status, _ = await react(fake, chat_id=ana.id, message_id=message_id, reaction="[]")
    assert status == 200
    assert ana.last_message.bot_reaction == []
    await react(fake, chat_id=ana.id, message_id=message_id, reaction=emoji("👍"))
    status, _ = await react(fake, chat_id=ana.id, message_id=message_id)
    assert status == 200
    assert ana.last_message.bot_reaction == []


async def test_the_bot_may_react_to_the_persons_message(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    sent = await ana.send_text("I helped a neighbour")
    message_id = sent["message"]["message_id"]
    status, _ = await react(fake, chat_id=ana.id, message_id=message_id, reaction=emoji("🙏"))
    assert status == 200
    state = ana.chat_state
    assert state is not None
    assert state.messages[message_id].bot_reaction_emoji == ["🙏"]


async def test_reactions_set_by_the_bot_send_no_update(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    await fake.call("getUpdates", {"allowed_updates": json.dumps(["message_reaction"])})
    message_id = await bot_says(fake, ana)
    before = list(fake.pending_updates)
    await react(fake, chat_id=ana.id, message_id=message_id, reaction=emoji("🔥"))
    assert fake.pending_updates == before


@pytest.mark.parametrize("message_id", [999, 0, -1, "first", None])
async def test_a_message_that_is_not_there(
    fake: FakeTelegram, ana: SimulatedUser, message_id: object
) -> None:
    await bot_says(fake, ana)
    params: dict[str, Any] = {"chat_id": ana.id, "reaction": emoji("🔥")}
    if message_id is not None:
        params["message_id"] = message_id
    assert await description_of(fake, **params) == "Bad Request: message to react not found"


async def test_a_deleted_message_or_one_of_another_chat(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    await bot_says(fake, ana, "One")
    message_id = await bot_says(fake, ana, "Two")  # message 3 of Ana's chat
    bea = fake.add_user("Bea")
    await bea.send_text("hi")  # Bea's chat has only message 1
    assert await description_of(
        fake, chat_id=bea.id, message_id=message_id, reaction=emoji("🔥")
    ) == ("Bad Request: message to react not found")
    await fake.call("deleteMessage", {"chat_id": ana.id, "message_id": message_id})
    assert await description_of(
        fake, chat_id=ana.id, message_id=message_id, reaction=emoji("🔥")
    ) == ("Bad Request: message to react not found")


async def test_chat_errors(fake: FakeTelegram, ana: SimulatedUser) -> None:
    assert await description_of(fake, message_id=1, reaction=emoji("🔥")) == (
        "Bad Request: chat_id is empty"
    )
    assert await description_of(fake, chat_id=12, message_id=1, reaction=emoji("🔥")) == (
        "Bad Request: chat not found"
    )
    stranger = fake.add_user("Cleo")
    assert await description_of(fake, chat_id=stranger.id, message_id=1) == (
        "Bad Request: chat not found"
    )


@pytest.mark.parametrize(
    ("reaction", "description"),
    [
        ("not json", "can't parse reaction types JSON object"),
        ('{"type": "emoji", "emoji": "🔥"}', "expected an Array of ReactionType"),
        ('["🔥"]', "can't parse ReactionType: expected an Object"),
        ('[{"emoji": "🔥"}]', 'can\'t parse ReactionType: Can\'t find field "type"'),
        ('[{"type": "emoji"}]', 'can\'t parse ReactionType: Can\'t find field "emoji"'),
        ('[{"type": "emoji", "emoji": ["🔥"]}]', 'can\'t parse ReactionType: Field "emoji" must '
         "be of type String"),
        ('[{"type": "sticker"}]', "can't parse ReactionType: invalid reaction type specified"),
        ('[{"type": "custom_emoji"}]', 'can\'t parse ReactionType: Can\'t find field '
         '"custom_emoji_id"'),
    ],
)  # fmt: skip
async def test_malformed_reactions_are_refused_before_the_chat_is_looked_up(
    fake: FakeTelegram, reaction: str, description: str
) -> None:
    # Chat 12 does not exist: the reaction is read first, as the Bot API server does.
    assert await description_of(fake, chat_id=12, message_id=1, reaction=reaction) == (
        f"Bad Request: {description}"
    )


@pytest.mark.parametrize(
    ("reaction", "description"),
    [
        (emoji("🦆"), "REACTION_INVALID"),
        (emoji("❤️"), "REACTION_INVALID"),  # the listed heart is U+2764 without U+FE0F
        (emoji(""), "invalid reaction type specified"),
        (
            '[{"type": "custom_emoji", "custom_emoji_id": "5368324170671202286"}]',
            "REACTION_INVALID",
        ),
        ('[{"type": "paid"}]', "REACTION_INVALID"),
        (emoji("🔥", "👍"), "REACTIONS_TOO_MANY"),
    ],
)
async def test_reactions_a_bot_may_not_set(
    fake: FakeTelegram, ana: SimulatedUser, reaction: str, description: str
) -> None:
    message_id = await bot_says(fake, ana)
    assert await description_of(
        fake, chat_id=ana.id, message_id=message_id, reaction=reaction
    ) == (f"Bad Request: {description}")
    assert ana.last_message.bot_reaction == []


async def test_is_big_must_be_a_boolean(fake: FakeTelegram, ana: SimulatedUser) -> None:
    message_id = await bot_says(fake, ana)
    assert await description_of(
        fake, chat_id=ana.id, message_id=message_id, reaction=emoji("🔥"), is_big="very"
    ) == ('Bad Request: field "is_big" must be of type Boolean')


async def test_unknown_parameters_are_ignored_like_telegram(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    message_id = await bot_says(fake, ana)
    status, _ = await react(
        fake, chat_id=ana.id, message_id=message_id, reaction=emoji("🔥"), future="x"
    )
    assert status == 200


# -- people react -----------------------------------------------------------------------------


async def test_a_persons_reaction_is_a_message_reaction_update(
    fake: FakeTelegram, clock: Ticker, ana: SimulatedUser
) -> None:
    message_id = await bot_says(fake, ana)
    clock.advance(5)
    data = await ana.react("🔥")
    assert data["message_reaction"] == {
        "chat": {"id": ana.id, "type": "private", "first_name": "Ana"},
        "message_id": message_id,
        "user": ana.data,
        "date": int(clock()),
        "old_reaction": [],
        "new_reaction": [{"type": "emoji", "emoji": "🔥"}],
    }
    update = Update.de_json(data, Bot(fake.token))
    changed = update.message_reaction
    assert changed is not None
    assert changed.user is not None
    assert (changed.user.id, changed.message_id) == (ana.id, message_id)
    assert changed.new_reaction == (ReactionTypeEmoji("🔥"),)
    assert ana.last_message.user_reactions == {ana.id: [{"type": "emoji", "emoji": "🔥"}]}


async def test_changing_and_taking_back_carry_the_old_reaction(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    await bot_says(fake, ana)
    await ana.react("🔥")
    changed = (await ana.react("👍"))["message_reaction"]
    assert (changed["old_reaction"], changed["new_reaction"]) == (
        [{"type": "emoji", "emoji": "🔥"}],
        [{"type": "emoji", "emoji": "👍"}],
    )
    removed = (await ana.react(None))["message_reaction"]
    assert (removed["old_reaction"], removed["new_reaction"]) == (
        [{"type": "emoji", "emoji": "👍"}],
        [],
    )
    assert ana.last_message.user_reactions == {}


async def test_a_chosen_message_not_the_latest(fake: FakeTelegram, ana: SimulatedUser) -> None:
    first = await bot_says(fake, ana, "First")
    await bot_says(fake, ana, "Second")
    data = await ana.react("👍", message_id=first)
    assert data["message_reaction"]["message_id"] == first


async def test_updates_reach_the_bot_only_when_it_asks_for_them(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    await bot_says(fake, ana)
    # By default Telegram leaves message_reaction out; the update is built but never queued.
    data = await ana.react("🔥")
    assert data not in fake.pending_updates
    assert all("message_reaction" not in u for u in fake.pending_updates)
    await fake.call("getUpdates", {"allowed_updates": json.dumps(["message", "message_reaction"])})
    data = await ana.react("👍")
    assert fake.pending_updates[-1] == data


async def test_webhook_allowed_updates_decide_too(fake: FakeTelegram, ana: SimulatedUser) -> None:
    await bot_says(fake, ana)
    await fake.call(
        "setWebhook",
        {"url": "https://example.org/hook", "allowed_updates": json.dumps(["message_reaction"])},
    )
    data = await ana.react("🔥")
    assert fake.pending_updates[-1] == data


async def test_reacting_to_nothing_is_a_test_bug(fake: FakeTelegram, ana: SimulatedUser) -> None:
    with pytest.raises(LookupError):
        await ana.react("🔥")  # the bot has not written yet
    await bot_says(fake, ana)
    before = list(fake.pending_updates)
    with pytest.raises(LookupError, match="no message 99"):
        await ana.react("🔥", message_id=99)
    assert fake.pending_updates == before


@pytest.mark.parametrize(
    ("choice", "match"),
    [("🦆", "not a reaction"), (["🔥", "👍"], "at most 1"), (["🔥", "🔥"], "twice")],
)
async def test_what_a_client_would_not_send(
    fake: FakeTelegram, ana: SimulatedUser, choice: str | list[str], match: str
) -> None:
    await bot_says(fake, ana)
    with pytest.raises(ValueError, match=match):
        await ana.react(choice)
    assert ana.last_message.user_reactions == {}


async def test_premium_people_may_put_three(fake: FakeTelegram) -> None:
    cleo = fake.add_user("Cleo", is_premium=True)
    await cleo.send_text("hi")
    await bot_says(fake, cleo)
    data = await cleo.react(["🔥", "👍", "🎉"])
    assert len(data["message_reaction"]["new_reaction"]) == 3
    with pytest.raises(ValueError, match="at most 3"):
        await cleo.react(["🔥", "👍", "🎉", "🙏"])


async def test_a_change_that_changes_nothing_sends_nothing(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    await bot_says(fake, ana)
    with pytest.raises(ValueError, match="already"):
        await ana.react(None)
    await ana.react("🔥")
    with pytest.raises(ValueError, match="already"):
        await ana.react("🔥")
