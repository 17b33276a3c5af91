"""Data rights: /privacy (what is kept and why), /export (everything, as files) and /delete
(erase everything, after a confirmation button)."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.conversations.common import person_translator, reply, settle_press
from bot.deps import Context
from bot.services import data_rights
from bot.ui import data_rights as ui
from bot.ui.callbacks import Action, parse


def _is(action: Action) -> Callable[[object], bool]:
    def check(data: object) -> bool:
        cb = parse(data) if isinstance(data, str) else None
        return cb is not None and cb.action is action

    return check


async def privacy(update: Update, context: Context) -> None:
    """/privacy: what Kindling keeps, why, where, and how to take it or erase it."""
    if update.effective_message:
        await update.effective_message.reply_text(
            ui.privacy_text(await person_translator(update, context))
        )


async def export(update: Update, context: Context) -> None:
    """/export: everything Kindling keeps about the person, as files in the chat."""
    message = update.effective_message
    if update.effective_user is None or message is None:
        return
    deps = context.bot_data
    bundle = await data_rights.export(deps.db, deps.clock, update.effective_user.id)
    if bundle is None:
        await reply(update, None)
        return
    await message.reply_text(bundle.intro)
    for item in bundle.files:
        await message.reply_document(document=item.data, filename=item.name)


async def delete(update: Update, context: Context) -> None:
    """/delete: what erasing means, with a confirmation and a cancel button."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    await reply(update, await data_rights.ask_erase(deps.db, deps.clock, update.effective_user.id))


async def erase_button(update: Update, context: Context) -> None:
    """ "Yes, erase everything": erase, if the button is the presser's own and fresh."""
    query = update.callback_query
    cb = parse(query.data) if query else None
    if query is None or cb is None:
        return
    deps = context.bot_data
    outcome = await data_rights.confirm_erase(deps.db, deps.clock, query.from_user.id, cb)
    await settle_press(update, context, outcome)


async def cancel_button(update: Update, context: Context) -> None:
    """ "Cancel" on /delete: nothing changes."""
    query = update.callback_query
    if query is None:
        return
    outcome = data_rights.cancel_erase(query.from_user.language_code)
    await settle_press(update, context, outcome)


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """/privacy, /export, /delete and the erase buttons."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("privacy", privacy, filters=private),
        CommandHandler("export", export, filters=private),
        CommandHandler("delete", delete, filters=private),
        CallbackQueryHandler(erase_button, pattern=_is(Action.ERASE)),
        CallbackQueryHandler(cancel_button, pattern=_is(Action.ERASE_CANCEL)),
    ]
