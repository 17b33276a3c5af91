"""State the sandbox keeps: chats, messages and the record of calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.sandbox.validation import rows_of_texts

MessageKind = Literal[
    "text", "photo", "document", "location", "sticker", "voice", "service", "other"
]


@dataclass
class RecordedCall:
    """One Bot API call as the fake saw it.

    ``status`` is the HTTP status answered; ``0`` means no answer (a hung request or an outage).
    ``files`` maps multipart field names to file names.
    """

    method: str
    params: dict[str, object]
    status: int
    at: float
    response: dict[str, Any] | None = None
    files: dict[str, str] = field(default_factory=dict)


@dataclass
class StoredMessage:
    """A message in a chat, in its current state (after edits)."""

    message_id: int
    chat: dict[str, Any]
    date: int
    sender: dict[str, Any] | None
    kind: MessageKind
    from_bot: bool
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    content: dict[str, Any] = field(default_factory=dict)
    edit_date: int | None = None
    edits: int = 0
    reply_to_message_id: int | None = None
    bot_reaction: list[dict[str, Any]] = field(default_factory=list)
    """The bot's reactions (``setMessageReaction``) as ReactionType JSON; empty when none."""
    bot_reaction_is_big: bool = False
    user_reactions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    """People's reactions by user id, as ReactionType JSON (Telegram does not put reactions
    into ``Message``; bots learn of them from ``message_reaction`` updates)."""

    @property
    def chat_id(self) -> int:
        """The id of the chat the message is in."""
        return int(self.chat["id"])

    @property
    def buttons(self) -> list[list[str]]:
        """Inline keyboard button texts, row by row (empty when there is no inline keyboard)."""
        return rows_of_texts(self.reply_markup, "inline_keyboard")

    @property
    def button_data(self) -> list[list[str | None]]:
        """Inline keyboard ``callback_data`` values, row by row (``None`` for other buttons)."""
        if self.reply_markup is None or "inline_keyboard" not in self.reply_markup:
            return []
        return [
            [button.get("callback_data") for button in row]
            for row in self.reply_markup["inline_keyboard"]
        ]

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """Reply keyboard button texts if this message carries a ``ReplyKeyboardMarkup``."""
        if self.reply_markup is None or "keyboard" not in self.reply_markup:
            return None
        return rows_of_texts(self.reply_markup, "keyboard")

    @property
    def bot_reaction_emoji(self) -> list[str]:
        """The emoji of the bot's reactions on this message (empty when it has none)."""
        return [str(r["emoji"]) for r in self.bot_reaction if r.get("type") == "emoji"]

    @property
    def shown_text(self) -> str:
        """The text, or the caption for media, or ``""``."""
        return self.text if self.text is not None else (self.caption or "")

    def find_inline_button(self, text: str) -> dict[str, Any] | None:
        """The first inline button whose label is exactly ``text``."""
        if self.reply_markup is None:
            return None
        for row in self.reply_markup.get("inline_keyboard", []):
            for button in row:
                if button.get("text") == text:
                    return dict(button)
        return None

    def to_json(self) -> dict[str, Any]:
        """Bot API ``Message`` JSON."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": dict(self.chat),
        }
        if self.sender is not None:
            data["from"] = dict(self.sender)
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = [dict(entity) for entity in self.entities]
        if self.caption is not None:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = [dict(entity) for entity in self.caption_entities]
        data.update(self.content)
        if self.reply_markup is not None and "inline_keyboard" in self.reply_markup:
            # Telegram echoes only inline keyboards back in Message.reply_markup.
            data["reply_markup"] = self.reply_markup
        return data


@dataclass
class ChatState:
    """A chat the bot knows, with its messages keyed by id."""

    chat: dict[str, Any]
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    last_message_id: int = 0
    bot_messages_sent: int = 0
    bot_reactions_set: int = 0
    blocked: bool = False
    started: bool = False
    reply_keyboard: dict[str, Any] | None = None

    @property
    def chat_id(self) -> int:
        """The chat's id."""
        return int(self.chat["id"])

    def next_message_id(self) -> int:
        """Allocate the next message id (ids grow per chat, shared by both sides)."""
        self.last_message_id += 1
        return self.last_message_id
