"""A real PTB Application on the fake: process_update for flow tests, and polling."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.request import FakeRequest


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with one button."""
    assert update.effective_message is not None
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Did it", callback_data="act:done")]])
    await update.effective_message.reply_text("Hello!", reply_markup=markup)


async def done(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer, then edit in place."""
    query = update.callback_query
    assert query is not None
    await query.answer("Lovely")
    await query.edit_message_text("Thank you.")


@pytest.fixture
async def app(fake: FakeTelegram) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = (
        ApplicationBuilder()
        .token(fake.token)
        .request(FakeRequest(fake))
        .get_updates_request(FakeRequest(fake))
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(done, pattern=r"^act:"))
    async with application:
        yield application


async def test_process_update_flow(fake: FakeTelegram, app: Application) -> None:  # type: ignore[type-arg]
    ana = fake.add_user("Ana")
    await app.process_update(Update.de_json(await ana.send_command("/start"), app.bot))
    assert ana.last_message.text == "Hello!"
    assert ana.last_message.buttons == [["Did it"]]
    await app.process_update(Update.de_json(await ana.press("Did it"), app.bot))
    assert ana.callback_answers[-1]["text"] == "Lovely"
    assert ana.last_message.text == "Thank you."
    assert ana.last_message.edits == 1


async def test_polling_application(fake: FakeTelegram, app: Application) -> None:  # type: ignore[type-arg]
    ana = fake.add_user("Ana")
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1, drop_pending_updates=True)
    await app.start()
    try:
        await ana.send_command("/start")
        [reply] = await ana.wait_for_messages(1, timeout=2)
        assert reply.text == "Hello!"
    finally:
        await app.updater.stop()
        await app.stop()
    assert "deleteWebhook" in [call.method for call in fake.calls]
