"""Simulated Telegram users, groups and channels that talk to the bot through the fake.

Every action creates real Bot API ``Update`` JSON, queues it (for ``getUpdates`` or webhook
push) and returns it, so a flow test can also feed it straight to
``Application.process_update(Update.de_json(data, bot))``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bot.sandbox.models import ChatState, StoredMessage
from bot.sandbox.validation import utf16_len

if TYPE_CHECKING:
    from bot.sandbox.fake_api import FakeTelegram

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?")


def command_entities(text: str) -> list[dict[str, Any]]:
    """The ``bot_command`` entity Telegram adds when ``text`` starts with a command.

    Offsets and lengths are in UTF-16 code units, as in every Bot API entity.
    """
    match = _COMMAND_RE.match(text)
    if match is None:
        return []
    end = match.end()
    if end < len(text) and not text[end].isspace():
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}]


def _file(kind: str, seed: str) -> dict[str, Any]:
    digest = hashlib.sha256(f"{kind}:{seed}".encode()).hexdigest()
    return {"file_id": f"USR{kind[:3].upper()}{digest[:40]}", "file_unique_id": digest[:16]}


class SimulatedUser:
    """A person in a private chat with the bot (``chat.id == user.id``)."""

    def __init__(self, fake: FakeTelegram, data: dict[str, Any]) -> None:
        self.fake = fake
        self.data = data
        self._mark = 0
        self._mark_sent = 0
        self._seq = 0

    # -- identity ----------------------------------------------------------------------------

    @property
    def id(self) -> int:
        """The user's Telegram id (also their private chat id)."""
        return int(self.data["id"])

    @property
    def first_name(self) -> str:
        """The user's first name."""
        return str(self.data["first_name"])

    def __repr__(self) -> str:
        return f"SimulatedUser(id={self.id}, first_name={self.first_name!r})"

    @property
    def chat_state(self) -> ChatState | None:
        """The private chat, once the user has written to the bot."""
        return self.fake.chats.get(self.id)

    # -- reading what the bot did ------------------------------------------------------------

    @property
    def messages(self) -> list[StoredMessage]:
        """The bot's messages in this chat: current state after edits, deleted ones removed."""
        return self.fake.bot_messages(self.id)

    @property
    def last_message(self) -> StoredMessage:
        """The bot's latest message still in the chat.

        Raises:
            LookupError: the bot has not written (or deleted everything).
        """
        messages = self.messages
        if not messages:
            raise LookupError(f"the bot has no messages in the chat with {self.first_name}")
        return messages[-1]

    @property
    def callback_answers(self) -> list[dict[str, Any]]:
        """``answerCallbackQuery`` calls for this user's button presses, oldest first."""
        return [a for a in self.fake.callback_answers if a["user_id"] == self.id]

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """The reply keyboard currently shown to the user, if any."""
        state = self.chat_state
        if state is None or state.reply_keyboard is None:
            return None
        return [
            [b if isinstance(b, str) else str(b["text"]) for b in row]
            for row in state.reply_keyboard["keyboard"]
        ]

    @property
    def blocked(self) -> bool:
        """Whether the user has blocked the bot."""
        state = self.chat_state
        return state is not None and state.blocked

    async def wait_for_messages(
        self,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented end-to-end API
    ) -> list[StoredMessage]:
        """Wait until the bot has sent ``count`` messages since this user's last action.

        Event-driven: wakes on every change in the fake, never polls.

        Returns:
            The bot's messages sent since the last action, in their current state.

        Raises:
            TimeoutError: with what did arrive, when ``timeout`` passes first.
        """

        def arrived() -> bool:
            state = self.chat_state
            return state is not None and state.bot_messages_sent - self._mark_sent >= count

        try:
            await self.fake.wait_until(arrived, timeout)
        except TimeoutError:
            got = [m.shown_text for m in self._since_mark()]
            raise TimeoutError(
                f"{self.first_name} expected {count} bot message(s) within {timeout}s, "
                f"got {len(got)}: {got!r}"
            ) from None
        return self._since_mark()

    def _since_mark(self) -> list[StoredMessage]:
        return [m for m in self.messages if m.message_id > self._mark]

    def _set_mark(self) -> None:
        state = self.chat_state
        if state is not None:
            self._mark = state.last_message_id
            self._mark_sent = state.bot_messages_sent

    # -- acting ------------------------------------------------------------------------------

    def _post(
        self,
        kind: Any,
        *,
        text: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        caption: str | None = None,
        content: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        state = self.fake.private_chat(self.data)
        _, update = self.fake.post_user_message(
            state,
            self.data,
            kind=kind,
            text=text,
            entities=entities,
            caption=caption,
            content=content,
        )
        self._set_mark()
        assert update is not None
        return update

    async def send_text(self, text: str) -> dict[str, Any]:
        """Write ``text``; a leading ``/command`` gets its ``bot_command`` entity."""
        if not text:
            raise ValueError("Telegram clients cannot send an empty message")
        return self._post("text", text=text, entities=command_entities(text))

    async def send_command(self, command: str, args: str = "") -> dict[str, Any]:
        """Send ``/command args`` with a proper ``bot_command`` entity."""
        name = command if command.startswith("/") else f"/{command}"
        text = f"{name} {args}" if args else name
        entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(name)}]
        return self._post("text", text=text, entities=entities)

    async def tap(self, button_text: str) -> dict[str, Any]:
        """Tap a button of the reply keyboard currently shown (sends its text).

        Raises:
            LookupError: no reply keyboard is shown, or it has no such button.
        """
        keyboard = self.reply_keyboard
        if keyboard is None or all(button_text not in row for row in keyboard):
            raise LookupError(
                f"{self.first_name} sees no reply keyboard button {button_text!r}; "
                f"keyboard: {keyboard!r}"
            )
        self._hide_one_time_keyboard()
        return await self.send_text(button_text)

    def request_users_button(self, button_text: str | None = None) -> dict[str, Any] | None:
        """The shown reply keyboard's ``request_users`` button (labelled ``button_text``).

        Returns:
            The button's JSON, or ``None`` when no such button is shown.
        """
        state = self.chat_state
        keyboard = (state.reply_keyboard if state is not None else None) or {}
        for row in keyboard.get("keyboard", []):
            for button in row:
                if (
                    isinstance(button, dict)
                    and "request_users" in button
                    and button_text in (None, button.get("text"))
                ):
                    return dict(button)
        return None

    async def share_users(
        self, button_text: str, users: Sequence[SimulatedUser | Mapping[str, Any]]
    ) -> dict[str, Any]:
        """Answer the reply keyboard's ``request_users`` button by picking ``users``.

        Like a Telegram client: only a button shown right now can be answered, the people must
        fit its ``user_is_bot`` / ``user_is_premium`` filters and its ``max_quantity``, and each
        ``SharedUser`` carries what the button asked for (names with ``request_name``, the
        username with ``request_username``, a profile photo with ``request_photo``).

        Args:
            button_text: The label of the button.
            users: Other simulated people, or Bot API ``User`` JSON (``id``, ``first_name``,
                optionally ``last_name``, ``username``, ``is_bot``, ``is_premium``).

        Returns:
            The update of the ``users_shared`` service message.

        Raises:
            LookupError: No shown reply keyboard has a ``request_users`` button so labelled.
            ValueError: The choice breaks the button's rules.
        """
        button = self.request_users_button(button_text)
        if button is None:
            raise LookupError(
                f"{self.first_name} sees no request_users button {button_text!r}; "
                f"keyboard: {self.reply_keyboard!r}"
            )
        request: dict[str, Any] = button["request_users"]
        limit = int(request.get("max_quantity", 1))
        if not 1 <= len(users) <= limit:
            raise ValueError(f"{button_text!r} takes 1 to {limit} people, not {len(users)}")
        shared = [self._shared_user(request, person) for person in users]
        self._hide_one_time_keyboard()
        return self._post(
            "service",
            content={"users_shared": {"request_id": request["request_id"], "users": shared}},
        )

    def _shared_user(
        self, request: Mapping[str, Any], person: SimulatedUser | Mapping[str, Any]
    ) -> dict[str, Any]:
        data = person.data if isinstance(person, SimulatedUser) else person
        for flag, key in (("user_is_bot", "is_bot"), ("user_is_premium", "is_premium")):
            wanted = request.get(flag)
            if wanted is not None and bool(data.get(key, False)) != wanted:
                raise ValueError(f"{data['first_name']} does not fit {flag}={wanted}")
        shared: dict[str, Any] = {"user_id": int(data["id"])}
        if request.get("request_name"):
            shared["first_name"] = data["first_name"]
            if data.get("last_name"):
                shared["last_name"] = data["last_name"]
        if request.get("request_username") and data.get("username"):
            shared["username"] = data["username"]
        if request.get("request_photo"):
            shared["photo"] = [
                {**_file("photo", f"profile:{data['id']}:{side}"), "width": side, "height": side}
                for side in (160, 640)
            ]
        return shared

    async def share_users_data(
        self, request_id: int, users: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        """Post a ``users_shared`` service message with exactly ``users`` (forged or stale).

        Nothing is checked: the request id need not belong to any button and the ``SharedUser``
        objects may lack what a button asked for, so a test can see how the bot copes.
        """
        content = {"users_shared": {"request_id": request_id, "users": [dict(u) for u in users]}}
        return self._post("service", content=content)

    def _hide_one_time_keyboard(self) -> None:
        # Pressing any button of a one-time keyboard hides it, as Telegram clients do.
        state = self.chat_state
        keyboard = state.reply_keyboard if state is not None else None
        if state is not None and keyboard is not None and keyboard.get("one_time_keyboard"):
            state.reply_keyboard = None

    async def react(
        self, emoji: str | Sequence[str] | None, *, message_id: int | None = None
    ) -> dict[str, Any]:
        """Set this person's reaction on a message: one emoji, several (Premium), or none.

        Args:
            emoji: The reaction, a list of them, or ``None`` (or ``[]``) to take it back.
            message_id: The message; by default the bot's latest one in this chat.

        Returns:
            The ``message_reaction`` update (queued only if the bot's ``allowed_updates`` ask
            for ``message_reaction``).

        Raises:
            LookupError: The bot has no message here, or there is no message ``message_id``.
            ValueError: A reaction no Telegram client would send, or one that changes nothing.
        """
        target = self.last_message.message_id if message_id is None else message_id
        chosen = [] if emoji is None else [emoji] if isinstance(emoji, str) else list(emoji)
        update = self.fake.set_user_reaction(self.data, self.id, target, chosen)
        self._set_mark()
        return update

    async def share_location(self, latitude: float, longitude: float) -> dict[str, Any]:
        """Share a location."""
        return self._post(
            "location", content={"location": {"latitude": latitude, "longitude": longitude}}
        )

    async def send_sticker(self, emoji: str = "🙂") -> dict[str, Any]:
        """Send a regular sticker."""
        self._seq += 1
        sticker = {
            **_file("sticker", f"{self.id}:{self._seq}"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._post("sticker", content={"sticker": sticker})

    async def send_photo(self, caption: str | None = None) -> dict[str, Any]:
        """Send a photo (three sizes, like Telegram clients upload)."""
        self._seq += 1
        seed = f"{self.id}:{self._seq}"
        sizes = [
            {
                **_file("photo", f"{seed}:{w}"),
                "width": w,
                "height": w * 3 // 4,
                "file_size": w * 40,
            }
            for w in (90, 320, 1280)
        ]
        return self._post("photo", caption=caption, content={"photo": sizes})

    async def send_voice(self, duration: int = 3) -> dict[str, Any]:
        """Send a voice note."""
        self._seq += 1
        voice = {
            **_file("voice", f"{self.id}:{self._seq}"),
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": duration * 4000,
        }
        return self._post("voice", content={"voice": voice})

    async def send_document(
        self, file_name: str = "notes.txt", mime_type: str = "text/plain"
    ) -> dict[str, Any]:
        """Send a document."""
        self._seq += 1
        document = {
            **_file("document", f"{self.id}:{self._seq}"),
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": 1024,
        }
        return self._post("document", content={"document": document})

    async def press(self, button_text: str, *, message_id: int | None = None) -> dict[str, Any]:
        """Press the inline button labelled ``button_text``.

        Looks on the latest bot message that has such a button, or on ``message_id``.

        Raises:
            LookupError: no such button (the error lists the buttons that are there).
            ValueError: the button is not a callback button (a URL button, say).
        """
        candidates = self.messages
        if message_id is not None:
            candidates = [m for m in candidates if m.message_id == message_id]
            if not candidates:
                raise LookupError(f"no bot message {message_id} in {self.first_name}'s chat")
        for message in reversed(candidates):
            button = message.find_inline_button(button_text)
            if button is None:
                continue
            data = button.get("callback_data")
            if not isinstance(data, str):
                raise ValueError(f"button {button_text!r} is not a callback button: {button}")
            update = self.fake.create_callback_query(self.data, message, self.id, data)
            self._set_mark()
            return update
        shown = {m.message_id: m.buttons for m in candidates if m.buttons}
        raise LookupError(
            f"{self.first_name} sees no inline button {button_text!r}; buttons by message: "
            f"{shown!r}"
        )

    async def press_data(self, message_id: int, data: str) -> dict[str, Any]:
        """Send a callback query with arbitrary ``data`` from ``message_id`` (forged or stale).

        A message that no longer exists is sent as Telegram's inaccessible message (date 0).
        """
        state = self.chat_state
        if state is None:
            raise LookupError(f"{self.first_name} has no chat with the bot yet")
        message = state.messages.get(message_id)
        update = self.fake.create_callback_query(
            self.data, message, self.id, data, message_id=message_id
        )
        self._set_mark()
        return update

    async def inline_query(self, query: str) -> dict[str, Any]:
        """Type ``@bot query`` in any chat: an ``inline_query`` update."""
        return self.fake.create_inline_query(self.data, query)

    async def choose_inline_result(self, result_id: str) -> dict[str, Any]:
        """Tap one result of the latest answered inline query: a ``chosen_inline_result``."""
        return self.fake.choose_inline_result(self.data, result_id)

    def block(self) -> None:
        """Block the bot: sending to this chat answers 403 from now on."""
        state = self.fake.private_chat(self.data)
        state.blocked = True

    def unblock(self) -> None:
        """Unblock the bot."""
        state = self.fake.private_chat(self.data)
        state.blocked = False


class SimulatedGroup:
    """A group chat the bot belongs to, with privacy mode on.

    Like a default bot, it receives only commands, mentions of it and replies to its messages;
    other messages are stored in the chat but produce no update.
    """

    def __init__(self, fake: FakeTelegram, chat_id: int) -> None:
        self.fake = fake
        self.id = chat_id

    @property
    def state(self) -> ChatState:
        """The group's chat state."""
        return self.fake.chats[self.id]

    @property
    def messages(self) -> list[StoredMessage]:
        """The bot's messages in the group."""
        return self.fake.bot_messages(self.id)

    async def send_text(
        self, user: SimulatedUser, text: str, *, reply_to: int | None = None
    ) -> dict[str, Any] | None:
        """``user`` writes ``text`` in the group; ``None`` when privacy mode hides it."""
        entities = command_entities(text)
        username = str(self.fake.bot_user["username"])
        mention = f"@{username}".lower()
        content: dict[str, Any] = {}
        replied_to_bot = False
        if reply_to is not None and reply_to in self.state.messages:
            replied = self.state.messages[reply_to]
            content["reply_to_message"] = replied.to_json()
            replied_to_bot = replied.from_bot
        if mention in text.lower():
            start = text.lower().index(mention)
            entities.append(
                {"type": "mention", "offset": utf16_len(text[:start]), "length": len(mention)}
            )
        visible = bool(entities) or replied_to_bot
        _, update = self.fake.post_user_message(
            self.state,
            user.data,
            kind="text",
            text=text,
            entities=entities,
            content=content,
            deliver=visible,
        )
        return update

    async def send_command(
        self, user: SimulatedUser, command: str, args: str = "", *, mention: bool = True
    ) -> dict[str, Any] | None:
        """``user`` sends ``/command@bot args`` (``mention=False`` drops ``@bot``)."""
        name = command if command.startswith("/") else f"/{command}"
        if mention:
            name = f"{name}@{self.fake.bot_user['username']}"
        return await self.send_text(user, f"{name} {args}" if args else name)


class SimulatedChannel:
    """A channel in which the bot is an administrator."""

    def __init__(self, fake: FakeTelegram, chat_id: int) -> None:
        self.fake = fake
        self.id = chat_id

    @property
    def messages(self) -> list[StoredMessage]:
        """The bot's posts in the channel."""
        return self.fake.bot_messages(self.id)

    async def post(self, text: str) -> dict[str, Any]:
        """Publish ``text`` in the channel: a ``channel_post`` update (no ``from``)."""
        state = self.fake.chats[self.id]
        _, update = self.fake.post_user_message(
            state,
            None,
            kind="text",
            text=text,
            entities=command_entities(text),
            content={"sender_chat": dict(state.chat)},
            update_type="channel_post",
        )
        assert update is not None
        return update
