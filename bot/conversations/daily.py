"""The daily loop: /today and the morning buttons, /done and "done", /reflect and the evening
buttons, and free-text answers to an open step."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.conversations.common import reply, settle_press
from bot.deps import Context
from bot.services import daily
from bot.ui.callbacks import Action, parse

DAILY_ACTIONS = frozenset(
    {
        Action.PICK,
        Action.COMMIT,
        Action.OTHERS,
        Action.OWN,
        Action.LATER,
        Action.NOT_TODAY,
        Action.LOW_ENERGY,
        Action.INLINE_LOG,
        Action.DONE,
        Action.NOTE_SKIP,
        Action.OUTCOME,
        Action.FEELING,
        Action.RECEIVED_SKIP,
    }
)


def _is_daily(data: object) -> bool:
    cb = parse(data) if isinstance(data, str) else None
    return cb is not None and cb.action in DAILY_ACTIONS


async def today(update: Update, context: Context) -> None:
    """/today: today's plan, or three ideas to choose from."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    await reply(update, await daily.today(deps.db, deps.clock, update.effective_user.id))


async def done(update: Update, context: Context) -> None:
    """/done and /done <what I did>: log an act."""
    if update.effective_user is None or update.effective_message is None:
        return
    deps = context.bot_data
    words = _command_argument(update.effective_message.text or "")
    await reply(update, await daily.done(deps.db, deps.clock, update.effective_user.id, words))


async def reflect(update: Update, context: Context) -> None:
    """/reflect: start the evening reflection now."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    await reply(update, await daily.reflect(deps.db, deps.clock, update.effective_user.id))


async def button(update: Update, context: Context) -> None:
    """A morning, logging or evening button."""
    query = update.callback_query
    cb = parse(query.data) if query else None
    if query is None or cb is None:
        return
    deps = context.bot_data
    await settle_press(
        update, context, await daily.press(deps.db, deps.clock, query.from_user.id, cb)
    )


async def text(update: Update, context: Context) -> None:
    """Free text: an open step's answer, a "done" reply, or a hint of what to do now."""
    message = update.effective_message
    if update.effective_user is None or message is None or message.text is None:
        return
    deps = context.bot_data
    await reply(
        update, await daily.reply(deps.db, deps.clock, update.effective_user.id, message.text)
    )


def _command_argument(text: str) -> str:
    """Everything after the command word, as typed (newlines and spacing kept)."""
    _, _, rest = text.partition(" ")
    if not rest:
        _, _, rest = text.partition("\n")
    return rest


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of the daily loop, in the order they must be tried."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("today", today, filters=private),
        CommandHandler("done", done, filters=private),
        CommandHandler("reflect", reflect, filters=private),
        CallbackQueryHandler(button, pattern=_is_daily),
    ]


def text_handler() -> BaseHandler[Update, Context, None]:
    """Free text in a private chat; registered after every command handler."""
    return MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, text)
