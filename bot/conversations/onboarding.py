"""Onboarding on /start: welcome, time zone (location, city, zone name or the clock), the
prompt times, and today's first idea. Also the friendly re-entry for someone known."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.conversations.common import reply, settle_press
from bot.deps import Context
from bot.i18n import translator_for
from bot.services import settings
from bot.ui import settings as settings_ui
from bot.ui import texts
from bot.ui.callbacks import Action, parse
from bot.ui.keyboards import location_keyboard

BUTTONS = frozenset({Action.ZONE, Action.ZONE_OTHER, Action.TIMES_OK, Action.SETTINGS})


def _is_ours(data: object) -> bool:
    cb = parse(data) if isinstance(data, str) else None
    return cb is not None and cb.action in BUTTONS


async def start(update: Update, context: Context) -> None:
    """Welcome someone new and ask where they are; welcome back someone known."""
    tg_user, message = update.effective_user, update.effective_message
    if tg_user is None or message is None:
        return
    deps = context.bot_data
    result = await settings.start(
        deps.db,
        deps.clock,
        deps.settings,
        telegram_user_id=tg_user.id,
        chat_id=message.chat_id,
        first_name=tg_user.first_name,
        language_code=tg_user.language_code,
    )
    t = translator_for(result.locale)
    if result.created:
        await message.reply_text(texts.welcome(t, tg_user.first_name))
    else:
        await message.reply_text(
            texts.welcome_back(t, tg_user.first_name, reactivated=result.reactivated)
        )
    if result.onboarding:
        await message.reply_text(
            settings_ui.ask_timezone(t),
            reply_markup=location_keyboard(settings_ui.share_location_label(t)),
        )


async def shared_location(update: Update, context: Context) -> None:
    """A shared location: set the time zone found there."""
    message = update.effective_message
    if update.effective_user is None or message is None or message.location is None:
        return
    deps = context.bot_data
    answer = await settings.location(
        deps.db,
        deps.clock,
        update.effective_user.id,
        message.location.latitude,
        message.location.longitude,
    )
    await reply(update, answer)


async def button(update: Update, context: Context) -> None:
    """A city or zone choice, "sounds good", or a settings menu button."""
    query = update.callback_query
    cb = parse(query.data) if query else None
    if query is None or cb is None:
        return
    deps = context.bot_data
    outcome = await settings.press(deps.db, deps.clock, query.from_user.id, cb)
    await settle_press(update, context, outcome)


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of onboarding, in the order they must be tried."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("start", start, filters=private),
        MessageHandler(private & filters.LOCATION, shared_location),
        CallbackQueryHandler(button, pattern=_is_ours),
    ]
