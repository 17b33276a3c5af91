"""/week: gentle insight into the last days, the weekly chart, and the weekly recap switch."""

from __future__ import annotations

import asyncio
from typing import Final

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversations.common import ButtonHandler, reply, settle_press
from bot.deps import Context
from bot.services import insight
from bot.ui.callbacks import Action, Callback
from bot.ui.chart import render_week_chart


async def week_command(update: Update, context: Context) -> None:
    """/week: this week in kindness, then the chart of the last 7 days."""
    message = update.effective_message
    if update.effective_user is None or message is None:
        return
    deps = context.bot_data
    view = await insight.week(deps.db, deps.clock, update.effective_user.id)
    if view is None:
        await reply(update, None)
        return
    await reply(update, view.content)
    chart = view.chart
    # Drawing takes a fraction of a second of CPU: keep the event loop free meanwhile.
    png = await asyncio.to_thread(
        render_week_chart, chart.days, chart.acts, chart.feelings, chart.labels, chart.locale
    )
    await message.reply_photo(photo=png, caption=view.caption, filename="kindling-week.png")


async def recap_button(update: Update, context: Context, cb: Callback) -> None:
    """The weekly recap switch."""
    query = update.callback_query
    if query is None:
        return
    deps = context.bot_data
    outcome = await insight.press_recap(deps.db, deps.clock, query.from_user.id, cb)
    await settle_press(update, context, outcome)


BUTTONS: Final[dict[Action, ButtonHandler]] = {Action.RECAP: recap_button}
"""The buttons of /week."""


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """/week (its button is routed by ``routes.py``)."""
    return [CommandHandler("week", week_command, filters=filters.ChatType.PRIVATE)]
