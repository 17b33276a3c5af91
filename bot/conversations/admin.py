"""/admin for the operators listed in ``ADMIN_IDS``, and alerts about unexpected errors.

Everyone else who sends /admin gets the usual unknown-command reply (the command handler
does not match them, so the catch-all answers). What admins see is counts only.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import RetryAfter, TelegramError
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversations.common import translator
from bot.deps import Context
from bot.i18n import translator_for
from bot.services import admin as service
from bot.ui import admin as ui

logger = logging.getLogger(__name__)


async def admin_command(update: Update, context: Context) -> None:
    """Show an admin the counts: people, today's prompts, 429s, the last error, the build."""
    message = update.effective_message
    if message is None:
        return
    deps = context.bot_data
    view = await service.overview(deps.db, deps.clock.now(), deps.metrics.figures())
    await message.reply_text(ui.overview(translator(update), view))


async def report_failure(
    context: Context, error: BaseException, failure: str, *, unexpected: bool
) -> None:
    """Count a failed update; tell the admins about an unexpected one, once per kind per
    10 minutes.

    Args:
        context: The error handler's context.
        error: What was raised.
        failure: ``describe_failure(error)``: type and code locations, no message.
        unexpected: False for failures that are not bugs (a database outage), which are
            counted but not alerted.
    """
    deps = context.bot_data
    seen = deps.metrics.error_seen(error)
    if not unexpected or isinstance(error, RetryAfter) or not deps.settings.admin_ids:
        return
    if not deps.alerts.allow(seen.kind, seen.at):
        return
    # No update tells us the admins' languages; the operator's messages use the default one.
    text = ui.error_alert(translator_for(None), failure, seen.at)
    for admin_id in sorted(deps.settings.admin_ids):
        try:
            await context.bot.send_message(admin_id, text)
        except TelegramError as exc:
            # An admin who never started the bot cannot be written to; that is theirs to fix.
            logger.warning("could not alert an admin about a failure: %s", type(exc).__name__)


def build_handlers(admin_ids: frozenset[int]) -> list[BaseHandler[Update, Context, None]]:
    """/admin, matching only the ``ADMIN_IDS`` in private chats."""
    admins = filters.User(user_id=admin_ids, allow_empty=False)
    return [CommandHandler("admin", admin_command, filters=filters.ChatType.PRIVATE & admins)]
