"""/week: gentle insight into the last days, the weekly chart, and the weekly recap switch."""

from __future__ import annotations

import asyncio
from typing import Final

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversations.common import ButtonHandler, reply, settle_answer
from bot.deps import Context
from bot.i18n import translator_for
from bot.services import insight
from bot.ui import insight as ui
from bot.ui.callbacks import Action, Callback
from bot.ui.chart import render_week_chart


async def week_command(update: Update, context: Context) -> None:
    """/week: this week in kindness, then the chart of the last 7 days."""
    message = update.effective_message
    if update.effective_user is None or message is None:
        return
    deps = context.bot_data
    answer = await insight.week(deps.db, deps.clock, update.effective_user.id)
    if answer is None:
        await reply(update, None)
        return
    t = translator_for(answer.language)
    await reply(update, ui.render(t, answer.result))
    chart = ui.render_chart(t, answer.result)
    # Drawing takes a fraction of a second of CPU: keep the event loop free meanwhile.
    png = await asyncio.to_thread(
        render_week_chart, chart.days, chart.acts, chart.feelings, chart.labels, chart.locale
    )
    await message.reply_photo(photo=png, caption=chart.caption, filename="kindling-week.png")


async def recap_button(update: Update, context: Context, cb: Callback) -> None:
    """The weekly recap switch."""
    query = update.callback_query
    if query is None:
        return
    deps = context.bot_data
    answer = await insight.press_recap(
        deps.db, deps.clock, query.from_user.id, cb.local_date, cb.arg
    )
    await settle_answer(update, context, answer, lambda t, _, result: ui.render_press(t, result))


BUTTONS: Final[dict[Action, ButtonHandler]] = {Action.RECAP: recap_button}
"""The buttons of /week."""


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """/week (its button is routed by ``routes.py``)."""
    return [CommandHandler("week", week_command, filters=filters.ChatType.PRIVATE)]
