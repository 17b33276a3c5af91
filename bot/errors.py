"""The global error handler: log what broke (never what people wrote), reassure the person."""

from __future__ import annotations

import contextlib
import logging
import traceback

from telegram import Update
from telegram.error import RetryAfter, TelegramError

from bot.conversations.admin import report_failure
from bot.conversations.common import person_translator, translator
from bot.deps import Context
from bot.ui import texts
from storage.availability import unavailable_reason

logger = logging.getLogger(__name__)


def describe_failure(error: BaseException) -> str:
    """The exception type and stack, without its message.

    Exception messages can quote user input (``int("I feel ...")``), and free text about
    feelings must never reach a log file, so only the type and the code locations are kept.
    """
    frames = traceback.extract_tb(error.__traceback__)
    where = " <- ".join(
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in frames[::-1]
    )
    return f"{type(error).__module__}.{type(error).__qualname__} at {where or 'unknown'}"


async def on_error(update: object, context: Context) -> None:
    """Log the failure with the update id and tell the person, kindly, that nothing was lost.

    A database that is away (down, restarting, locked, full) is not a bug: its outage is
    logged once by the database's outage tracker, not once per update, and the person is
    asked to try again in a moment.
    """
    error = context.error
    if error is None:
        return
    update_id = update.update_id if isinstance(update, Update) else None
    outage = unavailable_reason(error)
    await report_failure(context, error, describe_failure(error), unexpected=outage is None)
    if outage is not None:
        context.bot_data.db.outage.failed(outage)
    else:
        logger.error("update %s failed: %s", update_id, describe_failure(error))
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(error, RetryAfter):
        # Flood control outlasted the reply's own retries (bot/flood.py); an apology sent now
        # would only meet the same limit.
        return
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except TelegramError:
            logger.debug("could not answer callback query of update %s", update_id)
    t = translator(update)
    if outage is None:
        with contextlib.suppress(Exception):  # the apology must go out whatever else is wrong
            t = await person_translator(update, context)
    reply = texts.could_not_save(t) if outage is not None else texts.something_went_wrong(t)
    try:
        await context.bot.send_message(update.effective_chat.id, reply)
    except TelegramError as exc:
        logger.warning("could not tell chat about failed update %s: %s", update_id, type(exc))
