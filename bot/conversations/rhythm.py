"""The rhythm screen's buttons (from /settings and onboarding's end) and a kindness day's list."""

from __future__ import annotations

from typing import Final

from bot.conversations.common import ButtonHandler
from bot.conversations.onboarding import pressed
from bot.services import rhythm
from bot.ui import rhythm as ui
from bot.ui.callbacks import Action

BUTTONS: Final[dict[Action, ButtonHandler]] = {
    Action.RHYTHM: pressed(rhythm.choose, ui.render_choose_press),
    Action.TICK: pressed(rhythm.tick, ui.render_tick_press),
}
"""The rhythm screen's buttons, and the acts on a kindness day's list."""
