"""/language: the languages as buttons, ``/language de`` directly, and the picker's buttons."""

from __future__ import annotations

from typing import Final

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversations.common import ButtonHandler, settle_answer
from bot.conversations.onboarding import show
from bot.deps import Context
from bot.services import language
from bot.ui import language as ui
from bot.ui.callbacks import Action, Callback


async def language_command(update: Update, context: Context) -> None:
    """/language [code or name]: set it, or show the choice."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    _, _, requested = (message.text or "").partition(" ")
    deps = context.bot_data
    await show(
        update, await language.choose(deps.db, deps.clock, user.id, requested), ui.render_language
    )


async def language_button(update: Update, context: Context, cb: Callback) -> None:
    """A language button: set it and say so in that language, in place of the picker."""
    query = update.callback_query
    if query is None:
        return
    deps = context.bot_data
    answer = await language.choose(deps.db, deps.clock, query.from_user.id, cb.arg)
    await settle_answer(
        update, context, answer, lambda t, _, result: ui.render_language_press(t, result)
    )


BUTTONS: Final[dict[Action, ButtonHandler]] = {Action.LANGUAGE: language_button}
"""The picker's buttons (``cb.arg``: a shipped language code)."""


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """/language and its buttons."""
    return [
        CommandHandler("language", language_command, filters=filters.ChatType.PRIVATE),
    ]
