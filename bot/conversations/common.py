"""Small helpers every conversation module shares: who is talking, in which language, and how
a composed message or a button outcome reaches the chat."""

from __future__ import annotations

from telegram import Message, Update
from telegram.error import BadRequest

from bot.deps import Context
from bot.i18n import Translator, translator_for
from bot.services.daily import Outcome
from bot.services.prompts import PromptContent
from bot.ui import texts
from bot.ui.keyboards import inline_keyboard


def translator(update: Update) -> Translator:
    """The translator for whoever sent ``update``."""
    user = update.effective_user
    return translator_for(user.language_code if user else None)


async def reply(update: Update, content: PromptContent | None) -> None:
    """Send ``content`` as a reply in the chat of ``update`` (``None``: "send /start first")."""
    message = update.effective_message
    if message is None:
        return
    if content is None:
        await message.reply_text(texts.not_started(translator(update)))
        return
    markup = inline_keyboard(content.buttons) if content.buttons else None
    await message.reply_text(content.text, reply_markup=markup)


async def settle_press(update: Update, context: Context, outcome: Outcome) -> None:
    """Answer a button press (never leaving it spinning), then edit and/or send."""
    query = update.callback_query
    if query is None:
        return
    await query.answer(outcome.note)
    message = query.message
    if outcome.edit is not None:
        markup = inline_keyboard(outcome.edit.buttons) if outcome.edit.buttons else None
        if isinstance(message, Message):
            try:
                await message.edit_text(outcome.edit.text, reply_markup=markup)
            except BadRequest as error:
                if "not modified" not in str(error).lower():
                    raise
        else:
            # Too old to edit (an inaccessible message): send it afresh.
            await context.bot.send_message(
                query.from_user.id, outcome.edit.text, reply_markup=markup
            )
    if outcome.send is not None:
        markup = inline_keyboard(outcome.send.buttons) if outcome.send.buttons else None
        await context.bot.send_message(query.from_user.id, outcome.send.text, reply_markup=markup)
