"""/language: the languages as buttons, ``/language de`` directly, and the picker's buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.conversations.common import reply, settle_press
from bot.deps import Context
from bot.i18n import translator_for
from bot.kindness.lexicon import language_name
from bot.services import language
from bot.services.language import LanguageChoice, Result
from bot.services.prompts import PromptContent
from bot.services.results import Outcome
from bot.ui import daily as daily_ui
from bot.ui import language as ui
from bot.ui import texts
from bot.ui.callbacks import Action, parse


def _is_ours(data: object) -> bool:
    cb = parse(data) if isinstance(data, str) else None
    return cb is not None and cb.action is Action.LANGUAGE


def _text(choice: LanguageChoice) -> str:
    t = translator_for(choice.language)
    if choice.result is Result.SET:
        return ui.language_set(t, language_name(choice.language))
    if choice.result is Result.UNKNOWN:
        return ui.unknown_language(t)
    return ui.picker(t)


async def language_command(update: Update, context: Context) -> None:
    """/language [code or name]: set it, or show the choice."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    _, _, requested = (message.text or "").partition(" ")
    deps = context.bot_data
    choice = await language.choose(deps.db, deps.clock, user.id, requested)
    if choice is None:
        await reply(update, None)
        return
    if choice.result is Result.SET:
        await message.reply_text(_text(choice))
        return
    rows = [list(row) for row in ui.rows(choice.language)]
    await reply(update, PromptContent(text=_text(choice), buttons=rows))


async def language_button(update: Update, context: Context) -> None:
    """A language button: set it and say so in that language, in place of the picker."""
    query = update.callback_query
    cb = parse(query.data) if query else None
    if query is None or cb is None:
        return
    deps = context.bot_data
    choice = await language.choose(deps.db, deps.clock, query.from_user.id, cb.arg)
    if choice is None:
        outcome = Outcome(note=texts.not_started(translator_for(query.from_user.language_code)))
    elif choice.result is not Result.SET:
        outcome = Outcome(note=daily_ui.out_of_date(translator_for(choice.language)))
    else:
        outcome = Outcome(edit=PromptContent(text=_text(choice)))
    await settle_press(update, context, outcome)


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """/language and its buttons."""
    return [
        CommandHandler("language", language_command, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(language_button, pattern=_is_ours),
    ]
