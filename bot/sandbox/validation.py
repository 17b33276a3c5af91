"""Pure checks the Bot API applies to what a bot sends; each raises ``ApiError`` like Telegram.

Error texts follow the Bot API server (``telegram-bot-api``), which lowercases the first letter
of tdlib's message after the ``Bad Request:`` prefix. Where Telegram is vaguer than its own
documentation (several actions on one inline button, several requests on one reply button,
``max_quantity`` outside 1-10), the sandbox applies the documented rule, so that a bot that
passes here is valid on Telegram too.

Fields of nested objects are read as tdlib's ``JsonObject`` reads them (``Client.cpp`` of the
Bot API server): a missing required field is ``Can't find field "x"``, a Boolean field holding
anything else ``Field "x" must be of type Boolean``, an Integer field takes a JSON number or a
numeric string, a String field also takes a number. ``null`` counts as absent, as everywhere in
the sandbox (python-telegram-bot never sends it).
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
#: Reply keyboard button fields of which at most one may be used (Bot API ``KeyboardButton``:
#: "the optional fields web_app, request_contact, request_location, request_poll,
#: request_users, request_chat, and request_managed_bot are mutually exclusive"). The Bot API
#: server silently keeps the first one it knows; the sandbox refuses, as for inline buttons.
REPLY_REQUEST_FIELDS: Final = (
    "request_contact",
    "request_location",
    "request_poll",
    "web_app",
    "request_users",
    "request_chat",
    "request_managed_bot",
)
#: The Boolean ones among them: ``false`` means "not used".
_REPLY_REQUEST_FLAGS: Final = frozenset({"request_contact", "request_location"})
#: Request buttons tdlib refuses outside private chats, with its texts (``ReplyMarkup.cpp``,
#: ``get_keyboard_button``; the Bot API server lowercases the first letter).
_PRIVATE_ONLY_BUTTONS: Final = {
    "request_contact": "phone number can be requested in private chats only",
    "request_location": "location can be requested in private chats only",
    "request_poll": "poll can be requested in private chats only",
    "web_app": "web App buttons can be used in private chats only",
    "request_users": "users can be requested in private chats only",
    "request_chat": "chats can be requested in private chats only",
}
#: ``KeyboardButtonRequestUsers.max_quantity``: "The maximum number of users to be selected;
#: 1-10. Defaults to 1." (Bot API docs; python-telegram-bot's KeyboardButtonRequestUsersLimit).
MIN_REQUEST_USERS: Final = 1
MAX_REQUEST_USERS: Final = 10
_REQUEST_USERS_FLAGS: Final = (
    "user_is_bot",
    "user_is_premium",
    "request_name",
    "request_username",
    "request_photo",
)
_CHOSEN_CHAT_FLAGS: Final = (
    "allow_user_chats",
    "allow_bot_chats",
    "allow_group_chats",
    "allow_channel_chats",
)
_INT32_MIN: Final = -(2**31)
_INT32_MAX: Final = 2**31 - 1
_INTEGER_RE: Final = re.compile(r"[+-]?[0-9]+")

#: The emoji a ``ReactionTypeEmoji`` may carry: the list of the Bot API documentation ("Currently,
#: it can be one of ..."), the same 73 as python-telegram-bot 22's ``ReactionEmoji``. The three
#: joined sequences are written as python-telegram-bot sends them (with U+FE0F); their spelling
#: without U+FE0F is accepted too, because the published list is not byte-exact about it.
# fmt: off
REACTION_EMOJI: Final = frozenset(
    {
        "👍", "👎", "❤", "🔥", "🥰", "👏", "😁", "🤔", "🤯", "😱", "🤬", "😢", "🎉", "🤩", "🤮",
        "💩", "🙏", "👌", "🕊", "🤡", "🥱", "🥴", "😍", "🐳", "\u2764\ufe0f\u200d\U0001f525", "🌚",
        "🌭", "💯", "🤣", "⚡", "🍌", "🏆", "💔", "🤨", "😐", "🍓", "🍾", "💋", "🖕", "😈", "😴",
        "😭", "🤓", "👻", "\U0001f468\u200d\U0001f4bb", "👀", "🎃", "🙈", "😇", "😨", "🤝", "✍",
        "🤗", "🫡", "🎅", "🎄", "☃", "💅", "🤪", "🗿", "🆒", "💘", "🙉", "🦄", "😘", "💊", "🙊",
        "😎", "👾", "\U0001f937\u200d\u2642\ufe0f", "🤷", "\U0001f937\u200d\u2640\ufe0f", "😡",
    }
)
# fmt: on
_REACTION_SPELLINGS: Final = frozenset(
    {"\u2764\u200d\U0001f525", "\U0001f937\u200d\u2642", "\U0001f937\u200d\u2640"}
)
#: "Currently, as non-premium users, bots can set up to one reaction per message" (Bot API
#: ``setMessageReaction``).
MAX_BOT_REACTIONS: Final = 1

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


def _json_bool(obj: Mapping[str, Any], name: str, where: str) -> bool | None:
    """An optional Boolean field of a nested object, as tdlib reads it."""
    value = obj.get(name)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise bad_request(f'{where}: Field "{name}" must be of type Boolean')
    return value


def _json_int(
    obj: Mapping[str, Any], name: str, where: str, *, required: bool = False
) -> int | None:
    """An Integer field of a nested object: a JSON number or a numeric string, 32-bit signed.

    tdlib's text for a value that is neither is ``must be of type Number``; the sandbox reuses
    it for a number outside the signed 32-bit range, which tdlib also refuses.
    """
    value = obj.get(name)
    if value is None:
        if required:
            raise bad_request(f'{where}: Can\'t find field "{name}"')
        return None
    wrong = bad_request(f'{where}: Field "{name}" must be of type Number')
    if isinstance(value, bool):
        raise wrong
    if isinstance(value, str):
        if not _INTEGER_RE.fullmatch(value):
            raise wrong
        value = int(value)
    if not isinstance(value, int) or not _INT32_MIN <= value <= _INT32_MAX:
        raise wrong
    return value


def _json_str(
    obj: Mapping[str, Any], name: str, where: str, *, required: bool = False
) -> str | None:
    """A String field of a nested object; tdlib takes a number as its text too."""
    value = obj.get(name)
    if value is None:
        if required:
            raise bad_request(f'{where}: Can\'t find field "{name}"')
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise bad_request(f'{where}: Field "{name}" must be of type String')
    return str(value)


def _json_object(obj: Mapping[str, Any], name: str, where: str) -> dict[str, Any] | None:
    """An optional Object field of a nested object, without its ``null`` fields."""
    value = obj.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request(f'{where}: Field "{name}" must be of type Object')
    return {key: item for key, item in value.items() if item is not None}


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
    value = button[action]
    if action == "callback_data":
        check_callback_data(value)
    elif action == "url":
        if not isinstance(value, str) or not _BUTTON_URL_RE.fullmatch(value):
            raise bad_request("BUTTON_URL_INVALID")
    elif action == "switch_inline_query_chosen_chat":
        value = _check_chosen_chat(button)
    return {"text": text, action: value}


def _check_chosen_chat(button: Mapping[str, Any]) -> dict[str, Any]:
    """``SwitchInlineQueryChosenChat``: ``query`` String, four optional Booleans, one true.

    The last rule is tdlib's (``TargetDialogTypes::get_target_dialog_types``: "At least one chat
    type must be allowed"); python-telegram-bot documents it as a caution too.
    """
    where = "can't parse inline keyboard button"
    chosen = _json_object(button, "switch_inline_query_chosen_chat", where)
    assert chosen is not None  # the caller found the field present
    query = _json_str(chosen, "query", where)
    if query is not None:
        chosen["query"] = query
    # Every flag is type-checked before the rule, as the server reads them all first.
    allowed = [_json_bool(chosen, flag, where) for flag in _CHOSEN_CHAT_FLAGS]
    if not any(allowed):
        raise bad_request("at least one chat type must be allowed")
    return chosen


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
    checked = {key: value for key, value in button.items() if value is not None}
    where = "can't parse keyboard button"
    for flag in _REPLY_REQUEST_FLAGS:
        _json_bool(checked, flag, where)
    used = [
        name
        for name in REPLY_REQUEST_FIELDS
        if name in checked and (name not in _REPLY_REQUEST_FLAGS or checked[name])
    ]
    if len(used) > 1:
        raise bad_request(
            f"{where}: at most one of the optional fields must be used, got {', '.join(used)}"
        )
    for name in REPLY_REQUEST_FIELDS:
        if name not in _REPLY_REQUEST_FLAGS and name in checked:
            checked[name] = _json_object(checked, name, where)
    if "request_users" in checked:
        checked["request_users"] = _check_request_users(checked["request_users"])
    if "request_chat" in checked:
        # Only its identifier is checked here; the sandbox does not answer chat requests.
        request_chat = checked["request_chat"]
        request_chat["request_id"] = _json_int(request_chat, "request_id", where, required=True)
    return checked


def _check_request_users(request: dict[str, Any]) -> dict[str, Any]:
    """``KeyboardButtonRequestUsers``: Integer ``request_id``, optional Booleans, 1-10 users."""
    where = "can't parse keyboard button"
    request["request_id"] = _json_int(request, "request_id", where, required=True)
    for flag in _REQUEST_USERS_FLAGS:
        _json_bool(request, flag, where)
    quantity = _json_int(request, "max_quantity", where)
    if quantity is not None:
        # tdlib turns 0 and below into 1 and leaves the upper bound to Telegram's servers; the
        # documented range is the rule here (and the wording the sandbox's own).
        if not MIN_REQUEST_USERS <= quantity <= MAX_REQUEST_USERS:
            raise bad_request(
                f"{where}: max_quantity must be between {MIN_REQUEST_USERS} and "
                f"{MAX_REQUEST_USERS}"
            )
        request["max_quantity"] = quantity
    return request


def _check_request_ids(rows: Sequence[Sequence[Mapping[str, Any]]]) -> None:
    # "Identifier of the request ... Must be unique within the message" (KeyboardButtonRequestUsers
    # and KeyboardButtonRequestChat); tdlib keys both kinds of answer by this one identifier.
    seen: set[int] = set()
    for row in rows:
        for button in row:
            for name in ("request_users", "request_chat"):
                if name in button:
                    request_id = int(button[name]["request_id"])
                    if request_id in seen:
                        raise bad_request(
                            f"can't parse keyboard button: request_id {request_id} is used by "
                            "more than one button"
                        )
                    seen.add(request_id)


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
        _check_request_ids(normalized["keyboard"])
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


def check_request_buttons_allowed(markup: Mapping[str, Any] | None, chat_type: str) -> None:
    """Request and Web App buttons of a reply keyboard work in private chats only.

    Raises:
        ApiError: with tdlib's text for the first such button outside a private chat, e.g.
            ``users can be requested in private chats only``.
    """
    if markup is None or "keyboard" not in markup or chat_type == "private":
        return
    for row in markup["keyboard"]:
        for button in row:
            for name, detail in _PRIVATE_ONLY_BUTTONS.items():
                # A flag counts when true, an object (even an empty poll type) when present.
                value = button.get(name)
                if value is True or isinstance(value, dict):
                    raise bad_request(detail)


def is_reaction_emoji(emoji: str) -> bool:
    """Whether ``emoji`` is one the Bot API lists for ``ReactionTypeEmoji``."""
    return emoji in REACTION_EMOJI or emoji in _REACTION_SPELLINGS


def parse_reaction_types(value: object) -> list[dict[str, Any]]:
    """Read ``setMessageReaction``'s ``reaction`` as the Bot API server does, before the chat.

    Absent or empty means no reaction. Each ReactionType needs a String ``type``: ``emoji``
    (with a String ``emoji``), ``custom_emoji`` (with an Integer ``custom_emoji_id``) or
    ``paid``; the emoji themselves are checked later (``check_bot_reactions``), once the message
    is found, as Telegram's servers check them.

    Returns:
        The reactions as ReactionType JSON, in the order given.

    Raises:
        ApiError: with the server's texts, e.g. ``can't parse reaction types JSON object`` or
            ``can't parse ReactionType: invalid reaction type specified``.
    """
    if value is None or value == "":
        return []
    if isinstance(value, str):
        raise bad_request("can't parse reaction types JSON object")
    if not isinstance(value, list):
        raise bad_request("expected an Array of ReactionType")
    where = "can't parse ReactionType"
    reactions: list[dict[str, Any]] = []
    for item in value:
        if not isinstance(item, dict):
            raise bad_request(f"{where}: expected an Object")
        kind = _json_str(item, "type", where, required=True)
        if kind == "emoji":
            emoji = _json_str(item, "emoji", where, required=True)
            reactions.append({"type": "emoji", "emoji": emoji})
        elif kind == "custom_emoji":
            custom = _json_int_or_long(item, "custom_emoji_id", where)
            reactions.append({"type": "custom_emoji", "custom_emoji_id": custom})
        elif kind == "paid":
            reactions.append({"type": "paid"})
        else:
            raise bad_request(f"{where}: invalid reaction type specified")
    return reactions


def _json_int_or_long(obj: Mapping[str, Any], name: str, where: str) -> str:
    # Custom emoji identifiers are 64-bit: the server reads a number or a numeric string and
    # the Bot API documents the field as a String.
    value = obj.get(name)
    if value is None:
        raise bad_request(f'{where}: Can\'t find field "{name}"')
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise bad_request(f'{where}: Field "{name}" must be a Number')
    if isinstance(value, str) and not _INTEGER_RE.fullmatch(value):
        raise bad_request(f'{where}: Field "{name}" must be a Number')
    return str(int(value))


def check_bot_reactions(reactions: Sequence[Mapping[str, Any]]) -> None:
    """The reactions a bot may set: listed emoji only, at most one.

    Custom emoji would need to be on the message already or allowed by the chat, which no
    sandbox chat does, and "paid reactions can't be used by bots" (Bot API docs).

    Raises:
        ApiError: ``invalid reaction type specified`` for an empty emoji, ``REACTION_INVALID``
            for anything else not allowed, ``REACTIONS_TOO_MANY`` for more than one.
    """
    for reaction in reactions:
        if reaction["type"] != "emoji":
            raise bad_request("REACTION_INVALID")
        emoji = str(reaction["emoji"])
        if not emoji:
            raise bad_request("invalid reaction type specified")
        if not is_reaction_emoji(emoji):
            raise bad_request("REACTION_INVALID")
    if len(reactions) > MAX_BOT_REACTIONS:
        raise bad_request("REACTIONS_TOO_MANY")


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
    "MAX_BOT_REACTIONS",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_LENGTH",
    "MAX_DESCRIPTION_LENGTH",
    "MAX_MESSAGE_LENGTH",
    "MAX_REQUEST_USERS",
    "MAX_SHORT_DESCRIPTION_LENGTH",
    "MIN_REQUEST_USERS",
    "REACTION_EMOJI",
    "REPLY_REQUEST_FIELDS",
    "ApiError",
    "check_bot_description",
    "check_bot_language_code",
    "check_bot_reactions",
    "check_callback_answer_text",
    "check_callback_data",
    "check_caption",
    "check_commands",
    "check_entities",
    "check_inline_results",
    "check_message_text",
    "check_reply_markup",
    "check_request_buttons_allowed",
    "check_secret_token",
    "check_webhook_url",
    "is_reaction_emoji",
    "parse_reaction_types",
    "rows_of_texts",
    "utf16_len",
]
