"""A reaction on the message showing today's act logs it; the bot answers with a reaction.

Telegram sends ``message_reaction`` updates to bots for private chats (and for groups where
the bot is an administrator) when ``allowed_updates`` asks for them, which the runner does
(``Update.ALL_TYPES``); reactions set by bots are not sent. Only private chats count here.
"""

from __future__ import annotations

import logging
from typing import Final

from telegram import ReactionTypeEmoji, Update
from telegram.constants import ChatType, ReactionEmoji
from telegram.error import TelegramError
from telegram.ext import BaseHandler, MessageReactionHandler

from bot.deps import Context
from bot.services import reactions
from bot.services.reactions import Reaction

__all__ = ["BOT_REACTION", "build_handlers", "on_reaction"]

logger = logging.getLogger(__name__)

BOT_REACTION: Final = ReactionEmoji.FIRE
"""Kindling's answer to a logged act: a small fire on the message, instead of a new message."""


async def on_reaction(update: Update, context: Context) -> None:
    """The person's reactions on a message changed: log or undo today's act."""
    changed = update.message_reaction
    if changed is None or changed.user is None or changed.chat.type != ChatType.PRIVATE:
        return
    deps = context.bot_data
    answer = await reactions.reacted(
        deps.db,
        deps.clock,
        changed.user.id,
        changed.message_id,
        reacting=bool(changed.new_reaction),
    )
    if answer is None:
        return
    ours = [ReactionTypeEmoji(BOT_REACTION)] if answer.result.reaction is Reaction.LOGGED else []
    try:
        await context.bot.set_message_reaction(changed.chat.id, changed.message_id, ours)
    except TelegramError as error:
        # The log is written either way; only the little answer is missing.
        logger.warning("could not react to a logged act: %s", type(error).__name__)


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """The reaction handler (reactions from people only; counts of anonymous ones are not)."""
    return [
        MessageReactionHandler(
            on_reaction, message_reaction_types=MessageReactionHandler.MESSAGE_REACTION_UPDATED
        )
    ]
