"""What the bot does to messages: sendMessage, sendPhoto, sendDocument, edits and deletion.

Texts and captions go through ``text.py`` (HTML only), keyboards through ``validation.py`` and
files through ``files.py``; the chat must be one the bot may write to (``chats.py``).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Mapping
from typing import Any, Final

from bot.sandbox.chats import Chats
from bot.sandbox.errors import bad_request
from bot.sandbox.files import FileStore
from bot.sandbox.models import ChatState, MessageKind, StoredMessage
from bot.sandbox.params import Files, Handler, Params
from bot.sandbox.text import caption_text, message_text
from bot.sandbox.validation import check_reply_markup, check_request_buttons_allowed

#: Bots may delete messages for everyone only within 48 hours.
DELETE_WINDOW: Final = 48 * 3600.0

_NOT_MODIFIED: Final = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


def _inline(message: StoredMessage) -> dict[str, Any] | None:
    """The message's inline keyboard markup, if it has one."""
    markup = message.reply_markup
    return markup if markup is not None and "inline_keyboard" in markup else None


def _replace_inline(message: StoredMessage, markup: dict[str, Any] | None) -> None:
    """Edits replace the inline keyboard (omitting it removes it); a reply keyboard stays."""
    if markup is not None or _inline(message) is not None:
        message.reply_markup = markup


def _markup(
    params: Params, state: ChatState | None = None, *, inline_only: bool = False
) -> dict[str, Any] | None:
    value = params.optional_json("reply_markup", what="reply keyboard markup")
    if value is None:
        return None
    markup = check_reply_markup(value, inline_only=inline_only)
    if state is not None:
        check_request_buttons_allowed(markup, str(state.chat["type"]))
    return markup


class Messages:
    """The bot's messages in the chats of ``chats``, and the files it sent.

    Args:
        chats: The chats, for ``chat_id`` and who may be written to.
        bot_user: The bot's ``User`` JSON, the sender of its messages.
        now: The fake's clock (Unix seconds).
        changed: Called after every change of state.
    """

    def __init__(
        self,
        chats: Chats,
        bot_user: dict[str, Any],
        now: Callable[[], float],
        changed: Callable[[], None],
    ) -> None:
        self._chats = chats
        self._bot_user = bot_user
        self._now = now
        self._changed = changed
        self.files = FileStore()

    def methods(self) -> dict[str, Handler]:
        """The Bot API methods of this concern, by lowercase name."""
        return {
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "editmessagetext": self._edit_message_text,
            "deletemessage": self._delete_message,
        }

    # -- sending -------------------------------------------------------------------------------

    async def _send_message(self, params: Params, files: Files) -> Any:
        state = self._chats.sendable(params)
        body, entities = message_text(params)
        markup = _markup(params, state)
        return self._store(state, params, kind="text", text=body, entities=entities, markup=markup)

    async def _send_photo(self, params: Params, files: Files) -> Any:
        state = self._chats.sendable(params)
        stored = self.files.take(params, files, "photo")
        caption, entities = caption_text(params)
        markup = _markup(params, state)
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
            self.files.alias(str(size["file_id"]), stored)
        return self._store(
            state,
            params,
            kind="photo",
            caption=caption,
            caption_entities=entities,
            markup=markup,
            content={"photo": sizes},
        )

    async def _send_document(self, params: Params, files: Files) -> Any:
        state = self._chats.sendable(params)
        stored = self.files.take(params, files, "document")
        caption, entities = caption_text(params)
        markup = _markup(params, state)
        mime = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.name,
            "mime_type": mime,
            "file_size": len(stored.data),
        }
        return self._store(
            state,
            params,
            kind="document",
            caption=caption,
            caption_entities=entities,
            markup=markup,
            content={"document": document},
        )

    def _store(
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
            date=int(self._now()),
            sender=self._bot_user,
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

    def _reply_to(self, params: Params, state: ChatState) -> int | None:
        reply = params.optional_json("reply_parameters", what="reply parameters")
        allow_missing = False
        target: object = params.optional_int("reply_to_message_id")
        if isinstance(reply, dict):
            target = reply.get("message_id")
            allow_missing = bool(reply.get("allow_sending_without_reply"))
            if "chat_id" in reply and self._chats.key(reply["chat_id"]) != state.chat_id:
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

    # -- editing and deleting ------------------------------------------------------------------

    async def _edit_message_text(self, params: Params, files: Files) -> Any:
        _, message = self._find(params, missing="message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        body, entities = message_text(params)
        markup = _markup(params, inline_only=True)
        if (body, entities, markup) == (message.text, message.entities, _inline(message)):
            raise bad_request(_NOT_MODIFIED)
        message.text, message.entities = body, entities
        _replace_inline(message, markup)
        message.edits += 1
        message.edit_date = int(self._now())
        self._changed()
        return message.to_json()

    async def _delete_message(self, params: Params, files: Files) -> Any:
        state, message = self._find(params, missing="message to delete not found")
        if self._now() - message.date > DELETE_WINDOW:
            raise bad_request("message can't be deleted for everyone")
        del state.messages[message.message_id]
        self._changed()
        return True

    def _find(self, params: Params, *, missing: str) -> tuple[ChatState, StoredMessage]:
        if params.optional_str("inline_message_id") is not None:
            raise bad_request("MESSAGE_ID_INVALID")
        state = self._chats.resolve(params)
        message_id = params.optional_int("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = state.messages.get(message_id)
        if message is None:
            raise bad_request(missing)
        return state, message
