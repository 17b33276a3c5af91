"""One routing table: every button action has exactly one handler, registered in one place."""

from __future__ import annotations

import pytest
from telegram.ext import CallbackQueryHandler

from bot.conversations import routes
from bot.conversations.common import ButtonHandler
from bot.ui.callbacks import Action


def test_every_action_has_a_handler() -> None:
    assert set(routes.ROUTES) == set(Action)


def test_an_action_claimed_twice_is_refused() -> None:
    async def handler(*_: object) -> None:
        return None

    one: dict[Action, ButtonHandler] = {Action.PICK: handler}
    with pytest.raises(ValueError, match="two handlers"):
        routes.merge(one, dict(one))


def test_no_flow_registers_its_own_button_handler() -> None:
    """Buttons reach their flow only through the table (basics' catch-all aside)."""
    from bot.conversations import (  # every flow module with handlers
        admin,
        daily,
        data_rights,
        inline,
        journal,
        language,
        onboarding,
        preferences,
        week,
    )

    modules = [admin, daily, data_rights, inline, journal, language, onboarding, preferences, week]
    own = [
        module.__name__
        for module in modules
        for handler in (module.build_handlers([]) if module is admin else module.build_handlers())
        if isinstance(handler, CallbackQueryHandler)
    ]
    assert own == []
