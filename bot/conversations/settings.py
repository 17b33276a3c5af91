"""/settings and the direct commands: /timezone, /morning, /evening, /pause, /resume, /stop."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversations.common import reply
from bot.deps import Context
from bot.services import settings
from bot.ui import settings as settings_ui


def _argument(update: Update) -> str:
    """Everything after the command word."""
    text = update.effective_message.text if update.effective_message else None
    _, _, rest = (text or "").partition(" ")
    return rest


async def show_settings(update: Update, context: Context) -> None:
    """/settings: the menu."""
    if update.effective_user:
        deps = context.bot_data
        await reply(update, await settings.overview(deps.db, deps.clock, update.effective_user.id))


async def timezone(update: Update, context: Context) -> None:
    """/timezone <zone or city>."""
    if update.effective_user:
        deps = context.bot_data
        answer = await settings.set_timezone(
            deps.db, deps.clock, update.effective_user.id, _argument(update)
        )
        await reply(update, answer)


async def morning(update: Update, context: Context) -> None:
    """/morning HH:MM."""
    if update.effective_user:
        deps = context.bot_data
        answer = await settings.set_time(
            deps.db, deps.clock, update.effective_user.id, settings_ui.MORNING, _argument(update)
        )
        await reply(update, answer)


async def evening(update: Update, context: Context) -> None:
    """/evening HH:MM."""
    if update.effective_user:
        deps = context.bot_data
        answer = await settings.set_time(
            deps.db, deps.clock, update.effective_user.id, settings_ui.EVENING, _argument(update)
        )
        await reply(update, answer)


async def pause(update: Update, context: Context) -> None:
    """/pause [days]."""
    if update.effective_user:
        deps = context.bot_data
        answer = await settings.pause(
            deps.db, deps.clock, update.effective_user.id, _argument(update)
        )
        await reply(update, answer)


async def resume(update: Update, context: Context) -> None:
    """/resume."""
    if update.effective_user:
        deps = context.bot_data
        await reply(update, await settings.resume(deps.db, deps.clock, update.effective_user.id))


async def stop(update: Update, context: Context) -> None:
    """/stop: no more prompts, data kept."""
    if update.effective_user:
        deps = context.bot_data
        await reply(update, await settings.stop(deps.db, deps.clock, update.effective_user.id))


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of the settings commands."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("settings", show_settings, filters=private),
        CommandHandler("timezone", timezone, filters=private),
        CommandHandler("morning", morning, filters=private),
        CommandHandler("evening", evening, filters=private),
        CommandHandler("pause", pause, filters=private),
        CommandHandler("resume", resume, filters=private),
        CommandHandler("stop", stop, filters=private),
    ]
