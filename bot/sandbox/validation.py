"""Pure checks the Bot API applies to what a bot sends; each raises ``ApiError`` like Telegram.

Error texts follow the Bot API server (``telegram-bot-api``), which lowercases the first letter
of tdlib's message after the ``Bad Request:`` prefix. Where Telegram is vaguer than its own
documentation (several actions on one inline button), the sandbox applies the documented rule,
so that a bot that passes here is valid on Telegram too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from bot.sandbox.errors import ApiError, bad_request

MAX_MESSAGE_LENGTH: Final = 4096
MAX_CAPTION_LENGTH: Final = 1024
MAX_CALLBACK_DATA_BYTES: Final = 64
MAX_CALLBACK_ANSWER_LENGTH: Final = 200
MAX_INLINE_BUTTONS: Final = 100
MAX_COMMANDS: Final = 100
MAX_DESCRIPTION_LENGTH: Final = 512
MAX_SHORT_DESCRIPTION_LENGTH: Final = 120

#: Inline button fields of which exactly one must be used (Bot API ``InlineKeyboardButton``).
INLINE_ACTION_FIELDS: Final = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
#: String fields that Telegram treats as absent when empty (a button with ``callback_data: ""``
#: is a "text button"); the ``switch_inline_query*`` fields may legitimately be empty.
_EMPTY_MEANS_ABSENT: Final = frozenset({"url", "callback_data"})

_COMMAND_RE: Final = re.compile(r"[a-z0-9_]{1,32}")
_BOT_LANGUAGE_RE: Final = re.compile(r"[a-z]{2}")
_SECRET_TOKEN_RE: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")
_BUTTON_URL_RE: Final = re.compile(r"(https?|tg)://\S+", re.IGNORECASE)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of every entity offset and length."""
    return len(text.encode("utf-16-le")) // 2


def check_message_text(text: str) -> str:
    """Validate a message text after entity parsing and return it as Telegram stores it.

    Telegram trims trailing whitespace and rejects whitespace-only text. The 4096 limit counts
    Unicode code points: tdlib compares ``utf8_length(text)`` (code points, not bytes and not
    UTF-16 units) with the ``message_text_length_max`` option.

    Raises:
        ApiError: ``message text is empty`` or ``message is too long``.
    """
    stored = text.rstrip()
    if not stored.strip():
        raise bad_request("message text is empty")
    if len(stored) > MAX_MESSAGE_LENGTH:
        raise bad_request("message is too long")
    return stored


def check_caption(caption: str) -> str:
    """Validate a media caption after entity parsing (0-1024 code points) and return it trimmed.

    Raises:
        ApiError: ``message caption is too long``.
    """
    stored = caption.rstrip()
    if len(stored) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return stored


def check_entities(text: str, entities: object) -> list[dict[str, Any]]:
    """Validate explicitly passed ``entities`` against ``text`` (UTF-16 offsets).

    Raises:
        ApiError: when the value is not an array of MessageEntity objects or an entity points
            outside the text.
    """
    if not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    limit = utf16_len(text)
    checked: list[dict[str, Any]] = []
    for entity in entities:
        if not isinstance(entity, dict) or not isinstance(entity.get("type"), str):
            raise bad_request('can\'t parse MessageEntity: field "type" must be of type String')
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            raise bad_request('can\'t parse MessageEntity: field "offset" must be a Number')
        if offset < 0 or length <= 0 or offset + length > limit:
            raise bad_request(
                f"can't parse entities: entity beginning at UTF-16 offset {offset} "
                "is outside the text"
            )
        checked.append(dict(entity))
    return checked


def check_callback_data(data: object) -> str:
    """Validate inline button ``callback_data``: a string of 1-64 bytes in UTF-8.

    Raises:
        ApiError: ``BUTTON_DATA_INVALID``.
    """
    if not isinstance(data, str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "callback_data" must be of type String'
        )
    if not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
        raise bad_request("BUTTON_DATA_INVALID")
    return data


