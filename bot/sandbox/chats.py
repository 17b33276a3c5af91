"""The chats the sandbox knows, the simulated people in them, and what those people write.

Telegram's rules about who may be written to live here: a private chat exists for the bot only
once the person wrote first, and a person who blocked the bot answers 403.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bot.sandbox.errors import bad_request, forbidden
from bot.sandbox.models import ChatState, MessageKind, StoredMessage
from bot.sandbox.params import Params
from bot.sandbox.updates import UpdateQueue

if TYPE_CHECKING:
    from bot.sandbox.users import SimulatedUser


class Chats:
    """Chats by id, with the simulated people and the ``@username`` of public chats.

    Args:
        now: The fake's clock (Unix seconds).
        changed: Called after every change of state.
        updates: Where the messages people write are queued for the bot.
    """

    def __init__(
        self, now: Callable[[], float], changed: Callable[[], None], updates: UpdateQueue
    ) -> None:
        self._now = now
        self._changed = changed
        self._updates = updates
        self.chats: dict[int, ChatState] = {}
        self.users: dict[int, SimulatedUser] = {}
        self._usernames: dict[str, int] = {}
        self._user_ids = itertools.count(10001)
        self._group_ids = itertools.count(1)

    # -- resolving a request's chat_id ---------------------------------------------------------

    def key(self, raw: object) -> int | str | None:
        """The chat id a ``chat_id`` value means: an ``@username`` resolved when known."""
        if isinstance(raw, bool):
            return None
        if isinstance(raw, int):
            return raw
        if isinstance(raw, str):
            return self._usernames.get(raw.lower(), raw)
        return None

    def is_group(self, chat_key: int | str | None) -> bool:
        """Whether ``chat_key`` is a known group or supergroup (it has its own flood limit)."""
        state = self.chats.get(chat_key) if isinstance(chat_key, int) else None
        return state is not None and state.chat["type"] in {"group", "supergroup"}

    def resolve(self, params: Params) -> ChatState:
        """The chat of the request's ``chat_id``.

        Raises:
            ApiError: ``chat not found``, also for a private chat the person never started.
        """
        raw = params.chat_id()
        chat_key = self.key(raw)
        state = self.chats.get(chat_key) if isinstance(chat_key, int) else None
        if state is None:
            raise bad_request("chat not found")
        if state.chat["type"] == "private" and not state.started:
            raise bad_request("chat not found")
        return state

    def sendable(self, params: Params) -> ChatState:
        """The chat of the request's ``chat_id``, if the bot may write there.

        Raises:
            ApiError: 403 when the person never wrote or blocked the bot; else as ``resolve``.
        """
        raw = params.chat_id()
        chat_key = self.key(raw)
        if isinstance(chat_key, int) and chat_key in self.users:
            state = self.chats.get(chat_key)
            if state is None or not state.started:
                raise forbidden("bot can't initiate conversation with a user")
        state = self.resolve(params)
        if state.blocked:
            raise forbidden("bot was blocked by the user")
        return state

    # -- people and chats ----------------------------------------------------------------------

    def new_user_data(
        self,
        first_name: str,
        language_code: str | None,
        user_id: int | None,
        *,
        last_name: str | None,
        username: str | None,
        is_premium: bool,
    ) -> dict[str, Any]:
        """Bot API ``User`` JSON for a new person, with a fresh id unless ``user_id`` is given.

        Raises:
            ValueError: ``user_id`` is taken.
        """
        uid = user_id if user_id is not None else next(self._user_ids)
        while user_id is None and uid in self.users:
            uid = next(self._user_ids)
        if uid in self.users:
            raise ValueError(f"user {uid} already exists")
        data: dict[str, Any] = {"id": uid, "is_bot": False, "first_name": first_name}
        if last_name is not None:
            data["last_name"] = last_name
        if username is not None:
            data["username"] = username
        if language_code is not None:
            data["language_code"] = language_code
        if is_premium:
            data["is_premium"] = True
        return data

    def add_group(self, title: str, *, username: str | None = None) -> int:
        """Create a group the bot is a member of (a supergroup when public); its id."""
        chat_id = -(4000000000 + next(self._group_ids))
        chat: dict[str, Any] = {"id": chat_id, "type": "group", "title": title}
        if username is not None:
            chat["type"] = "supergroup"
            chat["username"] = username
            self._usernames[f"@{username.lower()}"] = chat_id
        self.chats[chat_id] = ChatState(chat=chat, started=True)
        return chat_id

    def add_channel(self, title: str, *, username: str | None = None) -> int:
        """Create a channel where the bot is an administrator; its id."""
        chat_id = -(1000000000000 + next(self._group_ids))
        chat: dict[str, Any] = {"id": chat_id, "type": "channel", "title": title}
        if username is not None:
            chat["username"] = username
            self._usernames[f"@{username.lower()}"] = chat_id
        self.chats[chat_id] = ChatState(chat=chat, started=True)
        return chat_id

    def private_chat(self, user: Mapping[str, Any]) -> ChatState:
        """The private chat with ``user``, created (and so known to the bot) on first use."""
        uid = int(user["id"])
        state = self.chats.get(uid)
        if state is None:
            chat: dict[str, Any] = {"id": uid, "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if key in user:
                    chat[key] = user[key]
            state = ChatState(chat=chat)
            self.chats[uid] = state
        return state

    def bot_messages(self, chat_id: int) -> list[StoredMessage]:
        """The bot's messages in a chat, current state, deleted ones removed, oldest first."""
        state = self.chats.get(chat_id)
        if state is None:
            return []
        return [message for message in state.messages.values() if message.from_bot]

    def post_user_message(
        self,
        state: ChatState,
        sender: Mapping[str, Any] | None,
        *,
        kind: MessageKind,
        text: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        caption: str | None = None,
        content: Mapping[str, Any] | None = None,
        deliver: bool = True,
        update_type: str = "message",
    ) -> tuple[StoredMessage, dict[str, Any] | None]:
        """Store a message written by a person in ``state`` and queue its update.

        Returns:
            The stored message and the update (``None`` when ``deliver`` is false, e.g. a group
            message hidden from the bot by privacy mode).
        """
        message = StoredMessage(
            message_id=state.next_message_id(),
            chat=state.chat,
            date=int(self._now()),
            sender=dict(sender) if sender is not None else None,
            kind=kind,
            from_bot=False,
            text=text,
            entities=list(entities or []),
            caption=caption,
            content=dict(content or {}),
        )
        state.messages[message.message_id] = message
        if state.chat["type"] == "private":
            state.started = True
        update = self._updates.enqueue({update_type: message.to_json()}) if deliver else None
        self._changed()
        return message, update
