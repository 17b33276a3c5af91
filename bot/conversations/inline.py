"""Inline mode: ``@bot`` in any chat offers encouraging messages and thank-you notes; after
one is sent, the private chat offers to log it as today's act.
"""

from __future__ import annotations

import logging

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import BaseHandler, ChosenInlineResultHandler, InlineQueryHandler

from bot.conversations.common import person_translator
from bot.deps import Context
from bot.kindness.crisis import is_crisis
from bot.kindness.suggestions import seed_for
from bot.services import inline
from bot.ui import inline as ui
from bot.ui.keyboards import inline_keyboard

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60


async def query(update: Update, context: Context) -> None:
    """``@bot words``: notes matching the words; helplines first for crisis language."""
    inline_query = update.inline_query
    if inline_query is None:
        return
    t = await person_translator(update, context)
    if is_crisis(inline_query.query):
        # Nothing to send on their behalf; a button opens the private chat with helplines.
        await inline_query.answer(
            [],
            cache_time=0,
            is_personal=True,
            button=InlineQueryResultsButton(text=ui.support_button(t), start_parameter="crisis"),
        )
        return
    today = context.bot_data.clock.now().date().isoformat()
    notes = ui.matching(t, inline_query.query, seed=seed_for(inline_query.from_user.id, today))
    await inline_query.answer(
        [
            InlineQueryResultArticle(
                id=note.result_id,
                title=note.title,
                description=note.text,
                input_message_content=InputTextMessageContent(note.text, parse_mode=None),
            )
            for note in notes
        ],
        cache_time=CACHE_SECONDS,
        is_personal=True,
    )


async def chosen(update: Update, context: Context) -> None:
    """A note was sent: offer, in the private chat, to log it as today's act."""
    result = update.chosen_inline_result
    if result is None:
        return
    deps = context.bot_data
    offer = await inline.chosen(deps.db, deps.clock, result.from_user.id, result.result_id)
    if offer is None:
        return
    screen = ui.render_offer(offer)
    try:
        await context.bot.send_message(
            offer.result.chat_id, screen.text, reply_markup=inline_keyboard(screen.buttons)
        )
    except TelegramError as error:
        # The private chat may be gone (blocked); the note itself was sent, so stay quiet.
        logger.info("could not offer to log an inline note: %s", type(error).__name__)


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """Inline queries and chosen inline results."""
    return [InlineQueryHandler(query), ChosenInlineResultHandler(chosen)]