def _check_inline_button(button: object) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton should be an Object"
        )
    text = button.get("text")
    if text is None:
        raise bad_request("can't parse inline keyboard button: Can't find field \"text\"")
    if not isinstance(text, str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    present = [
        field
        for field in INLINE_ACTION_FIELDS
        if button.get(field) is not None
        and not (field in _EMPTY_MEANS_ABSENT and button.get(field) == "")
    ]
    if not present:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(present) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be "
            f"used, got {', '.join(present)}"
        )
    (action,) = present
    if action == "callback_data":
        check_callback_data(button["callback_data"])
    elif action == "url":
        url = button["url"]
        if not isinstance(url, str) or not _BUTTON_URL_RE.fullmatch(url):
            raise bad_request("BUTTON_URL_INVALID")
    return {"text": text, action: button[action]}


def _check_reply_button(button: object) -> dict[str, Any]:
    if isinstance(button, str):
        button = {"text": button}
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse keyboard button: KeyboardButton should be a String or an Object"
        )
    text = button.get("text")
    if text is None:
        raise bad_request("can't parse keyboard button: Can't find field \"text\"")
    if not isinstance(text, str):
        raise bad_request('can\'t parse keyboard button: Field "text" must be of type String')
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    return {key: value for key, value in button.items() if value is not None}


def _rows(markup: Mapping[str, Any], field: str, kind: str) -> list[list[Any]]:
    rows = markup[field]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f'field "{field}" of the {kind} should be an Array of Arrays')
    return [row for row in rows if row]


