"""Data rights: /privacy (what is kept and why), /export (everything, as files) and /delete
(erase everything, after a confirmation button).
"""

from __future__ import annotations

from typing import Final

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversations.common import ButtonHandler, person_translator, reply, settle_answer
from bot.deps import Context
from bot.i18n import translator_for
from bot.services import data_rights
from bot.ui import data_rights as ui
from bot.ui.callbacks import Action, Callback


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
    answer = await data_rights.export(deps.db, deps.clock, update.effective_user.id)
    if answer is None:
        await reply(update, None)
        return
    bundle = ui.render_export(translator_for(answer.language), answer.language, answer.result)
    await message.reply_text(bundle.intro)
    for item in bundle.files:
        await message.reply_document(document=item.data, filename=item.name)


async def delete(update: Update, context: Context) -> None:
    """/delete: what erasing means, with a confirmation and a cancel button."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    answer = await data_rights.ask_erase(deps.db, deps.clock, update.effective_user.id)
    await reply(update, ui.render(translator_for(answer.language), answer.result))


async def erase_button(update: Update, context: Context, cb: Callback) -> None:
    """ "Yes, erase everything": erase, if the button is the presser's own and fresh."""
    query = update.callback_query
    if query is None:
        return
    deps = context.bot_data
    answer = await data_rights.confirm_erase(
        deps.db, deps.clock, query.from_user.id, cb.local_date, cb.arg
    )
    await settle_answer(update, context, answer, lambda t, _, result: ui.render_press(t, result))


async def cancel_button(update: Update, context: Context, cb: Callback) -> None:
    """ "Cancel" on /delete: nothing changes."""
    query = update.callback_query
    if query is None:
        return
    answer = data_rights.cancel_erase(query.from_user.language_code)
    await settle_answer(update, context, answer, lambda t, _, result: ui.render_press(t, result))


BUTTONS: Final[dict[Action, ButtonHandler]] = {
    Action.ERASE: erase_button,
    Action.ERASE_CANCEL: cancel_button,
}
"""The confirmation and cancel buttons of /delete."""


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """/privacy, /export and /delete (their buttons are routed by ``routes.py``)."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("privacy", privacy, filters=private),
        CommandHandler("export", export, filters=private),
        CommandHandler("delete", delete, filters=private),
    ]
