"""Keyboards built from plain rows of (label, callback data): pure, no I/O."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.ui.callbacks import Rows

__all__ = ["Rows", "inline_keyboard", "location_keyboard"]


def inline_keyboard(rows: Rows) -> InlineKeyboardMarkup:
    """An inline keyboard with one button per ``(label, callback_data)``, row by row."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def location_keyboard(label: str) -> ReplyKeyboardMarkup:
    """A one-time reply keyboard with a single "share my location" button."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(label, request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
