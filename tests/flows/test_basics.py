"""/start, /help, groups, and messages no flow claims, through the real Application."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import col, func, select

from storage.models import User, UserStatus
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded


async def count_users(bot: Harness) -> int:
    async with bot.db.session() as session:
        return (await session.exec(select(func.count(col(User.id))))).one()


async def test_start_welcomes_and_registers_once(bot: Harness) -> None:
    ana = bot.person("Ana")
    await bot.say(ana, "/start")
    welcome = ana.messages[-2].text or ""
    assert "Hi Ana, I'm Kindling." in welcome
    assert "not a therapist" in welcome
    assert "“Not today” is always a fine answer." in welcome

    await bot.say(ana, "/start")
    # Still onboarding: a friendly hello, and the time zone question again.
    assert "Hello again, Ana." in (ana.messages[-2].text or "")
    assert await count_users(bot) == 1


async def test_start_reactivates_a_stopped_person(bot: Harness) -> None:
    ana = bot.person("Ana")
    await bot.say(ana, "/start")
    async with bot.db.write() as session:
        user = (await session.exec(select(User))).one()
        user.status = UserStatus.BLOCKED
    await bot.say(ana, "/start")
    assert "prompts are on again" in (ana.last_message.text or "")
    async with bot.db.session() as session:
        assert (await session.exec(select(User))).one().status == UserStatus.ACTIVE


async def test_names_are_escaped_for_html(bot: Harness) -> None:
    tricky = bot.person("<b>Bo & Co</b>")
    await bot.say(tricky, "/start")
    assert "Hi <b>Bo & Co</b>, I'm Kindling." in (tricky.messages[-2].text or "")


async def test_help_lists_commands_and_crisis_help(bot: Harness) -> None:
    ana = bot.person()
    await bot.say(ana, "/help")
    text = ana.last_message.text or ""
    assert "/start" in text
    assert "not therapy" in text
    assert "findahelpline.com" in text
    assert "988" in text


async def test_free_text_before_start_points_to_start(bot: Harness) -> None:
    ana = bot.person()
    await bot.say(ana, "hello?")
    assert "Send /start to begin" in (ana.last_message.text or "")
    assert await count_users(bot) == 0


async def test_free_text_after_start_is_never_met_with_silence(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "what now?")
    assert "/help" in (ana.last_message.text or "")


async def test_unknown_command(bot: Harness) -> None:
    ana = bot.person()
    await bot.say(ana, "/fly")
    assert "I don't know that command" in (ana.last_message.text or "")


@pytest.mark.parametrize("send", ["send_sticker", "send_photo", "send_voice", "send_document"])
async def test_non_text_gets_a_gentle_note(bot: Harness, send: str) -> None:
    ana = bot.person()
    await bot.deliver(await getattr(ana, send)())
    assert "I can only read text" in (ana.last_message.text or "")


async def test_group_chats_get_a_pointer_and_store_nothing(bot: Harness) -> None:
    ana = bot.person()
    group = bot.fake.add_group("Friends")
    await bot.deliver(await group.send_command(ana, "/start"))
    assert "I work in a private chat" in (group.messages[-1].text or "")
    assert await count_users(bot) == 0


async def test_channel_posts_are_ignored(bot: Harness) -> None:
    channel = bot.fake.add_channel("News")
    await bot.deliver(await channel.post("/start"))
    assert channel.messages == []  # the bot answered nothing
    assert await count_users(bot) == 0


async def test_failures_are_logged_without_text_and_the_person_is_reassured(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    ana = bot.person()
    bot.fake.faults.fail_next("sendMessage", 1, status=500)
    secret_feeling = "I feel very low today"
    update = await ana.send_text(secret_feeling)
    with caplog.at_level(logging.DEBUG):
        await bot.deliver(update)
    assert "Nothing you told me was lost" in (ana.last_message.text or "")
    failures = [r for r in caplog.records if r.name == "bot.errors"]
    assert failures
    assert f"update {update['update_id']} failed" in failures[0].getMessage()
    assert all(secret_feeling not in r.getMessage() for r in caplog.records)


async def test_lone_surrogates_are_replaced_not_fatal(bot: Harness) -> None:
    # JSON may carry "\ud800" escapes that pair with nothing; neither the database nor
    # Telegram accepts them back, so they arrive as U+FFFD (found by tests/flows/test_fuzz.py).
    ana = bot.fake.add_user(first_name="An\ud800a", language_code="en")
    await bot.say(ana, "/start")
    assert "Hi An\ufffda, I'm Kindling." in (ana.messages[-2].text or "")
    async with bot.db.session() as session:
        assert (await session.exec(select(User.first_name))).one() == "An\ufffda"
    await bot.say(ana, "/timezone Europe/Ber\udc00lin")
    assert bot.fake.calls_to("sendMessage")[-1].status == 200
    update = await ana.press_data(ana.last_message.message_id, "mp:-:\udfff")
    await bot.deliver(update)
    assert [a["callback_query_id"] for a in ana.callback_answers] == [
        update["callback_query"]["id"]
    ]


async def test_business_chats_are_left_alone(bot: Harness) -> None:
    # A business account that connected Kindling would have it speak for the owner to
    # their customers; Kindling answers nothing there and stores nobody.
    ana = bot.person()
    chat = {"id": ana.id, "type": "private", "first_name": ana.first_name}
    for kind in ("business_message", "edited_business_message"):
        message = {"message_id": 1, "date": 0, "chat": chat, "from": ana.data, "text": "/start"}
        message["business_connection_id"] = "connection-1"
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": 6}]
        await bot.deliver({"update_id": 1, kind: message})
    assert bot.fake.calls_to("sendMessage") == []
    assert await count_users(bot) == 0
