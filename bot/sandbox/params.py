"""Decoding of Bot API request parameters, which arrive as Python values or as strings.

Over HTTP every form field is a string, and PTB (``RequestData.json_parameters``) sends nested
values JSON-encoded; the in-process transport goes through the same path. Telegram decodes per
parameter type, and so does this module: a typed accessor raises ``ApiError`` with a
Telegram-style text when a value is missing or malformed.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

from bot.sandbox.errors import bad_request

#: Parameters whose values are JSON objects or arrays (string-encoded on the wire).
JSON_PARAMS: Final = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "results",
        "link_preview_options",
        "reply_parameters",
        "button",
        "reaction",
    }
)
#: Parameters whose values are integers.
INT_PARAMS: Final = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "max_connections",
        "cache_time",
        "reply_to_message_id",
        "message_thread_id",
        "user_id",
    }
)
#: Parameters whose values are booleans.
BOOL_PARAMS: Final = frozenset(
    {
        "drop_pending_updates",
        "show_alert",
        "disable_notification",
        "protect_content",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "is_personal",
        "has_spoiler",
        "disable_content_type_detection",
        "show_caption_above_media",
        "allow_paid_broadcast",
        "is_big",
    }
)
#: Parameters whose values are floats. ``timeout`` is an integer on Telegram; the sandbox also
#: takes fractions of a second so that long-polling tests stay short.
FLOAT_PARAMS: Final = frozenset({"timeout"})

_MISSING: Final = object()


def decode_params(raw: Mapping[str, object]) -> dict[str, object]:
    """Decode string-encoded values of known types; keep anything undecodable as it came.

    Malformed values stay strings so that the typed accessors can report them the way Telegram
    does (for example ``can't parse reply keyboard markup JSON object``).
    """
    decoded: dict[str, object] = {}
    for key, value in raw.items():
        if value is None:
            continue
        decoded[key] = _decode_one(key, value)
    return decoded


def _decode_one(key: str, value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        if key in JSON_PARAMS:
            return json.loads(value)
        if key in INT_PARAMS or key == "chat_id":
            return int(value)
        if key in FLOAT_PARAMS:
            return float(value)
    except ValueError:
        return value
    if key in BOOL_PARAMS and value.lower() in {"true", "false", "1", "0"}:
        return value.lower() in {"true", "1"}
    return value


class Params:
    """Typed, Telegram-checked access to one request's decoded parameters."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self.values = dict(values)

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def optional_str(self, key: str) -> str | None:
        """A string parameter, or ``None`` when absent; numbers are turned into text."""
        value = self.values.get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float):
            return str(value)
        raise bad_request(f'field "{key}" must be of type String')

    def require_str(self, key: str) -> str:
        """A required string parameter."""
        value = self.optional_str(key)
        if value is None:
            raise bad_request(f'parameter "{key}" is required')
        return value

    def optional_int(self, key: str) -> int | None:
        """An integer parameter, or ``None`` when absent."""
        value = self.values.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_request(f'field "{key}" must be of type Integer')
        return value

    def require_int(self, key: str) -> int:
        """A required integer parameter."""
        value = self.optional_int(key)
        if value is None:
            raise bad_request(f'parameter "{key}" is required')
        return value

    def optional_float(self, key: str) -> float | None:
        """A float parameter, or ``None`` when absent."""
        value = self.values.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad_request(f'field "{key}" must be of type Float')
        return float(value)

    def flag(self, key: str) -> bool:
        """A boolean parameter; absent means ``False``."""
        value = self.values.get(key, False)
        if not isinstance(value, bool):
            raise bad_request(f'field "{key}" must be of type Boolean')
        return value

    def optional_json(self, key: str, *, what: str) -> object:
        """A JSON-valued parameter or ``None``; ``what`` names it in the parse error."""
        value = self.values.get(key, _MISSING)
        if value is _MISSING or value is None:
            return None
        if isinstance(value, str):
            raise bad_request(f"can't parse {what} JSON object")
        return value

    def chat_id(self, *, required: bool = True) -> int | str | None:
        """``chat_id``: an integer or an ``@username``; Telegram says ``chat_id is empty``."""
        value = self.values.get("chat_id")
        if value is None or value == "":
            if required:
                raise bad_request("chat_id is empty")
            return None
        if isinstance(value, bool):
            raise bad_request("chat not found")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.startswith("@"):
            return value
        raise bad_request("chat not found")


def jsonable(value: Any) -> Any:
    """A deep copy of a JSON value (so stored state never aliases a caller's object)."""
    return json.loads(json.dumps(value))


#: Uploaded files of one request by multipart field name: ``(file_name, content)``.
Files = Mapping[str, tuple[str, bytes]]
#: One Bot API method: the decoded parameters and uploads in, the ``result`` JSON out. It raises
#: ``ApiError`` for Telegram's error answers.
Handler = Callable[[Params, Files], Awaitable[Any]]
