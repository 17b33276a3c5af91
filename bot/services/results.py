"""What a use case asks the conversation layer to show. Plain data, no Telegram."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.services.prompts import PromptContent

__all__ = ["Outcome", "Reply"]


@dataclass(frozen=True)
class Outcome:
    """What to show after a button press.

    Attributes:
        note: A short answer to the press (shown as a toast), if any.
        edit: New content for the message whose button was pressed.
        send: New messages, in order.
    """

    note: str | None = None
    edit: PromptContent | None = None
    send: list[PromptContent] = field(default_factory=list)


@dataclass(frozen=True)
class Reply:
    """Messages answering a command or a typed reply.

    Attributes:
        messages: In order.
        remove_keyboard: Hide the "share my location" keyboard with the first message.
        location_keyboard: Show the "share my location" keyboard with the last message.
    """

    messages: list[PromptContent]
    remove_keyboard: bool = False
    location_keyboard: str | None = None
