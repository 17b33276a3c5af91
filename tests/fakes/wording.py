"""Wording that the code chooses by date or by chance, as every variant it can produce.

A test that waits for "the goodnight" must accept each of the goodnights, whichever the
person's local date picks; these lists come from the code itself, so a new variant is covered
the day it is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from bot.i18n import translator_for
from bot.ui import daily, variants

__all__ = ["CELEBRATIONS", "GOODNIGHTS", "NOT_TODAY", "OPENERS", "shows_one_of"]

_EN = translator_for("en")

GOODNIGHTS: Final = tuple(daily.goodnight(_EN, variant=i) for i in range(variants.GOODNIGHT_COUNT))
CELEBRATIONS: Final = tuple(variants.celebrations(_EN))
NOT_TODAY: Final = tuple(variants.not_today_replies(_EN))
OPENERS: Final = tuple(variants.openers(_EN))


def shows_one_of(text: str | None, choices: Iterable[str]) -> bool:
    """Whether ``text`` (a message, maybe with more around it) shows any of ``choices``."""
    return text is not None and any(choice in text for choice in choices)
