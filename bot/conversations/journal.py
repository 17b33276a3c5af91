"""Looking back: /journal (paged days of acts and reflections) and /week (gentle insight with
the weekly chart and the weekly recap switch)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.conversations.common import reply, settle_press
from bot.deps import Context
from bot.services import insight, journal
from bot.ui.callbacks import Action, parse
from bot.ui.chart import render_week_chart


def _is(action: Action) -> Callable[[object], bool]:
    def check(data: object) -> bool:
        cb = parse(data) if isinstance(data, str) else None
        return cb is not None and cb.action is action

    return check


async def journal_command(update: Update, context: Context) -> None:
    """/journal: the newest page of acts and reflections."""
    if update.effective_user is None:
        return
    await reply(update, await journal.journal(context.bot_data.db, update.effective_user.id))


async def journal_button(update: Update, context: Context) -> None:
    """◀ Older / Newer ▶: the next page, in place."""
    query = update.callback_query
    cb = parse(query.data) if query else None
    if query is None or cb is None:
        return
    outcome = await journal.journal_press(context.bot_data.db, query.from_user.id, cb)
    await settle_press(update, context, outcome)


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


async def recap_button(update: Update, context: Context) -> None:
    """The weekly recap switch."""
    query = update.callback_query
    cb = parse(query.data) if query else None
    if query is None or cb is None:
        return
    deps = context.bot_data
    outcome = await insight.press_recap(deps.db, deps.clock, query.from_user.id, cb)
    await settle_press(update, context, outcome)


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """/journal, /week and their buttons."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("journal", journal_command, filters=private),
        CommandHandler("week", week_command, filters=private),
        CallbackQueryHandler(journal_button, pattern=_is(Action.JOURNAL)),
        CallbackQueryHandler(recap_button, pattern=_is(Action.RECAP)),
    ]
