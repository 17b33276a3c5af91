"""Every button, dispatched from one table keyed by :class:`~bot.ui.callbacks.Action`.

Each flow module lists its buttons in ``BUTTONS``; this module merges them, refusing an action
claimed twice, and registers one ``CallbackQueryHandler`` that parses the data once and runs
the action's handler. A press whose data does not parse (forged, or from a version long gone)
falls through to the catch-all of ``basics``. ``tests/unit/test_routes.py`` checks that every
action has exactly one handler.
"""

from __future__ import annotations

from collections.abc import Mapping

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.conversations import (
    daily,
    data_rights,
    journal,
    language,
    onboarding,
    preferences,
    rhythm,
    someone,
    week,
)
from bot.conversations.common import ButtonHandler
from bot.deps import Context
from bot.ui.callbacks import Action, parse

__all__ = ["ROUTES", "merge", "routes_handler"]


def merge(*tables: Mapping[Action, ButtonHandler]) -> dict[Action, ButtonHandler]:
    """One table from the flows' tables.

    Raises:
        ValueError: Two flows claim the same action (a programming error).
    """
    merged: dict[Action, ButtonHandler] = {}
    for table in tables:
        for action, handler in table.items():
            if action in merged:
                raise ValueError(f"two handlers for {action!r}")
            merged[action] = handler
    return merged


ROUTES = merge(
    daily.BUTTONS,
    data_rights.BUTTONS,
    journal.BUTTONS,
    language.BUTTONS,
    onboarding.BUTTONS,
    preferences.BUTTONS,
    rhythm.BUTTONS,
    someone.BUTTONS,
    week.BUTTONS,
)
"""Every routed button and its handler."""


def _routed(data: object) -> bool:
    cb = parse(data) if isinstance(data, str) else None
    return cb is not None and cb.action in ROUTES


async def dispatch(update: Update, context: Context) -> None:
    """A button press: run the handler of its action."""
    query = update.callback_query
    cb = parse(query.data) if query else None
    if cb is None:
        return
    await ROUTES[cb.action](update, context, cb)


def routes_handler() -> BaseHandler[Update, Context, None]:
    """The one handler of every routed button."""
    return CallbackQueryHandler(dispatch, pattern=_routed)
