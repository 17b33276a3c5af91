"""Small helpers every conversation module shares: who is talking, in which language, and how
composed messages and button outcomes reach the chat.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Message, ReplyKeyboardRemove, Update
from telegram.error import BadRequest

from bot.deps import Context
from bot.i18n import Translator, translator_for
from bot.kindness.helplines import CountryHelp, help_for
from bot.services import crisis, language, reactions
from bot.services.daily import PlanShown
from bot.services.unit import Answer
from bot.ui import texts
from bot.ui.callbacks import Callback
from bot.ui.keyboards import location_keyboard, screen_keyboard
from bot.ui.screens import PressAnswer, ReplyAnswer, Screen

ButtonHandler = Callable[[Update, Context, Callback], Awaitable[None]]
"""Handles one kind of button, once its callback data is parsed (see ``routes.py``)."""

R = TypeVar("R")


def translator(update: Update) -> Translator:
    """The translator for Telegram's language of whoever sent ``update`` (no lookup).

    For someone Kindling knows, prefer :func:`person_translator`: it honours /language.
    """
    user = update.effective_user
    return translator_for(user.language_code if user else None)


async def person_help(update: Update, context: Context) -> tuple[Translator, CountryHelp | None]:
    """The sender's translator and the crisis lines of their country (None: not known).

    While the database is unavailable: Telegram's language and the worldwide text, at once.
    """
    user = update.effective_user
    if user is None:
        return translator_for(None), None
    where = await crisis.whereabouts(context.bot_data.db, user.id)
    if where is None:
        return translator_for(user.language_code), None
    return translator_for(where.language or user.language_code), help_for(where.country)


async def person_translator(update: Update, context: Context) -> Translator:
    """The translator in the language the sender chose, else Telegram's language for them.

    While the database is unavailable, Telegram's language: an answer in a second-best
    language beats no answer.
    """
    user = update.effective_user
    if user is None:
        return translator_for(None)
    chosen = await language.current(context.bot_data.db, user.id)
    return translator_for(chosen or user.language_code)


async def reply(update: Update, content: Screen | ReplyAnswer | None) -> list[Message]:
    """Send ``content`` in the chat of ``update`` (``None``: "send /start first").

    Returns:
        The messages sent, in order.
    """
    message = update.effective_message
    if message is None:
        return []
    if content is None:
        return [await message.reply_text(texts.not_started(translator(update)))]  # nobody
    answer = content if isinstance(content, ReplyAnswer) else ReplyAnswer(messages=[content])
    last = len(answer.messages) - 1
    sent: list[Message] = []
    for index, item in enumerate(answer.messages):
        markup: object = screen_keyboard(item)
        if index == 0 and answer.remove_keyboard and markup is None:
            markup = ReplyKeyboardRemove()
        if index == last and answer.location_keyboard and markup is None:
            markup = location_keyboard(answer.location_keyboard)
        sent.append(await message.reply_text(item.text, reply_markup=markup))  # type: ignore[arg-type]
    return sent


async def settle_press(update: Update, context: Context, outcome: PressAnswer) -> int | None:
    """Answer a button press (never leaving it spinning), then edit and/or send.

    Returns:
        The id of the message that shows ``outcome.edit`` (the pressed one, or a new one when
        it could not be edited); ``None`` without an edit.
    """
    query = update.callback_query
    if query is None:
        return None
    await query.answer(outcome.note)
    message = query.message
    chat_id = message.chat.id if message is not None else query.from_user.id
    if outcome.edit is not None:
        markup = screen_keyboard(outcome.edit)
        edited = False
        if isinstance(message, Message) and message.date.timestamp() > 0:
            try:
                await message.edit_text(outcome.edit.text, reply_markup=markup)
                edited = True
            except BadRequest as error:
                # Identical content is fine; a message gone or too old to edit is sent afresh.
                edited = "not modified" in str(error).lower()
        if edited and isinstance(message, Message):
            shown = message.message_id
        else:
            new = await context.bot.send_message(chat_id, outcome.edit.text, reply_markup=markup)
            shown = new.message_id
    else:
        shown = None
    for item in outcome.send:
        markup = screen_keyboard(item)
        await context.bot.send_message(chat_id, item.text, reply_markup=markup)
    return shown


async def settle_answer(
    update: Update,
    context: Context,
    answer: Answer[R] | None,
    render: Callable[[Translator, str | None, R], PressAnswer],
) -> int | None:
    """Answer a press with a use case's answer, rendered in the person's language.

    Args:
        update: The press.
        context: The handler's context.
        answer: What the use case found; ``None`` for someone who never pressed /start.
        render: ``bot.ui``'s renderer: (translator, language, result) to what to show.

    Returns:
        The id of the message showing the answer's edit (see :func:`settle_press`).
    """
    if answer is None:
        return await settle_press(
            update, context, PressAnswer(note=texts.not_started(translator(update)))
        )
    t = translator_for(answer.language)
    return await settle_press(update, context, render(t, answer.language, answer.result))


async def remember_plan_message(
    update: Update, context: Context, result: object, message_id: int | None
) -> None:
    """Note which message shows today's act (``result``), so a reaction on it can log it."""
    if isinstance(result, PlanShown) and message_id is not None and update.effective_user:
        deps = context.bot_data
        await reactions.plan_shown_in(
            deps.db, deps.clock, update.effective_user.id, result.plan_id, message_id
        )
