"""Keyboards built from plain rows of (label, callback data): pure, no I/O."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    SwitchInlineQueryChosenChat,
)

from bot.ui.callbacks import Rows
from bot.ui.screens import Draft, Screen

__all__ = ["Rows", "inline_keyboard", "location_keyboard", "screen_keyboard"]


def inline_keyboard(rows: Rows, *, draft: Draft | None = None) -> InlineKeyboardMarkup:
    """An inline keyboard with one button per ``(label, callback_data)``, row by row.

    ``draft``: a last row that opens a ready note in a private chat or group the person picks
    (Telegram's chat picker, then inline mode with the draft's query).
    """
    buttons = [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows
    ]
    if draft is not None:
        chats = SwitchInlineQueryChosenChat(
            query=draft.query, allow_user_chats=True, allow_group_chats=True
        )
        buttons.append([InlineKeyboardButton(draft.label, switch_inline_query_chosen_chat=chats)])
    return InlineKeyboardMarkup(buttons)


def screen_keyboard(screen: Screen) -> InlineKeyboardMarkup | None:
    """The inline keyboard of ``screen``, or None when it has no buttons."""
    if not screen.buttons and screen.draft is None:
        return None
    return inline_keyboard(screen.buttons, draft=screen.draft)


def location_keyboard(label: str) -> ReplyKeyboardMarkup:
    """A one-time reply keyboard with a single "share my location" button."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(label, request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
