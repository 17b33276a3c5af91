"""What the conversation layer sends: rendered messages, already translated. Plain data.

Services never build these; ``bot.ui`` renders a service's result into them and
``bot.conversations.common`` delivers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Draft", "PressAnswer", "ReplyAnswer", "Screen"]


@dataclass(frozen=True)
class Draft:
    """A button that opens a ready note in a chat the person picks (inline mode).

    Attributes:
        label: The button's text.
        query: The inline query it starts in the chosen chat (``switch_inline_query_chosen_chat``):
            words that match inline mode's notes, so the person sends one themselves.
    """

    label: str
    query: str


@dataclass(frozen=True)
class Screen:
    """One message: HTML text and inline buttons.

    Attributes:
        text: The message, HTML (the application's parse mode).
        buttons: Rows of ``(label, callback_data)``; each data is at most 64 bytes.
        draft: A last row that opens a ready note in a chat the person picks, if any.
    """

    text: str
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)
    draft: Draft | None = None


@dataclass(frozen=True)
class PressAnswer:
    """What to show after a button press.

    Attributes:
        note: A short answer to the press (shown as a toast), if any.
        edit: New content for the message whose button was pressed.
        send: New messages, in order.
    """

    note: str | None = None
    edit: Screen | None = None
    send: list[Screen] = field(default_factory=list)


@dataclass(frozen=True)
class ReplyAnswer:
    """Messages answering a command or a typed reply.

    Attributes:
        messages: In order.
        remove_keyboard: Hide the "share my location" keyboard with the first message.
        location_keyboard: Show the "share my location" keyboard with the last message.
    """

    messages: list[Screen]
    remove_keyboard: bool = False
    location_keyboard: str | None = None
