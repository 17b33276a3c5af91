"""Crisis safety: every free text is screened first; /crisis shows where to find help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.conversations.common import person_help
from bot.deps import Context
from bot.kindness.crisis import is_crisis
from bot.services.crisis import stop_flow
from bot.ui import texts


async def screen(update: Update, context: Context) -> None:
    """Crisis language: helplines at once, the open step closed, nothing stored or logged."""
    message = update.effective_message
    if message is None or not is_crisis(message.text or message.caption or ""):
        return  # not a crisis: the flows handle the message as usual
    await message.reply_text(texts.crisis_message(*await person_help(update, context)))
    if update.effective_user is not None:
        deps = context.bot_data
        await stop_flow(deps.db, deps.clock, update.effective_user.id)
    raise ApplicationHandlerStop


async def crisis_command(update: Update, context: Context) -> None:
    """/crisis: the helplines, any time."""
    if update.effective_message:
        await update.effective_message.reply_text(
            texts.crisis_message(*await person_help(update, context))
        )


async def start_from_inline(update: Update, context: Context) -> None:
    """``/start crisis`` from the support button of inline mode: the helplines, nothing else."""
    if update.effective_message:
        await update.effective_message.reply_text(
            texts.crisis_message(*await person_help(update, context))
        )
    raise ApplicationHandlerStop


def start_handler() -> BaseHandler[Update, Context, None]:
    """``/start crisis`` in a private chat; tried before the screen and before onboarding."""
    return CommandHandler(
        "start",
        start_from_inline,
        filters=filters.ChatType.PRIVATE & filters.Regex(r"^/start crisis$"),
    )


def screen_handler() -> BaseHandler[Update, Context, None]:
    """Every text or caption sent to Kindling, commands included (``/done <words>``).

    Groups too (where Kindling only sees commands and mentions), channels not: nobody there
    is talking to the bot.
    """
    return MessageHandler(
        filters.UpdateType.MESSAGES & (filters.TEXT | filters.CAPTION), screen, block=True
    )


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """/crisis."""
    return [CommandHandler("crisis", crisis_command, filters=filters.ChatType.PRIVATE)]
