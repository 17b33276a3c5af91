"""Button presses and inline queries: their updates, and the bot's answers to them.

Telegram lets a bot answer each query once and only for a short while; an answer that comes too
late, twice, or to an id Telegram never sent gets ``query is too old ...``.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from bot.sandbox.errors import bad_request
from bot.sandbox.models import ChatState, StoredMessage
from bot.sandbox.params import Files, Handler, Params
from bot.sandbox.updates import UpdateQueue
from bot.sandbox.validation import check_callback_answer_text, check_inline_results

#: How long a callback query can be answered (Telegram drops unanswered queries).
CALLBACK_QUERY_TTL: Final = 15.0

_QUERY_TOO_OLD: Final = "query is too old and response timeout expired or query ID is invalid"


@dataclass
class _PendingQuery:
    user_id: int
    created_at: float
    answered: bool = False
    query: str = ""
    result_ids: tuple[str, ...] = ()


class Queries:
    """Callback and inline queries sent to the bot, and what it answered.

    Args:
        chats: The chats by id (a callback query carries its chat).
        bot_id: The bot's user id (part of Telegram's ``chat_instance``).
        updates: Where query updates are queued.
        now: The fake's clock (Unix seconds).
        changed: Called after every change of state.
    """

    def __init__(
        self,
        chats: Mapping[int, ChatState],
        bot_id: int,
        updates: UpdateQueue,
        now: Callable[[], float],
        changed: Callable[[], None],
    ) -> None:
        self._chats = chats
        self._bot_id = bot_id
        self._updates = updates
        self._now = now
        self._changed = changed
        self.callback_answers: list[dict[str, Any]] = []
        self.inline_answers: list[dict[str, Any]] = []
        self._callback_queries: dict[str, _PendingQuery] = {}
        self._inline_queries: dict[str, _PendingQuery] = {}
        self._query_ids = itertools.count(1)

    def methods(self) -> dict[str, Handler]:
        """The Bot API methods of this concern, by lowercase name."""
        return {
            "answercallbackquery": self._answer_callback_query,
            "answerinlinequery": self._answer_inline_query,
        }

    # -- what people do ------------------------------------------------------------------------

    def create_callback_query(
        self,
        user: Mapping[str, Any],
        message: StoredMessage | None,
        chat_id: int,
        data: str,
        *,
        message_id: int = 0,
    ) -> dict[str, Any]:
        """Queue a ``callback_query`` update.

        ``message=None`` sends Telegram's inaccessible message (``date`` 0) with ``message_id``.
        """
        query_id = str(next(self._query_ids) * 7919 + 40000000000)
        self._callback_queries[query_id] = _PendingQuery(int(user["id"]), self._now())
        chat_state = self._chats[chat_id]
        instance = hashlib.sha256(f"{chat_id}:{self._bot_id}".encode()).hexdigest()
        message_json: dict[str, Any]
        if message is None:
            message_json = {"chat": dict(chat_state.chat), "message_id": message_id, "date": 0}
        else:
            message_json = message.to_json()
        query: dict[str, Any] = {
            "id": query_id,
            "from": dict(user),
            "message": message_json,
            "chat_instance": str(int(instance[:15], 16)),
            "data": data,
        }
        return self._updates.enqueue({"callback_query": query})

    def create_inline_query(self, user: Mapping[str, Any], query: str) -> dict[str, Any]:
        """Queue an ``inline_query`` update from ``user``."""
        query_id = str(next(self._query_ids) * 7919 + 50000000000)
        self._inline_queries[query_id] = _PendingQuery(int(user["id"]), self._now(), query=query)
        return self._updates.enqueue(
            {
                "inline_query": {
                    "id": query_id,
                    "from": dict(user),
                    "query": query,
                    "offset": "",
                    "chat_type": "sender",
                }
            }
        )

    def choose_inline_result(self, user: Mapping[str, Any], result_id: str) -> dict[str, Any]:
        """The person taps result ``result_id`` of their latest answered inline query.

        Like Telegram with inline feedback enabled in BotFather: a ``chosen_inline_result``
        update, only for a result the bot actually offered to that person.

        Raises:
            ValueError: No answered query of this person offered ``result_id``.
        """
        for pending in reversed(self._inline_queries.values()):
            if pending.user_id == int(user["id"]) and pending.answered:
                if result_id not in pending.result_ids:
                    raise ValueError(f"result {result_id!r} was not offered")
                return self._updates.enqueue(
                    {
                        "chosen_inline_result": {
                            "result_id": result_id,
                            "from": dict(user),
                            "query": pending.query,
                        }
                    }
                )
        raise ValueError("no answered inline query to choose from")

    # -- what the bot answers ------------------------------------------------------------------

    def _take(self, queries: dict[str, _PendingQuery], query_id: str) -> _PendingQuery:
        pending = queries.get(query_id)
        if (
            pending is None
            or pending.answered
            or self._now() - pending.created_at > CALLBACK_QUERY_TTL
        ):
            raise bad_request(_QUERY_TOO_OLD)
        pending.answered = True
        return pending

    async def _answer_callback_query(self, params: Params, files: Files) -> Any:
        query_id = params.require_str("callback_query_id")
        text = params.optional_str("text")
        check_callback_answer_text(text)
        pending = self._take(self._callback_queries, query_id)
        self.callback_answers.append(
            {
                "callback_query_id": query_id,
                "user_id": pending.user_id,
                "text": text,
                "show_alert": params.flag("show_alert"),
                "url": params.optional_str("url"),
            }
        )
        self._changed()
        return True

    async def _answer_inline_query(self, params: Params, files: Files) -> Any:
        query_id = params.require_str("inline_query_id")
        raw = params.optional_json("results", what="results")
        if raw is None:
            raise bad_request('parameter "results" is required')
        results = check_inline_results(raw)
        pending = self._take(self._inline_queries, query_id)
        pending.result_ids = tuple(str(r["id"]) for r in results)
        self.inline_answers.append(
            {"inline_query_id": query_id, "user_id": pending.user_id, "results": results}
        )
        self._changed()
        return True
