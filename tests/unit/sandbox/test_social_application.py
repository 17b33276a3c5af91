"""Reactions and shared users through a real PTB Application: polling, and the flow harness."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import (
    KeyboardButton,
    KeyboardButtonRequestUsers,
    ReactionTypeEmoji,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ReactionEmoji
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    MessageReactionHandler,
    filters,
)

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.request import FakeRequest
from tests.fakes.harness import Harness


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer a button that asks for a friend, with names."""
    assert update.effective_message is not None
    button = KeyboardButton(
        "Pick a friend", request_users=KeyboardButtonRequestUsers(3, request_name=True)
    )
    markup = ReplyKeyboardMarkup([[button]], one_time_keyboard=True)
    await update.effective_message.reply_text("Who did you help?", reply_markup=markup)


async def shared(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Thank for the people picked, by name."""
    message = update.effective_message
    assert message is not None
    assert message.users_shared is not None
    names = ", ".join(user.first_name or "?" for user in message.users_shared.users)
    await message.reply_text(f"Thanks for helping {names}")


async def reacted(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a reaction with a fire, take it back when the person does."""
    changed = update.message_reaction
    assert changed is not None
    ours = [ReactionTypeEmoji(ReactionEmoji.FIRE)] if changed.new_reaction else []
    await context.bot.set_message_reaction(changed.chat.id, changed.message_id, ours)


@pytest.fixture
async def app(fake: FakeTelegram) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = (
        ApplicationBuilder()
        .token(fake.token)
        .request(FakeRequest(fake))
        .get_updates_request(FakeRequest(fake))
        .build()
    )
    application.add_handler(CommandHandler("start", ask))
    application.add_handler(MessageHandler(filters.StatusUpdate.USERS_SHARED, shared))
    application.add_handler(MessageReactionHandler(reacted))
    async with application:
        yield application


async def test_polling_with_every_update_type(fake: FakeTelegram, app: Application) -> None:  # type: ignore[type-arg]
    ana = fake.add_user("Ana")
    bea = fake.add_user("Bea")
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0, timeout=1, drop_pending_updates=True, allowed_updates=Update.ALL_TYPES
    )
    await app.start()
    try:
        await ana.send_command("/start")
        [question] = await ana.wait_for_messages(1, timeout=2)
        assert ana.request_users_button("Pick a friend") is not None
        await ana.share_users("Pick a friend", [bea])
        [thanks] = await ana.wait_for_messages(1, timeout=2)
        assert thanks.text == "Thanks for helping Bea"
        assert ana.reply_keyboard is None  # a one-time keyboard, answered
        await ana.react("👍", message_id=question.message_id)
        await fake.wait_until(lambda: question.bot_reaction_emoji == ["🔥"], 2)
        await ana.react(None, message_id=question.message_id)
        await fake.wait_until(lambda: question.bot_reaction == [], 2)
    finally:
        await app.updater.stop()
        await app.stop()


async def test_harness_helpers_deliver_reactions_and_shares(
    fake: FakeTelegram,
    app: Application,  # type: ignore[type-arg]
) -> None:
    # Only fake and app are used by these helpers; the rest belongs to Kindling's own flows.
    harness = Harness(fake=fake, app=app, db=None, clock=None, settings=None)  # type: ignore[arg-type]
    ana = fake.add_user("Ana")
    bea: dict[str, Any] = {"id": 555, "is_bot": False, "first_name": "Bea"}
    await harness.say(ana, "/start")
    await harness.share(ana, "Pick a friend", bea)
    assert ana.last_message.text == "Thanks for helping Bea"
    await harness.react(ana, "🎉")
    assert ana.last_message.bot_reaction_emoji == ["🔥"]
    await harness.react(ana, None)
    assert ana.last_message.bot_reaction == []
