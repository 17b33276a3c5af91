"""'Choose someone': Telegram's contact picker, ideas for a message, a ready note to send.

The shared person's id and name stop here: the name is put into the one message that shows
the ideas and is not passed to any use case, stored or logged.
"""

from __future__ import annotations

from typing import Final

from telegram import KeyboardButton, KeyboardButtonRequestUsers, ReplyKeyboardMarkup, Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.conversations.common import (
    ButtonHandler,
    remember_plan_message,
    reply,
    settle_answer,
    settle_press,
)
from bot.deps import Context
from bot.i18n import translator_for
from bot.services import someone
from bot.services.daily import Refusal
from bot.services.unit import Press
from bot.ui import daily as daily_ui
from bot.ui import someone as ui
from bot.ui.callbacks import Action, Callback
from bot.ui.screens import PressAnswer

__all__ = ["BUTTONS", "build_handlers"]


async def ask(update: Update, context: Context, cb: Callback) -> None:
    """ "Choose someone": a message with the contact picker button (a reply keyboard)."""
    query = update.callback_query
    if query is None:
        return
    deps = context.bot_data
    press = Press(telegram_user_id=query.from_user.id, day=cb.local_date)
    answer = await someone.ask(deps.db, deps.clock, press)
    if answer is None or isinstance(answer.result, Refusal):
        await settle_answer(update, context, answer, daily_ui.render_press)  # type: ignore[arg-type]
        return
    await settle_press(update, context, PressAnswer())
    t = translator_for(answer.language)
    shown = ui.picker(t)
    request = KeyboardButtonRequestUsers(
        request_id=answer.result.request_id, user_is_bot=False, max_quantity=1, request_name=True
    )
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton(shown.button, request_users=request)]],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=shown.placeholder,
    )
    await context.bot.send_message(query.from_user.id, shown.text, reply_markup=keyboard)


async def shared(update: Update, context: Context) -> None:
    """Someone was picked: a few ideas, a ready note to open, and "I'll write to them"."""
    message = update.effective_message
    if update.effective_user is None or message is None or message.users_shared is None:
        return
    picked = message.users_shared
    deps = context.bot_data
    answer = await someone.ideas_for(
        deps.db, deps.clock, update.effective_user.id, picked.request_id
    )
    if answer is None:
        await reply(update, None)
        return
    t = translator_for(answer.language)
    if isinstance(answer.result, Refusal):
        await reply(update, daily_ui.render(t, answer.language, answer.result))
        return
    name = picked.users[0].first_name if picked.users else None
    await reply(update, ui.ideas_screen(t, answer.result, name))


async def commit(update: Update, context: Context, cb: Callback) -> None:
    """ "I'll write to them today": today's act, shown like any other plan."""
    query = update.callback_query
    if query is None:
        return
    deps = context.bot_data
    press = Press(telegram_user_id=query.from_user.id, day=cb.local_date)
    answer = await someone.commit(deps.db, deps.clock, press)
    shown = await settle_answer(update, context, answer, daily_ui.render_press)
    if answer is not None:
        await remember_plan_message(update, context, answer.result, shown)


BUTTONS: Final[dict[Action, ButtonHandler]] = {
    Action.SOMEONE: ask,
    Action.SOMEONE_COMMIT: commit,
}
"""The buttons of choosing someone."""


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """The answer of Telegram's contact picker (a ``users_shared`` service message)."""
    return [MessageHandler(filters.StatusUpdate.USERS_SHARED & filters.ChatType.PRIVATE, shared)]
