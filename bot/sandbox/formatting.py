"""Telegram's text formatting (HTML and MarkdownV2), parsed the way the Bot API does."""

from __future__ import annotations

from typing import Any


class EntityParseError(ValueError):
    """The text cannot be parsed; ``str(error)`` is Telegram's description after "can't parse entities: "."""


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the plain text and its entities (UTF-16 offsets), or raise EntityParseError."""
    raise NotImplementedError


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the plain text and its entities (UTF-16 offsets), or raise EntityParseError."""
    raise NotImplementedError