def check_reply_markup(markup: object, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validate a ``reply_markup`` value and return its normalized form (or ``None`` for none).

    Args:
        markup: The decoded JSON value.
        inline_only: Editing methods accept only an ``InlineKeyboardMarkup``.

    Raises:
        ApiError: with the Bot API's text for the first problem found.
    """
    if not isinstance(markup, dict):
        raise bad_request("object expected as reply markup")
    if "inline_keyboard" in markup:
        rows = _rows(markup, "inline_keyboard", "InlineKeyboardMarkup")
        checked = [[_check_inline_button(button) for button in row] for row in rows]
        if sum(len(row) for row in checked) > MAX_INLINE_BUTTONS:
            raise bad_request("reply markup is too long")
        return {"inline_keyboard": checked} if checked else None
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        rows = _rows(markup, "keyboard", "ReplyKeyboardMarkup")
        if not rows:
            raise bad_request("keyboard must be non-empty")
        normalized = {
            key: value for key, value in markup.items() if value is not None and key != "keyboard"
        }
        normalized["keyboard"] = [[_check_reply_button(button) for button in row] for row in rows]
        return normalized
    if "remove_keyboard" in markup:
        if markup["remove_keyboard"] is not True:
            raise bad_request('field "remove_keyboard" of the ReplyKeyboardRemove must be true')
        return {key: value for key, value in markup.items() if value is not None}
    if "force_reply" in markup:
        if markup["force_reply"] is not True:
            raise bad_request('field "force_reply" of the ForceReply must be true')
        return {key: value for key, value in markup.items() if value is not None}
    # Telegram ignores an object with none of the known fields.
    return None


def check_commands(commands: object) -> list[dict[str, str]]:
    """Validate ``setMyCommands``'s ``commands`` (at most 100, names ``[a-z0-9_]{1,32}``).

    Raises:
        ApiError: with the Bot API's text for the first invalid command.
    """
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("too many commands specified")
    checked: list[dict[str, str]] = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: BotCommand should be an Object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not isinstance(description, str):
            raise bad_request('can\'t parse BotCommand: Field "command" must be of type String')
        name = command.removeprefix("/")
        if not _COMMAND_RE.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description.strip()) <= 256:
            raise bad_request("command description must be non-empty")
        checked.append({"command": name, "description": description})
    return checked


def check_bot_language_code(language_code: str | None) -> str:
    """Validate the ``language_code`` of the bot's per-language settings; ``""`` for none.

    Commands, descriptions and names take an empty code (every language without its own
    value) or two lowercase Latin letters, an ISO 639-1 code: TDLib's
    ``validate_bot_language_code`` refuses anything else, ``"DE"`` and ``"pt-br"`` included.

    Raises:
        ApiError: ``invalid language code specified``.
    """
    language = language_code or ""
    if language and not _BOT_LANGUAGE_RE.fullmatch(language):
        raise bad_request("invalid language code specified")
    return language


def check_bot_description(text: str, *, short: bool = False) -> str:
    """Validate a description (0-512 characters) or a short description (0-120).

    The Bot API documents the limits in characters, and the sandbox counts code points as it
    does for message texts. Telegram's own error text for an over-long description is not in
    the published sources; this one names the parameter like the other length errors.

    Raises:
        ApiError: ``description is too long`` / ``short description is too long``.
    """
    limit = MAX_SHORT_DESCRIPTION_LENGTH if short else MAX_DESCRIPTION_LENGTH
    if len(text) > limit:
        raise bad_request(f"{'short description' if short else 'description'} is too long")
    return text


def check_webhook_url(url: str) -> str:
    """Validate a webhook URL.

    Telegram requires HTTPS. The sandbox also accepts plain HTTP to loopback addresses, the
    only way to receive webhooks on a developer machine; anything else is rejected as Telegram
    would reject it.

    Raises:
        ApiError: ``bad webhook: ...``.
    """
    lowered = url.lower()
    if lowered.startswith("https://"):
        return url
    loopback = ("http://127.0.0.1", "http://localhost", "http://[::1]")
    if lowered.startswith(loopback):
        return url
    raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")


def check_secret_token(secret: str) -> str:
    """Validate ``setWebhook``'s ``secret_token``: 1-256 characters of ``A-Za-z0-9_-``.

    Raises:
        ApiError: ``secret token contains unallowed characters``.
    """
    if not _SECRET_TOKEN_RE.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    return secret


def check_callback_answer_text(text: str | None) -> None:
    """``answerCallbackQuery`` text is at most 200 characters.

    Raises:
        ApiError: ``MESSAGE_TOO_LONG``.
    """
    if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")


def check_inline_results(results: object) -> list[dict[str, Any]]:
    """Basic checks on ``answerInlineQuery`` results: at most 50, unique ids of 1-64 bytes.

    Raises:
        ApiError: ``RESULTS_TOO_MUCH``, ``RESULT_ID_INVALID``, ``RESULT_ID_DUPLICATE``, ...
    """
    if not isinstance(results, list):
        raise bad_request("can't parse results JSON object")
    if len(results) > 50:
        raise bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    checked: list[dict[str, Any]] = []
    for result in results:
        if not isinstance(result, dict):
            raise bad_request(
                "can't parse InlineQueryResult: InlineQueryResult should be an Object"
            )
        result_id, kind = result.get("id"), result.get("type")
        if not isinstance(kind, str):
            raise bad_request("can't parse InlineQueryResult: Can't find field \"type\"")
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= 64:
            raise bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        if "reply_markup" in result:
            check_reply_markup(result["reply_markup"], inline_only=True)
        checked.append(result)
    return checked


def rows_of_texts(markup: Mapping[str, Any] | None, field: str) -> list[list[str]]:
    """Button texts, row by row, of the keyboard under ``field`` (empty without one)."""
    if markup is None or field not in markup:
        return []
    rows: Sequence[Sequence[Any]] = markup[field]
    return [
        [button if isinstance(button, str) else str(button.get("text", "")) for button in row]
        for row in rows
    ]


__all__ = [
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_LENGTH",
    "MAX_DESCRIPTION_LENGTH",
    "MAX_MESSAGE_LENGTH",
    "MAX_SHORT_DESCRIPTION_LENGTH",
    "ApiError",
    "check_bot_description",
    "check_bot_language_code",
    "check_callback_answer_text",
    "check_callback_data",
    "check_caption",
    "check_commands",
    "check_entities",
    "check_inline_results",
    "check_message_text",
    "check_reply_markup",
    "check_secret_token",
    "check_webhook_url",
    "rows_of_texts",
    "utf16_len",
]
