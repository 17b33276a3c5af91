"""Message texts and captions as Telegram stores them: parse mode or entities, then limits.

The sandbox implements one parse mode, HTML, because that is the only one Kindling sends (the
application's default parse mode). MarkdownV2 and Markdown are real Telegram modes, so
accepting them as plain text would let a message pass here that shows differently on Telegram;
they are refused with a 400 that names this rule instead.
"""

from __future__ import annotations

from typing import Any, Final

from bot.sandbox import formatting
from bot.sandbox.errors import bad_request
from bot.sandbox.params import Params
from bot.sandbox.validation import check_caption, check_entities, check_message_text, utf16_len

#: Telegram's other parse modes (compared in lowercase, as Telegram does).
NOT_IMPLEMENTED_MODES: Final = frozenset({"markdownv2", "markdown"})

Formatted = tuple[str, list[dict[str, Any]]]


def message_text(params: Params, key: str = "text") -> Formatted:
    """The text of ``sendMessage`` / ``editMessageText`` and its entities, checked.

    Raises:
        ApiError: ``message text is empty``, ``message is too long``, a parse error.
    """
    raw = params.optional_str(key)
    if raw is None:
        raise bad_request("message text is empty")
    plain, entities = formatted(
        raw,
        params.optional_str("parse_mode"),
        params.optional_json("entities", what="entities"),
    )
    stored = check_message_text(plain)
    return stored, _clip(entities, stored)


def caption_text(params: Params) -> tuple[str | None, list[dict[str, Any]]]:
    """A media caption and its entities (``None`` without one), checked.

    Raises:
        ApiError: ``message caption is too long``, a parse error.
    """
    raw = params.optional_str("caption")
    if raw is None or raw == "":
        return None, []
    plain, entities = formatted(
        raw,
        params.optional_str("parse_mode"),
        params.optional_json("caption_entities", what="caption entities"),
    )
    stored = check_caption(plain)
    return (stored or None), _clip(entities, stored)


def formatted(text: str, parse_mode: str | None, entities: object) -> Formatted:
    """Plain text and entities from explicit ``entities`` (they win) or ``parse_mode``.

    Raises:
        ApiError: ``can't parse entities: ...`` as Telegram words it, a parse mode the sandbox
            does not implement, or an unknown one.
    """
    if entities is not None:
        if isinstance(entities, str):
            raise bad_request("can't parse entities JSON object")
        return text, check_entities(text, entities)
    if parse_mode is None or parse_mode == "":
        return text, []
    mode = parse_mode.lower()
    if mode in NOT_IMPLEMENTED_MODES:
        raise bad_request(
            f'parse_mode "{parse_mode}" is not implemented by the Kindling sandbox, which parses '
            "only HTML, the parse mode Kindling sends (see docs/fake-bot-api.md)"
        )
    if mode != "html":
        raise bad_request("unsupported parse_mode")
    try:
        return formatting.parse_html(text)
    except formatting.EntityParseError as error:
        raise bad_request(f"can't parse entities: {error}") from error


def _clip(entities: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    # Telegram trims trailing whitespace after parsing: entities past the stored text go, and
    # one reaching into the trimmed part is cut.
    limit = utf16_len(text)
    clipped: list[dict[str, Any]] = []
    for entity in entities:
        offset, length = int(entity["offset"]), int(entity["length"])
        if offset >= limit:
            continue
        clipped.append({**entity, "length": min(length, limit - offset)})
    return clipped
