"""The sandbox Telegram Bot API: state, methods and Telegram's validation, without a network.

``FakeTelegram.call`` is the single entry point used by both transports (``FakeRequest``
in-process and ``FakeTelegramServer`` over loopback HTTP). Simulated users (``users.py``) put
updates on its queue; the bot reads them with ``getUpdates`` or receives them by webhook.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import mimetypes
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from bot.sandbox import formatting
from bot.sandbox.errors import ApiError, ServiceDown, bad_request, forbidden
from bot.sandbox.faults import PAID_BROADCAST_METHODS, FaultInjector
from bot.sandbox.models import ChatState, MessageKind, RecordedCall, StoredMessage
from bot.sandbox.params import Params, decode_params, jsonable
from bot.sandbox.validation import (
    check_bot_description,
    check_bot_language_code,
    check_callback_answer_text,
    check_caption,
    check_chat_action,
    check_commands,
    check_coordinates,
    check_entities,
    check_inline_results,
    check_message_text,
    check_reply_markup,
    check_secret_token,
    check_webhook_url,
    utf16_len,
)

if TYPE_CHECKING:
    from bot.sandbox.users import SimulatedChannel, SimulatedGroup, SimulatedUser

Files = Mapping[str, tuple[str, bytes]]
Handler = Callable[[Params, Files], Awaitable[Any]]

#: Update types delivered when ``allowed_updates`` was never set (Telegram's default).
DEFAULT_EXCLUDED_UPDATES: Final = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)
#: How long a callback query can be answered (Telegram drops unanswered queries).
CALLBACK_QUERY_TTL: Final = 15.0
#: Bots may delete messages for everyone only within 48 hours.
DELETE_WINDOW: Final = 48 * 3600.0

_CONFLICT_WEBHOOK: Final = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_CONFLICT_POLL: Final = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_NOT_MODIFIED: Final = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_QUERY_TOO_OLD: Final = "query is too old and response timeout expired or query ID is invalid"


@dataclass
class WebhookState:
    """The webhook set with ``setWebhook``."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _PendingQuery:
    user_id: int
    created_at: float
    answered: bool = False
    query: str = ""
    result_ids: tuple[str, ...] = ()


@dataclass
class _Waiter:
    predicate: Callable[[], bool]
    future: asyncio.Future[None]


@dataclass
class _Poll:
    future: asyncio.Future[None]
    conflict: bool = False


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    name: str
    data: bytes
    extra: dict[str, Any] = field(default_factory=dict)


def _inline(message: StoredMessage) -> dict[str, Any] | None:
    """The message's inline keyboard markup, if it has one."""
    markup = message.reply_markup
    return markup if markup is not None and "inline_keyboard" in markup else None


def _replace_inline(message: StoredMessage, markup: dict[str, Any] | None) -> None:
    """Edits replace the inline keyboard (omitting it removes it); a reply keyboard stays."""
    if markup is not None or _inline(message) is not None:
        message.reply_markup = markup


def _bot_id(token: str) -> int:
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 123456


