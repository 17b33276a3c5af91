"""The sandbox Telegram Bot API: ``FakeTelegram``, the one object tests and transports use.

``FakeTelegram.call`` is the single entry point of both transports (``FakeRequest`` in-process
and ``FakeTelegramServer`` over loopback HTTP): it checks the token, applies the faults of
``faults.py``, runs the method and records the call. The methods themselves live with their
concern, each a small object with its own state:

- ``updates.UpdateQueue``: the update queue, ``getUpdates`` long polling, webhooks;
- ``chats.Chats``: chats, simulated people, and the messages people write;
- ``messages.Messages``: the bot's sends, edits and deletions (texts in ``text.py``, HTML only;
  uploads in ``files.py``);
- ``queries.Queries``: callback and inline queries and their answers;
- ``reactions.Reactions``: the bot's ``setMessageReaction`` and people's reactions;
- ``profile.BotProfile``: ``getMe``, command menus and descriptions.

Composition rather than mixins: each helper gets what it needs in its constructor (the clock,
the change callback, the queue, the chats), so mypy --strict checks every module on its own,
with no attribute a mixin uses but another one defines. ``FakeTelegram`` keeps the public API
it had as one class by delegating to the helpers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.sandbox.chats import Chats
from bot.sandbox.errors import ApiError, ServiceDown
from bot.sandbox.faults import PAID_BROADCAST_METHODS, FaultInjector
from bot.sandbox.files import StoredFile
from bot.sandbox.messages import Messages
from bot.sandbox.models import ChatState, MessageKind, RecordedCall, StoredMessage
from bot.sandbox.params import Files, Handler, Params, decode_params
from bot.sandbox.profile import BotProfile
from bot.sandbox.queries import Queries
from bot.sandbox.reactions import Reactions
from bot.sandbox.updates import UpdateQueue, WebhookState
from bot.sandbox.users import SimulatedChannel, SimulatedGroup, SimulatedUser


@dataclass
class _Waiter:
    predicate: Callable[[], bool]
    future: asyncio.Future[None]


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
        self.faults = FaultInjector(self.now)
        self.calls: list[RecordedCall] = []
        self._waiters: list[_Waiter] = []
        # The helpers read the time through self.now, so replacing self.clock reaches them.
        self._profile = BotProfile(token, username=username, first_name=first_name)
        self._updates = UpdateQueue(self.now, self._changed)
        self._chats = Chats(self.now, self._changed, self._updates)
        self._messages = Messages(self._chats, self.bot_user, self.now, self._changed)
        self._queries = Queries(
            self._chats.chats, int(self.bot_user["id"]), self._updates, self.now, self._changed
        )
        self._reactions = Reactions(self._chats, self._updates, self.now, self._changed)
        self._handlers: dict[str, Handler] = {
            **self._profile.methods(),
            **self._updates.methods(),
            **self._messages.methods(),
            **self._queries.methods(),
            **self._reactions.methods(),
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
        chat_key = self._chats.key(decoded.get("chat_id"))
        outcome: ApiError | dict[str, Any]
        paid = False
        try:
            if key in PAID_BROADCAST_METHODS:
                # Read before flood control: the flag decides which limit the send counts in,
                # and a malformed one is refused without counting anywhere.
                paid = Params(decoded).flag("allow_paid_broadcast")
            is_group = self._chats.is_group(chat_key)
            self.faults.check_before(key, chat_key, is_group=is_group, paid=paid)
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

    # ---------------------------------------------------------------------------------------
    # Waiting for a change of state (tests and the terminal sandbox never sleep)
    # ---------------------------------------------------------------------------------------

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
    # Reading state (for tests and the terminal sandbox)
    # ---------------------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[RecordedCall]:
        """Recorded calls of one method (case-insensitive), oldest first."""
        key = method.lower()
        return [call for call in self.calls if call.method.lower() == key]

    @property
    def bot_user(self) -> dict[str, Any]:
        """The bot's ``User`` JSON, as ``getMe`` answers it."""
        return self._profile.bot_user

    @property
    def chats(self) -> dict[int, ChatState]:
        """Every chat the sandbox knows, by id."""
        return self._chats.chats

    @property
    def users(self) -> dict[int, SimulatedUser]:
        """The simulated people, by user id."""
        return self._chats.users

    def chat(self, chat_id: int) -> ChatState | None:
        """The state of a known chat, or ``None``."""
        return self._chats.chats.get(chat_id)

    def bot_messages(self, chat_id: int) -> list[StoredMessage]:
        """The bot's messages in a chat, current state, deleted ones removed, oldest first."""
        return self._chats.bot_messages(chat_id)

    @property
    def _files(self) -> dict[str, StoredFile]:
        # Read by tests/flows/looking_back.py to see the bytes of a chart the bot sent.
        return self._messages.files.by_id

    @property
    def callback_answers(self) -> list[dict[str, Any]]:
        """``answerCallbackQuery`` calls, oldest first."""
        return self._queries.callback_answers

    @property
    def inline_answers(self) -> list[dict[str, Any]]:
        """``answerInlineQuery`` calls, oldest first."""
        return self._queries.inline_answers

    @property
    def commands(self) -> dict[tuple[str, str], list[dict[str, str]]]:
        """Command lists set with ``setMyCommands``, by (JSON of the scope, language code)."""
        return self._profile.commands

    @property
    def descriptions(self) -> dict[str, str]:
        """``setMyDescription`` texts by language (``""``: the default)."""
        return self._profile.descriptions

    @property
    def short_descriptions(self) -> dict[str, str]:
        """``setMyShortDescription`` texts by language (``""``: the default)."""
        return self._profile.short_descriptions

    def menu(self, language_code: str = "") -> list[dict[str, str]]:
        """The default-scope command menu a person with ``language_code`` sees.

        As Telegram's clients choose it: the list set for that language, else the one set
        without a language. (``getMyCommands`` itself answers only the exact list.)
        """
        return self._profile.menu(language_code)

    def description_for(self, language_code: str = "") -> str:
        """The description a person with ``language_code`` sees (``getMyDescription``)."""
        return self._profile.description_for(language_code)

    def short_description_for(self, language_code: str = "") -> str:
        """The short description a person with ``language_code`` sees."""
        return self._profile.short_description_for(language_code)

    @property
    def webhook(self) -> WebhookState | None:
        """The webhook set with ``setWebhook``, or ``None`` while the bot polls."""
        return self._updates.webhook

    @property
    def long_polling(self) -> bool:
        """Whether a ``getUpdates`` call is waiting for updates right now."""
        return self._updates.long_polling

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by ``getUpdates`` or delivered by webhook."""
        return self._updates.pending

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
        """Create a simulated Telegram user; their private chat exists once they write.

        Raises:
            ValueError: ``user_id`` is taken.
        """
        data = self._chats.new_user_data(
            first_name,
            language_code,
            user_id,
            last_name=last_name,
            username=username,
            is_premium=is_premium,
        )
        user = SimulatedUser(self, data)
        self._chats.users[user.id] = user
        return user

    def add_group(self, title: str, *, username: str | None = None) -> SimulatedGroup:
        """Create a group the bot is a member of (privacy mode on, like a default bot)."""
        return SimulatedGroup(self, self._chats.add_group(title, username=username))

    def add_channel(self, title: str, *, username: str | None = None) -> SimulatedChannel:
        """Create a channel where the bot is an administrator."""
        return SimulatedChannel(self, self._chats.add_channel(title, username=username))

    def private_chat(self, user: Mapping[str, Any]) -> ChatState:
        """The private chat with ``user``, created (and so known to the bot) on first use."""
        return self._chats.private_chat(user)

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
        return self._chats.post_user_message(
            state,
            sender,
            kind=kind,
            text=text,
            entities=entities,
            caption=caption,
            content=content,
            deliver=deliver,
            update_type=update_type,
        )

    def enqueue_update(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Give ``payload`` (e.g. ``{"message": {...}}``) an update_id and queue it.

        The update is returned even when ``allowed_updates`` filters it out of the queue.
        """
        return self._updates.enqueue(payload)

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
        return self._queries.create_callback_query(
            user, message, chat_id, data, message_id=message_id
        )

    def create_inline_query(self, user: Mapping[str, Any], query: str) -> dict[str, Any]:
        """Queue an ``inline_query`` update from ``user``."""
        return self._queries.create_inline_query(user, query)

    def choose_inline_result(self, user: Mapping[str, Any], result_id: str) -> dict[str, Any]:
        """The person taps result ``result_id`` of their latest answered inline query.

        Raises:
            ValueError: No answered query of this person offered ``result_id``.
        """
        return self._queries.choose_inline_result(user, result_id)

    def set_user_reaction(
        self,
        user: Mapping[str, Any],
        chat_id: int,
        message_id: int,
        emoji: Sequence[str],
    ) -> dict[str, Any]:
        """``user`` changes their reactions on a message to ``emoji``: a ``message_reaction``.

        The update is returned even when ``allowed_updates`` (by default) keeps it from the bot.

        Raises:
            LookupError: No such chat or message.
            ValueError: A reaction a Telegram client would not let the person choose, or no
                change at all.
        """
        return self._reactions.user_reacts(user, chat_id, message_id, emoji)

    def interrupt_long_polls(self) -> None:
        """End a waiting ``getUpdates`` now (it answers with what is queued, maybe nothing)."""
        self._updates.interrupt_long_poll()

    # ---------------------------------------------------------------------------------------
    # Webhook delivery hooks (used by bot.sandbox.webhook)
    # ---------------------------------------------------------------------------------------

    def webhook_delivered(self, update_id: int) -> None:
        """The webhook receiver accepted ``update_id``: drop it from the queue."""
        self._updates.delivered(update_id)

    def webhook_failed(self, message: str) -> None:
        """Record a failed webhook delivery for ``getWebhookInfo``."""
        self._updates.failed(message)
