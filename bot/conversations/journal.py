"""/journal: a person's days of acts and reflections, paged with ◀ Older / Newer ▶."""

from __future__ import annotations

from typing import Final

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversations.common import ButtonHandler, reply, settle_answer
from bot.deps import Context
from bot.i18n import translator_for
from bot.services import journal
from bot.ui import journal as ui
from bot.ui.callbacks import Action, Callback


async def journal_command(update: Update, context: Context) -> None:
    """/journal: the newest page of acts and reflections."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    answer = await journal.journal(deps.db, deps.clock, update.effective_user.id)
    if answer is None:
        await reply(update, None)
        return
    t = translator_for(answer.language)
    await reply(update, ui.render(t, answer.language, answer.result))


async def journal_button(update: Update, context: Context, cb: Callback) -> None:
    """◀ Older / Newer ▶: the next page, in place."""
    query = update.callback_query
    if query is None:
        return
    deps = context.bot_data
    answer = await journal.turn_page(
        deps.db, deps.clock, query.from_user.id, cb.local_date, cb.arg
    )
    await settle_answer(update, context, answer, ui.render_press)


BUTTONS: Final[dict[Action, ButtonHandler]] = {Action.JOURNAL: journal_button}
"""The page buttons of /journal."""


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """/journal (its buttons are routed by ``routes.py``)."""
    return [CommandHandler("journal", journal_command, filters=filters.ChatType.PRIVATE)]
