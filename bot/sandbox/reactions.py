"""Reactions on messages: the bot's ``setMessageReaction`` and people's ``message_reaction``.

The bot's side follows the Bot API server's ``process_set_message_reaction_query``: ``reaction``
is parsed first, then the chat and the message are looked up (``message to react not found``),
then the emoji are checked, as Telegram's servers check them. A person's side is what a
Telegram client allows (emoji from the reaction list, one each, three with Premium) and ends in
a ``MessageReactionUpdated`` update, which the queue keeps only when the bot's
``allowed_updates`` name ``message_reaction`` (never by default). Reactions the bot sets produce
no update, as the Bot API documents ("The update isn't received for reactions set by bots").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from bot.sandbox.chats import Chats
from bot.sandbox.errors import bad_request
from bot.sandbox.models import ChatState, StoredMessage
from bot.sandbox.params import Files, Handler, Params
from bot.sandbox.updates import UpdateQueue
from bot.sandbox.validation import check_bot_reactions, is_reaction_emoji, parse_reaction_types

#: How many reactions a person may put on one message: Telegram's ``reactions_user_max_default``
#: and ``reactions_user_max_premium`` client options.
MAX_USER_REACTIONS: Final = 1
MAX_PREMIUM_USER_REACTIONS: Final = 3


class Reactions:
    """Reactions on the messages of ``chats``.

    Args:
        chats: The chats, for ``chat_id`` and their messages.
        updates: Where people's reaction changes are queued for the bot.
        now: The fake's clock (Unix seconds).
        changed: Called after every change of state.
    """

    def __init__(
        self,
        chats: Chats,
        updates: UpdateQueue,
        now: Callable[[], float],
        changed: Callable[[], None],
    ) -> None:
        self._chats = chats
        self._updates = updates
        self._now = now
        self._changed = changed

    def methods(self) -> dict[str, Handler]:
        """The Bot API methods of this concern, by lowercase name."""
        return {"setmessagereaction": self._set_message_reaction}

    # -- the bot -------------------------------------------------------------------------------

    async def _set_message_reaction(self, params: Params, files: Files) -> Any:
        is_big = params.flag("is_big")
        reactions = parse_reaction_types(params.values.get("reaction"))
        state = self._chats.resolve(params)
        message = _message_to_react(state, params.values.get("message_id"))
        check_bot_reactions(reactions)
        # An empty list takes the bot's reaction back (also when it had none: tdlib answers a
        # change that changes nothing as a success).
        message.bot_reaction = reactions
        message.bot_reaction_is_big = is_big and bool(reactions)
        state.bot_reactions_set += 1
        self._changed()
        return True

    # -- people --------------------------------------------------------------------------------

    def user_reacts(
        self,
        user: Mapping[str, Any],
        chat_id: int,
        message_id: int,
        emoji: Sequence[str],
    ) -> dict[str, Any]:
        """``user`` sets their reactions on a message to ``emoji`` (empty: takes them back).

        Returns:
            The ``message_reaction`` update, also when ``allowed_updates`` keeps it from the bot.

        Raises:
            LookupError: No such chat or message (a test that reacts to nothing).
            ValueError: Something a Telegram client would not let the person do: an emoji off
                the reaction list, a repeated emoji, too many reactions, or no change at all.
        """
        state = self._chats.chats.get(chat_id)
        message = state.messages.get(message_id) if state is not None else None
        if state is None or message is None:
            raise LookupError(f"there is no message {message_id} in chat {chat_id} to react to")
        for one in emoji:
            if not is_reaction_emoji(one):
                raise ValueError(f"{one!r} is not a reaction Telegram offers")
        if len(set(emoji)) != len(emoji):
            raise ValueError(f"the same emoji twice: {list(emoji)!r}")
        limit = MAX_PREMIUM_USER_REACTIONS if user.get("is_premium") else MAX_USER_REACTIONS
        if len(emoji) > limit:
            raise ValueError(f"{user['first_name']} may put at most {limit} reaction(s) here")
        uid = int(user["id"])
        old = message.user_reactions.get(uid, [])
        new = [{"type": "emoji", "emoji": one} for one in emoji]
        if new == old:
            # Telegram sends no update for a change that changes nothing.
            raise ValueError(f"{user['first_name']} already has exactly these reactions")
        if new:
            message.user_reactions[uid] = new
        else:
            message.user_reactions.pop(uid, None)
        update = self._updates.enqueue(
            {
                "message_reaction": {
                    "chat": dict(state.chat),
                    "message_id": message.message_id,
                    "user": dict(user),
                    "date": int(self._now()),
                    "old_reaction": old,
                    "new_reaction": new,
                }
            }
        )
        self._changed()
        return update


def _message_to_react(state: ChatState, raw: object) -> StoredMessage:
    # The server reads message_id leniently (anything not a positive number is 0) and then
    # says the same for a missing, malformed or unknown one.
    message_id = raw if isinstance(raw, int) and not isinstance(raw, bool) else 0
    message = state.messages.get(message_id) if message_id > 0 else None
    if message is None:
        raise bad_request("message to react not found")
    return message
