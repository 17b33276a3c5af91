"""Onboarding on /start: welcome, time zone (location, city, zone name or the clock), the
prompt times, and today's first idea. Also the friendly re-entry for someone known.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeVar

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.conversations.common import ButtonHandler, reply, settle_answer
from bot.deps import Context
from bot.i18n import Translator, translator_for
from bot.services import preferences
from bot.services.unit import Answer, Press
from bot.ui import preferences as ui
from bot.ui.callbacks import Action, Callback
from bot.ui.screens import PressAnswer, ReplyAnswer, Screen

R = TypeVar("R")


async def show(
    update: Update,
    answer: Answer[R] | None,
    render: Callable[[Translator, R], Screen | ReplyAnswer],
) -> None:
    """Reply with ``answer`` rendered in the person's language ("send /start" for ``None``)."""
    if answer is None:
        await reply(update, None)
        return
    await reply(update, render(translator_for(answer.language), answer.result))


async def start(update: Update, context: Context) -> None:
    """Welcome someone new and ask where they are; welcome back someone known."""
    tg_user, message = update.effective_user, update.effective_message
    if tg_user is None or message is None:
        return
    deps = context.bot_data
    answer = await preferences.start(
        deps.db,
        deps.clock,
        deps.settings,
        telegram_user_id=tg_user.id,
        chat_id=message.chat_id,
        first_name=tg_user.first_name,
        language_code=tg_user.language_code,
    )
    await reply(update, ui.render_start(translator_for(answer.language), answer.result))


async def shared_location(update: Update, context: Context) -> None:
    """A shared location: set the time zone found there."""
    message = update.effective_message
    if update.effective_user is None or message is None or message.location is None:
        return
    deps = context.bot_data
    answer = await preferences.location(
        deps.db,
        deps.clock,
        update.effective_user.id,
        message.location.latitude,
        message.location.longitude,
    )
    await show(update, answer, ui.render_zone)


def pressed(
    use_case: preferences.ButtonUseCase[R], render: Callable[[Translator, R], PressAnswer]
) -> ButtonHandler:
    """A button handler: run ``use_case`` for the press, answer with ``render``'s screens."""

    async def handle(update: Update, context: Context, cb: Callback) -> None:
        query = update.callback_query
        if query is None:
            return
        deps = context.bot_data
        press = Press(telegram_user_id=query.from_user.id, day=cb.local_date, arg=cb.arg)
        answer = await use_case(deps.db, deps.clock, press)
        await settle_answer(update, context, answer, lambda t, _, result: render(t, result))

    return handle


BUTTONS: Final[dict[Action, ButtonHandler]] = {
    Action.ZONE: pressed(preferences.choose_zone, ui.render_zone_press),
    Action.ZONE_OTHER: pressed(preferences.other_zone, ui.render_other_zone),
    Action.TIMES_OK: pressed(preferences.confirm_times, ui.render_all_set),
}
"""The buttons of onboarding: a city or zone, "None of these", "Sounds good"."""


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of onboarding, in the order they must be tried."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("start", start, filters=private),
        MessageHandler(private & filters.LOCATION, shared_location),
    ]