class FakeTelegram:
    """An in-memory Telegram Bot API that answers like Telegram, including its errors."""

    def __init__(
        self,
        token: str = "123456:SANDBOX-TOKEN",  # noqa: S107 - the sandbox's well-known token
        *,
        username: str = "kindling_bot",
        first_name: str = "Kindling",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.clock = clock
        self.bot_user: dict[str, Any] = {
            "id": _bot_id(token),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.faults = FaultInjector(self.now)
        self.calls: list[RecordedCall] = []
        self.chats: dict[int, ChatState] = {}
        self.users: dict[int, SimulatedUser] = {}
        self.webhook: WebhookState | None = None
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        #: ``setMyDescription`` / ``setMyShortDescription`` texts by language (``""``: default).
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.default_menu_button: dict[str, Any] = {"type": "commands"}
        self.callback_answers: list[dict[str, Any]] = []
        self.inline_answers: list[dict[str, Any]] = []
        self.closed = False
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._allowed_updates: list[str] | None = None
        self._usernames: dict[str, int] = {}
        self._callback_queries: dict[str, _PendingQuery] = {}
        self._inline_queries: dict[str, _PendingQuery] = {}
        self._query_ids = itertools.count(1)
        self._user_ids = itertools.count(10001)
        self._group_ids = itertools.count(1)
        self._files: dict[str, _StoredFile] = {}
        self._waiters: list[_Waiter] = []
        self._poll: _Poll | None = None
        self._handlers: dict[str, Handler] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setmydescription": self._set_my_description,
            "getmydescription": self._get_my_description,
            "setmyshortdescription": self._set_my_short_description,
            "getmyshortdescription": self._get_my_short_description,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "answerinlinequery": self._answer_inline_query,
            "sendchataction": self._send_chat_action,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "sendlocation": self._send_location,
            "close": self._close,
            "logout": self._log_out,
        }

    # ---------------------------------------------------------------------------------------
    # Entry point
    # ---------------------------------------------------------------------------------------

    def now(self) -> float:
        """The injected clock, in Unix seconds."""
        return self.clock()

    async def call(
        self,
        method: str,
        params: Mapping[str, object],
        files: Files | None = None,
        *,
        token: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Run one Bot API method and return the HTTP status and the JSON body.

        Args:
            method: The method name; case-insensitive like Telegram.
            params: Parameters as Python values or as strings (JSON-encoded nested values).
            files: Uploaded files by multipart field name: ``(file_name, content)``.
            token: The token from the request URL; when given it must match.

        Raises:
            ServiceDown: ``faults.down`` is set.
            RequestHung: a hang is scripted; the request must get no answer.
        """
        key = method.lower()
        decoded = decode_params(params)
        uploads = dict(files or {})
        file_names = {name: upload[0] for name, upload in uploads.items()}
        at = self.now()
        if self.faults.down:
            self._record(RecordedCall(method, decoded, 0, at, None, file_names))
            raise ServiceDown("the sandbox Bot API is down")
        if token is not None and token != self.token:
            return self._finish(method, decoded, at, file_names, ApiError(401, "Unauthorized"))
        handler = self._handlers.get(key)
        if handler is None:
            return self._finish(method, decoded, at, file_names, ApiError(404, "Not Found"))
        hang = self.faults.take_hang(key)
        if hang is False:
            self._record(RecordedCall(method, decoded, 0, at, None, file_names))
            raise self.faults.hang_error()
        chat_key = self._chat_key(decoded.get("chat_id"))
        outcome: ApiError | dict[str, Any]
        paid = False
        try:
            if key in PAID_BROADCAST_METHODS:
                # Read before flood control: the flag decides which limit the send counts in,
                # and a malformed one is refused without counting anywhere.
                paid = Params(decoded).flag("allow_paid_broadcast")
            self.faults.check_before(key, chat_key, is_group=self._is_group(chat_key), paid=paid)
            result = await handler(Params(decoded), uploads)
        except ApiError as error:
            outcome = error
        else:
            self.faults.record_sent(key, chat_key, paid=paid)
            outcome = {"ok": True, "result": result}
        if hang is True:
            self._record(RecordedCall(method, decoded, 0, at, None, file_names))
            raise self.faults.hang_error()
        return self._finish(method, decoded, at, file_names, outcome)

    def _finish(
        self,
        method: str,
        decoded: dict[str, object],
        at: float,
        file_names: dict[str, str],
        outcome: ApiError | dict[str, Any],
    ) -> tuple[int, dict[str, Any]]:
        if isinstance(outcome, ApiError):
            status, body = outcome.status, outcome.to_json()
        else:
            status, body = 200, outcome
        self._record(RecordedCall(method, decoded, status, at, body, file_names))
        return status, body

    def _record(self, call: RecordedCall) -> None:
        # Waiters may be waiting for a call to happen (an end-to-end test counting retries).
        self.calls.append(call)
        self._changed()

    def _chat_key(self, raw: object) -> int | str | None:
        if isinstance(raw, bool):
            return None
        if isinstance(raw, int):
            return raw
        if isinstance(raw, str):
            return self._usernames.get(raw.lower(), raw)
        return None

    def _is_group(self, chat_key: int | str | None) -> bool:
        state = self.chats.get(chat_key) if isinstance(chat_key, int) else None
        return state is not None and state.chat["type"] in {"group", "supergroup"}

    # ---------------------------------------------------------------------------------------
    # Reading state (for tests and the terminal sandbox)
    # ---------------------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[RecordedCall]:
        """Recorded calls of one method (case-insensitive), oldest first."""
        key = method.lower()
        return [call for call in self.calls if call.method.lower() == key]

    def chat(self, chat_id: int) -> ChatState | None:
        """The state of a known chat, or ``None``."""
        return self.chats.get(chat_id)

    def bot_messages(self, chat_id: int) -> list[StoredMessage]:
        """The bot's messages in a chat, current state, deleted ones removed, oldest first."""
        state = self.chats.get(chat_id)
        if state is None:
            return []
        return [message for message in state.messages.values() if message.from_bot]

    def menu(self, language_code: str = "") -> list[dict[str, str]]:
        """The default-scope command menu a person with ``language_code`` sees.

        As Telegram's clients choose it: the list set for that language, else the one set
        without a language. (``getMyCommands`` itself answers only the exact list.)
        """
        scope = json.dumps({"type": "default"})
        found = self.commands.get((scope, language_code), self.commands.get((scope, ""), []))
        return [dict(command) for command in found]

    def description_for(self, language_code: str = "") -> str:
        """The description a person with ``language_code`` sees (``getMyDescription``)."""
        return self.descriptions.get(language_code, self.descriptions.get("", ""))

    def short_description_for(self, language_code: str = "") -> str:
        """The short description a person with ``language_code`` sees."""
        return self.short_descriptions.get(language_code, self.short_descriptions.get("", ""))

    @property
    def long_polling(self) -> bool:
        """Whether a ``getUpdates`` call is waiting for updates right now."""
        return self._poll is not None and not self._poll.future.done()

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by ``getUpdates`` or delivered by webhook."""
        return list(self._updates)

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float | None,  # noqa: ASYNC109 - a deadline is the point of this helper
    ) -> None:
        """Wait until ``predicate()`` holds; re-checked after every change of state.

        Raises:
            TimeoutError: when ``timeout`` seconds pass first.
        """
        if predicate():
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiter = _Waiter(predicate, future)
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(future, timeout)
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def _changed(self) -> None:
        for waiter in list(self._waiters):
            if waiter.future.done():
                self._waiters.remove(waiter)
            elif waiter.predicate():
                waiter.future.set_result(None)
                self._waiters.remove(waiter)

    # ---------------------------------------------------------------------------------------
    # Simulated people and chats (the update side)
    # ---------------------------------------------------------------------------------------

    def add_user(
        self,
        first_name: str = "Ana",
        language_code: str | None = "en",
        user_id: int | None = None,
        *,
        last_name: str | None = None,
        username: str | None = None,
        is_premium: bool = False,
    ) -> SimulatedUser:
        """Create a simulated Telegram user; their private chat exists once they write."""
        from bot.sandbox.users import SimulatedUser

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
        user = SimulatedUser(self, data)
        self.users[uid] = user
        return user

    def add_group(self, title: str, *, username: str | None = None) -> SimulatedGroup:
        """Create a group the bot is a member of (privacy mode on, like a default bot)."""
        from bot.sandbox.users import SimulatedGroup

        chat_id = -(4000000000 + next(self._group_ids))
        chat: dict[str, Any] = {"id": chat_id, "type": "group", "title": title}
        if username is not None:
            chat["type"] = "supergroup"
            chat["username"] = username
            self._usernames[f"@{username.lower()}"] = chat_id
        self.chats[chat_id] = ChatState(chat=chat, started=True)
        return SimulatedGroup(self, chat_id)

    def add_channel(self, title: str, *, username: str | None = None) -> SimulatedChannel:
        """Create a channel where the bot is an administrator."""
        from bot.sandbox.users import SimulatedChannel

        chat_id = -(1000000000000 + next(self._group_ids))
        chat: dict[str, Any] = {"id": chat_id, "type": "channel", "title": title}
        if username is not None:
            chat["username"] = username
            self._usernames[f"@{username.lower()}"] = chat_id
        self.chats[chat_id] = ChatState(chat=chat, started=True)
        return SimulatedChannel(self, chat_id)

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
            date=int(self.now()),
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
        update = self.enqueue_update({update_type: message.to_json()}) if deliver else None
        self._changed()
        return message, update

    def enqueue_update(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Give ``payload`` (e.g. ``{"message": {...}}``) an update_id and queue it.

        The update is returned even when ``allowed_updates`` filters it out of the queue.
        """
        update: dict[str, Any] = {"update_id": next(self._update_ids), **jsonable(payload)}
        kind = next(key for key in update if key != "update_id")
        if self._is_allowed(kind):
            self._updates.append(update)
            self._wake_poll()
        self._changed()
        copy: dict[str, Any] = jsonable(update)
        return copy

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
        self._callback_queries[query_id] = _PendingQuery(int(user["id"]), self.now())
        chat_state = self.chats[chat_id]
        instance = hashlib.sha256(f"{chat_id}:{self.bot_user['id']}".encode()).hexdigest()
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
        return self.enqueue_update({"callback_query": query})

    def create_inline_query(self, user: Mapping[str, Any], query: str) -> dict[str, Any]:
        """Queue an ``inline_query`` update from ``user``."""
        query_id = str(next(self._query_ids) * 7919 + 50000000000)
        self._inline_queries[query_id] = _PendingQuery(int(user["id"]), self.now(), query=query)
        return self.enqueue_update(
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
                return self.enqueue_update(
                    {
                        "chosen_inline_result": {
                            "result_id": result_id,
                            "from": dict(user),
                            "query": pending.query,
                        }
                    }
                )
        raise ValueError("no answered inline query to choose from")

    def _is_allowed(self, kind: str) -> bool:
        allowed = self._allowed_updates
        if self.webhook is not None and self.webhook.allowed_updates is not None:
            allowed = self.webhook.allowed_updates
        if not allowed:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in allowed

    def interrupt_long_polls(self) -> None:
        """End a waiting ``getUpdates`` now (it answers with what is queued, maybe nothing)."""
        self._wake_poll()

    def _wake_poll(self) -> None:
        if self._poll is not None and not self._poll.future.done():
            self._poll.future.set_result(None)

    # ---------------------------------------------------------------------------------------
    # Webhook delivery hooks (used by bot.sandbox.webhook)
    # ---------------------------------------------------------------------------------------

    def webhook_delivered(self, update_id: int) -> None:
        """The webhook receiver accepted ``update_id``: drop it from the queue."""
        self._updates = [update for update in self._updates if update["update_id"] != update_id]
        self._changed()

    def webhook_failed(self, message: str) -> None:
        """Record a failed webhook delivery for ``getWebhookInfo``."""
        if self.webhook is not None:
            self.webhook.last_error_date = int(self.now())
            self.webhook.last_error_message = message
        self._changed()

    # ---------------------------------------------------------------------------------------
    # Helpers shared by methods
    # ---------------------------------------------------------------------------------------

    def _resolve_chat(self, params: Params) -> ChatState:
        raw = params.chat_id()
        chat_key = self._chat_key(raw)
        state = self.chats.get(chat_key) if isinstance(chat_key, int) else None
        if state is None:
            raise bad_request("chat not found")
        if state.chat["type"] == "private" and not state.started:
            raise bad_request("chat not found")
        return state

    def _sendable_chat(self, params: Params) -> ChatState:
        raw = params.chat_id()
        chat_key = self._chat_key(raw)
        if isinstance(chat_key, int) and chat_key in self.users:
            state = self.chats.get(chat_key)
            if state is None or not state.started:
                raise forbidden("bot can't initiate conversation with a user")
        state = self._resolve_chat(params)
        if state.blocked:
            raise forbidden("bot was blocked by the user")
        return state

    def _format(
        self, text: str, parse_mode: str | None, entities: object
    ) -> tuple[str, list[dict[str, Any]]]:
        if entities is not None:
            if isinstance(entities, str):
                raise bad_request("can't parse entities JSON object")
            return text, check_entities(text, entities)
        if parse_mode is None or parse_mode == "":
            return text, []
        mode = parse_mode.lower()
        try:
            if mode == "html":
                return formatting.parse_html(text)
            if mode == "markdownv2":
                return formatting.parse_markdown_v2(text)
            if mode == "markdown":
                return formatting.parse_markdown(text)
        except formatting.EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from error
        raise bad_request("unsupported parse_mode")

    @staticmethod
    def _clip(entities: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
        limit = utf16_len(text)
        clipped: list[dict[str, Any]] = []
        for entity in entities:
            offset, length = int(entity["offset"]), int(entity["length"])
            if offset >= limit:
                continue
            clipped.append({**entity, "length": min(length, limit - offset)})
        return clipped

    def _message_text(self, params: Params, key: str = "text") -> tuple[str, list[dict[str, Any]]]:
        raw = params.optional_str(key)
        if raw is None:
            raise bad_request("message text is empty")
        plain, entities = self._format(
            raw,
            params.optional_str("parse_mode"),
            params.optional_json("entities", what="entities"),
        )
        stored = check_message_text(plain)
        return stored, self._clip(entities, stored)

    def _caption(self, params: Params) -> tuple[str | None, list[dict[str, Any]]]:
        raw = params.optional_str("caption")
        if raw is None or raw == "":
            return None, []
        plain, entities = self._format(
            raw,
            params.optional_str("parse_mode"),
            params.optional_json("caption_entities", what="caption entities"),
        )
        stored = check_caption(plain)
        return (stored or None), self._clip(entities, stored)

    @staticmethod
    def _markup(params: Params, *, inline_only: bool = False) -> dict[str, Any] | None:
        value = params.optional_json("reply_markup", what="reply keyboard markup")
        if value is None:
            return None
        return check_reply_markup(value, inline_only=inline_only)

    def _reply_to(self, params: Params, state: ChatState) -> int | None:
        reply = params.optional_json("reply_parameters", what="reply parameters")
        allow_missing = False
        target: object = params.optional_int("reply_to_message_id")
        if isinstance(reply, dict):
            target = reply.get("message_id")
            allow_missing = bool(reply.get("allow_sending_without_reply"))
            if "chat_id" in reply and self._chat_key(reply["chat_id"]) != state.chat_id:
                raise bad_request("message to be replied not found")
        elif reply is not None:
            raise bad_request("can't parse reply parameters JSON object")
        else:
            allow_missing = params.flag("allow_sending_without_reply")
        if target is None:
            return None
        if not isinstance(target, int) or isinstance(target, bool):
            raise bad_request("message to be replied not found")
        if target not in state.messages:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        return target

    def _store_bot_message(
        self,
        state: ChatState,
        params: Params,
        *,
        kind: MessageKind,
        text: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        caption: str | None = None,
        caption_entities: list[dict[str, Any]] | None = None,
        markup: dict[str, Any] | None = None,
        content: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        reply_to = self._reply_to(params, state)
        message = StoredMessage(
            message_id=state.next_message_id(),
            chat=state.chat,
            date=int(self.now()),
            sender=self.bot_user,
            kind=kind,
            from_bot=True,
            text=text,
            entities=list(entities or []),
            caption=caption,
            caption_entities=list(caption_entities or []),
            reply_markup=markup,
            content=dict(content or {}),
            reply_to_message_id=reply_to,
        )
        if markup is not None and "keyboard" in markup:
            state.reply_keyboard = markup
        elif markup is not None and "remove_keyboard" in markup:
            state.reply_keyboard = None
        state.messages[message.message_id] = message
        state.bot_messages_sent += 1
        self._changed()
        data = message.to_json()
        if reply_to is not None:
            data["reply_to_message"] = state.messages[reply_to].to_json()
        return data

    def _upload(self, params: Params, files: Files, field_name: str) -> _StoredFile:
        upload: tuple[str, bytes] | None = files.get(field_name)
        reference = params.optional_str(field_name)
        if upload is None and reference is not None and reference.startswith("attach://"):
            upload = files.get(reference.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"file {reference!r} not found in the request")
        if upload is not None:
            name, data = upload
            if not data:
                raise bad_request("file must be non-empty")
            digest = hashlib.sha256(data).hexdigest()
            stored = _StoredFile(
                f"SBX{field_name[:3].upper()}{digest[:40]}", digest[:16], name, data
            )
            self._files[stored.file_id] = stored
            return stored
        if reference is None or reference == "":
            raise bad_request(f"there is no {field_name} in the request")
        if reference in self._files:
            return self._files[reference]
        if reference.startswith(("http://", "https://")):
            digest = hashlib.sha256(reference.encode()).hexdigest()
            name = reference.rsplit("/", 1)[-1] or field_name
            stored = _StoredFile(
                f"SBX{field_name[:3].upper()}{digest[:40]}", digest[:16], name, b""
            )
            self._files[stored.file_id] = stored
            return stored
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _find_message(self, params: Params, *, missing: str) -> tuple[ChatState, StoredMessage]:
        if params.optional_str("inline_message_id") is not None:
            raise bad_request("MESSAGE_ID_INVALID")
        state = self._resolve_chat(params)
        message_id = params.optional_int("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = state.messages.get(message_id)
        if message is None:
            raise bad_request(missing)
        return state, message

    def _edited(self, message: StoredMessage) -> dict[str, Any]:
        message.edits += 1
        message.edit_date = int(self.now())
        self._changed()
        return message.to_json()

    # ---------------------------------------------------------------------------------------
    # Methods
    # ---------------------------------------------------------------------------------------

    async def _get_me(self, params: Params, files: Files) -> Any:
        return dict(self.bot_user)

    async def _close(self, params: Params, files: Files) -> Any:
        self.closed = True
        return True

    async def _log_out(self, params: Params, files: Files) -> Any:
        self.closed = True
        return True

    async def _get_updates(self, params: Params, files: Files) -> Any:
        if self.webhook is not None:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        offset = params.optional_int("offset")
        limit = params.optional_int("limit") or 100
        limit = min(max(limit, 1), 100)
        timeout = params.optional_float("timeout") or 0.0
        allowed = params.optional_json("allowed_updates", what="allowed updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed]
        self._confirm(offset)
        if not self._updates and timeout > 0:
            await self._long_poll(timeout)
            self._confirm(offset)
        return jsonable(self._updates[:limit])

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._changed()

    async def _long_poll(self, seconds: float) -> None:
        if self._poll is not None and not self._poll.future.done():
            self._poll.conflict = True
            self._poll.future.set_result(None)
        poll = _Poll(asyncio.get_running_loop().create_future())
        self._poll = poll
        self._changed()
        try:
            await asyncio.wait_for(poll.future, seconds)
        except TimeoutError:
            return
        finally:
            if self._poll is poll:
                self._poll = None
        if poll.conflict:
            raise ApiError(409, _CONFLICT_POLL)
        if self.webhook is not None:
            raise ApiError(409, _CONFLICT_WEBHOOK)

    async def _set_webhook(self, params: Params, files: Files) -> Any:
        url = params.optional_str("url") or ""
        if url == "":
            self.webhook = None
        else:
            check_webhook_url(url)
            secret = params.optional_str("secret_token")
            if secret is not None:
                check_secret_token(secret)
            max_connections = params.optional_int("max_connections") or 40
            if not 1 <= max_connections <= 100:
                raise bad_request("max_connections must be between 1 and 100")
            allowed = params.optional_json("allowed_updates", what="allowed updates")
            self.webhook = WebhookState(
                url=url,
                secret_token=secret,
                max_connections=max_connections,
                allowed_updates=[str(k) for k in allowed] if isinstance(allowed, list) else None,
            )
            if self._poll is not None and not self._poll.future.done():
                self._poll.future.set_result(None)
        if params.flag("drop_pending_updates"):
            self._updates.clear()
        self._changed()
        return True

    async def _delete_webhook(self, params: Params, files: Files) -> Any:
        self.webhook = None
        if params.flag("drop_pending_updates"):
            self._updates.clear()
        self._changed()
        return True

    async def _get_webhook_info(self, params: Params, files: Files) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook is not None:
            info["max_connections"] = self.webhook.max_connections
            info["ip_address"] = "127.0.0.1"
            if self.webhook.allowed_updates is not None:
                info["allowed_updates"] = list(self.webhook.allowed_updates)
            if self.webhook.last_error_date is not None:
                info["last_error_date"] = self.webhook.last_error_date
                info["last_error_message"] = self.webhook.last_error_message
        return info

    def _commands_key(self, params: Params) -> tuple[str, str]:
        scope = params.optional_json("scope", what="bot command scope")
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")
        language = check_bot_language_code(params.optional_str("language_code"))
        return json.dumps(scope, sort_keys=True), language

    async def _set_my_commands(self, params: Params, files: Files) -> Any:
        raw = params.optional_json("commands", what="commands")
        if raw is None:
            raise bad_request('parameter "commands" is required')
        commands = check_commands(raw)
        key = self._commands_key(params)
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return True

    async def _get_my_commands(self, params: Params, files: Files) -> Any:
        return [dict(command) for command in self.commands.get(self._commands_key(params), [])]

    async def _delete_my_commands(self, params: Params, files: Files) -> Any:
        self.commands.pop(self._commands_key(params), None)
        return True

    @staticmethod
    def _set_text(store: dict[str, str], params: Params, key: str, *, short: bool) -> bool:
        # The text is read (and type-checked) first, then the language, as TDLib does.
        text = params.optional_str(key) or ""
        language = check_bot_language_code(params.optional_str("language_code"))
        if text:
            store[language] = check_bot_description(text, short=short)
        else:
            store.pop(language, None)  # an empty or missing text removes that language's own
        return True

    @staticmethod
    def _get_text(store: dict[str, str], params: Params) -> str:
        language = check_bot_language_code(params.optional_str("language_code"))
        return store.get(language, store.get("", ""))

    async def _set_my_description(self, params: Params, files: Files) -> Any:
        return self._set_text(self.descriptions, params, "description", short=False)

    async def _get_my_description(self, params: Params, files: Files) -> Any:
        return {"description": self._get_text(self.descriptions, params)}

    async def _set_my_short_description(self, params: Params, files: Files) -> Any:
        return self._set_text(self.short_descriptions, params, "short_description", short=True)

    async def _get_my_short_description(self, params: Params, files: Files) -> Any:
        return {"short_description": self._get_text(self.short_descriptions, params)}

    async def _set_chat_menu_button(self, params: Params, files: Files) -> Any:
        button = params.optional_json("menu_button", what="menu button")
        if button is None:
            button = {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in {
            "commands",
            "web_app",
            "default",
        }:
            raise bad_request("can't parse MenuButton JSON object")
        if button["type"] == "web_app":
            web_app = button.get("web_app")
            if not isinstance(button.get("text"), str) or not isinstance(web_app, dict):
                raise bad_request("can't parse MenuButton JSON object")
            if not str(web_app.get("url", "")).startswith("https://"):
                raise bad_request("BUTTON_URL_INVALID")
        if params.chat_id(required=False) is None:
            self.default_menu_button = dict(button)
        else:
            state = self._resolve_chat(params)
            if state.chat["type"] != "private":
                raise bad_request("menu button can be set only in private chats")
            state.menu_button = dict(button)
        return True

    async def _get_chat_menu_button(self, params: Params, files: Files) -> Any:
        if params.chat_id(required=False) is None:
            return dict(self.default_menu_button)
        state = self._resolve_chat(params)
        return dict(state.menu_button or self.default_menu_button)

    async def _send_message(self, params: Params, files: Files) -> Any:
        state = self._sendable_chat(params)
        text, entities = self._message_text(params)
        markup = self._markup(params)
        return self._store_bot_message(
            state, params, kind="text", text=text, entities=entities, markup=markup
        )

    async def _send_photo(self, params: Params, files: Files) -> Any:
        state = self._sendable_chat(params)
        stored = self._upload(params, files, "photo")
        caption, entities = self._caption(params)
        markup = self._markup(params)
        sizes = [
            {
                "file_id": f"{stored.file_id}-{width}",
                "file_unique_id": f"{stored.file_unique_id}{width}",
                "width": width,
                "height": width * 3 // 4,
                "file_size": max(1, len(stored.data) * width // 1280),
            }
            for width in (90, 320, 1280)
        ]
        for size in sizes:
            self._files[str(size["file_id"])] = stored
        return self._store_bot_message(
            state,
            params,
            kind="photo",
            caption=caption,
            caption_entities=entities,
            markup=markup,
            content={"photo": sizes},
        )

    async def _send_document(self, params: Params, files: Files) -> Any:
        state = self._sendable_chat(params)
        stored = self._upload(params, files, "document")
        caption, entities = self._caption(params)
        markup = self._markup(params)
        mime = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.name,
            "mime_type": mime,
            "file_size": len(stored.data),
        }
        return self._store_bot_message(
            state,
            params,
            kind="document",
            caption=caption,
            caption_entities=entities,
            markup=markup,
            content={"document": document},
        )

    async def _send_location(self, params: Params, files: Files) -> Any:
        state = self._sendable_chat(params)
        latitude = params.require_float("latitude")
        longitude = params.require_float("longitude")
        check_coordinates(latitude, longitude)
        markup = self._markup(params)
        return self._store_bot_message(
            state,
            params,
            kind="location",
            markup=markup,
            content={"location": {"latitude": latitude, "longitude": longitude}},
        )

    async def _send_chat_action(self, params: Params, files: Files) -> Any:
        state = self._sendable_chat(params)
        action = check_chat_action(params.optional_str("action"))
        state.actions.append(action)
        self._changed()
        return True

    async def _edit_message_text(self, params: Params, files: Files) -> Any:
        _, message = self._find_message(params, missing="message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._message_text(params)
        markup = self._markup(params, inline_only=True)
        if (text, entities, markup) == (message.text, message.entities, _inline(message)):
            raise bad_request(_NOT_MODIFIED)
        message.text, message.entities = text, entities
        _replace_inline(message, markup)
        return self._edited(message)

    async def _edit_message_caption(self, params: Params, files: Files) -> Any:
        _, message = self._find_message(params, missing="message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        if message.kind not in {"photo", "document"}:
            raise bad_request("there is no caption in the message to edit")
        caption, entities = self._caption(params)
        markup = self._markup(params, inline_only=True)
        current = (message.caption, message.caption_entities, _inline(message))
        if (caption, entities, markup) == current:
            raise bad_request(_NOT_MODIFIED)
        message.caption, message.caption_entities = caption, entities
        _replace_inline(message, markup)
        return self._edited(message)

    async def _edit_message_reply_markup(self, params: Params, files: Files) -> Any:
        _, message = self._find_message(params, missing="message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        markup = self._markup(params, inline_only=True)
        if markup == _inline(message):
            raise bad_request(_NOT_MODIFIED)
        _replace_inline(message, markup)
        return self._edited(message)

    async def _delete_message(self, params: Params, files: Files) -> Any:
        state, message = self._find_message(params, missing="message to delete not found")
        if self.now() - message.date > DELETE_WINDOW:
            raise bad_request("message can't be deleted for everyone")
        del state.messages[message.message_id]
        self._changed()
        return True

    async def _answer_callback_query(self, params: Params, files: Files) -> Any:
        query_id = params.require_str("callback_query_id")
        text = params.optional_str("text")
        check_callback_answer_text(text)
        pending = self._callback_queries.get(query_id)
        if (
            pending is None
            or pending.answered
            or self.now() - pending.created_at > CALLBACK_QUERY_TTL
        ):
            raise bad_request(_QUERY_TOO_OLD)
        pending.answered = True
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
        pending = self._inline_queries.get(query_id)
        if (
            pending is None
            or pending.answered
            or self.now() - pending.created_at > CALLBACK_QUERY_TTL
        ):
            raise bad_request(_QUERY_TOO_OLD)
        pending.answered = True
        pending.result_ids = tuple(str(r["id"]) for r in results)
        self.inline_answers.append(
            {"inline_query_id": query_id, "user_id": pending.user_id, "results": results}
        )
        self._changed()
        return True
