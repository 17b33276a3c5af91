"""/settings and the direct commands: /timezone, /morning, /evening, /pause, /resume, /stop."""

from __future__ import annotations

from typing import Final

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversations.common import ButtonHandler
from bot.conversations.onboarding import pressed, show
from bot.deps import Context
from bot.services import preferences
from bot.services.preferences import Slot
from bot.ui import preferences as ui
from bot.ui.callbacks import Action


def _argument(update: Update) -> str:
    """Everything after the command word."""
    text = update.effective_message.text if update.effective_message else None
    _, _, rest = (text or "").partition(" ")
    return rest


async def show_settings(update: Update, context: Context) -> None:
    """/settings: the menu."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    answer = await preferences.overview(deps.db, deps.clock, update.effective_user.id)
    await show(update, answer, ui.render_overview)


async def timezone(update: Update, context: Context) -> None:
    """/timezone <zone or city>."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    answer = await preferences.set_timezone(
        deps.db, deps.clock, update.effective_user.id, _argument(update)
    )
    await show(update, answer, ui.render_zone)


async def _set_time(update: Update, context: Context, slot: Slot) -> None:
    """/morning or /evening with a time."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    answer = await preferences.set_time(
        deps.db, deps.clock, update.effective_user.id, slot, _argument(update)
    )
    await show(update, answer, ui.render_time)


async def morning(update: Update, context: Context) -> None:
    """/morning HH:MM."""
    await _set_time(update, context, Slot.MORNING)


async def evening(update: Update, context: Context) -> None:
    """/evening HH:MM."""
    await _set_time(update, context, Slot.EVENING)


async def pause(update: Update, context: Context) -> None:
    """/pause [days]."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    answer = await preferences.pause(
        deps.db, deps.clock, update.effective_user.id, _argument(update)
    )
    await show(update, answer, ui.render_change)


async def resume(update: Update, context: Context) -> None:
    """/resume."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    answer = await preferences.resume(deps.db, deps.clock, update.effective_user.id)
    await show(update, answer, ui.render_change)


async def stop(update: Update, context: Context) -> None:
    """/stop: no more prompts, data kept."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    answer = await preferences.stop(deps.db, deps.clock, update.effective_user.id)
    await show(update, answer, ui.render_change)


BUTTONS: Final[dict[Action, ButtonHandler]] = {
    Action.SETTINGS: pressed(preferences.change, ui.render_menu),
}
"""The /settings menu's buttons (also "Change morning" / "Change evening" while onboarding)."""


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of the settings commands and the menu's buttons."""
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
