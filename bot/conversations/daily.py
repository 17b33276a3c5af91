"""The daily loop: /today and the morning buttons, /done and "done", /reflect and the evening
buttons, and free-text answers to an open step.
"""

from __future__ import annotations

from typing import Final

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.conversations.common import ButtonHandler, remember_plan_message, reply, settle_answer
from bot.deps import Context
from bot.i18n import translator_for
from bot.services import daily
from bot.services.unit import Answer, Press
from bot.ui import daily as ui
from bot.ui import preferences as settings_ui
from bot.ui.callbacks import Action, Callback


async def today(update: Update, context: Context) -> None:
    """/today: today's plan, or three ideas to choose from."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    await _show(update, await daily.today(deps.db, deps.clock, update.effective_user.id), context)


async def done(update: Update, context: Context) -> None:
    """/done and /done <what I did>: log an act."""
    if update.effective_user is None or update.effective_message is None:
        return
    deps = context.bot_data
    words = _command_argument(update.effective_message.text or "")
    answer = await daily.done(deps.db, deps.clock, update.effective_user.id, words)
    await _show(update, answer, context)


async def reflect(update: Update, context: Context) -> None:
    """/reflect: start the evening reflection now."""
    if update.effective_user is None:
        return
    deps = context.bot_data
    await _show(
        update, await daily.reflect(deps.db, deps.clock, update.effective_user.id), context
    )


async def text(update: Update, context: Context) -> None:
    """Free text: an open step's answer, a "done" reply, or a hint of what to do now."""
    message = update.effective_message
    if update.effective_user is None or message is None or message.text is None:
        return
    deps = context.bot_data
    answer = await daily.reply(deps.db, deps.clock, update.effective_user.id, message.text)
    if answer is not None and isinstance(answer.result, daily.PreferenceAnswered):
        t = translator_for(answer.language)
        await reply(update, settings_ui.render_step_answer(t, answer.result.step))
        return
    await _show(update, answer, context)  # type: ignore[arg-type]  # the rest is a daily.Result


async def _show(update: Update, answer: Answer[daily.Result] | None, context: Context) -> None:
    """Render a daily-loop result as one message in the chat."""
    if answer is None:
        await reply(update, None)
        return
    t = translator_for(answer.language)
    [shown] = await reply(update, ui.render(t, answer.language, answer.result))
    await remember_plan_message(update, context, answer.result, shown.message_id)


def _pressed(
    use_case: daily.ButtonUseCase,
) -> ButtonHandler:
    """A button handler that runs ``use_case`` with the press's date and argument."""

    async def handle(update: Update, context: Context, cb: Callback) -> None:
        query = update.callback_query
        if query is None:
            return
        deps = context.bot_data
        press = Press(telegram_user_id=query.from_user.id, day=cb.local_date, arg=cb.arg)
        answer = await use_case(deps.db, deps.clock, press)
        shown = await settle_answer(update, context, answer, ui.render_press)
        if answer is not None:
            await remember_plan_message(update, context, answer.result, shown)

    return handle


BUTTONS: Final[dict[Action, ButtonHandler]] = {
    Action.PICK: _pressed(daily.pick),
    Action.COMMIT: _pressed(daily.commit),
    Action.OTHERS: _pressed(daily.other_ideas),
    Action.OWN: _pressed(daily.own_idea),
    Action.LOW_ENERGY: _pressed(daily.low_energy),
    Action.INLINE_LOG: _pressed(daily.inline_log),
    Action.LATER: _pressed(daily.later),
    Action.NOT_TODAY: _pressed(daily.not_today),
    Action.DONE: _pressed(daily.done_button),
    Action.NOTE_SKIP: _pressed(daily.note_skip),
    Action.OUTCOME: _pressed(daily.outcome),
    Action.FEELING: _pressed(daily.feeling),
    Action.RECEIVED_SKIP: _pressed(daily.received_skip),
}
"""Every button of the daily loop and the use case it runs."""


def _command_argument(text: str) -> str:
    """Everything after the command word, as typed (newlines and spacing kept)."""
    _, _, rest = text.partition(" ")
    if not rest:
        _, _, rest = text.partition("\n")
    return rest


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """Commands of the daily loop (its buttons are routed by ``routes.py``)."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("today", today, filters=private),
        CommandHandler("done", done, filters=private),
        CommandHandler("reflect", reflect, filters=private),
    ]


def text_handler() -> BaseHandler[Update, Context, None]:
    """Free text in a private chat; registered after every command handler."""
    return MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, text)
