"""The old names of the rendered answers, until every flow renders in ``bot.ui``."""

from __future__ import annotations

from bot.ui.screens import PressAnswer as Outcome
from bot.ui.screens import ReplyAnswer as Reply

__all__ = ["Outcome", "Reply"]
