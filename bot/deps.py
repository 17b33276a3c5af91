"""What every handler may use, typed, in ``context.bot_data`` (PTB's ContextTypes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.config import Settings
from bot.metrics import Metrics
from bot.services.admin import AlertThrottle
from scheduler.clock import Clock
from storage.engine import Database


@dataclass(eq=False)
class Deps:
    """Application-wide dependencies.

    python-telegram-bot instantiates the ``bot_data`` type with no arguments, so the fields are
    declared here and filled in by :func:`bot.app.build_application` before any update runs.
    """

    settings: Settings = field(init=False)
    db: Database = field(init=False)
    clock: Clock = field(init=False)
    metrics: Metrics = field(init=False)
    alerts: AlertThrottle = field(init=False)


Context = CallbackContext[ExtBot[int], dict[Any, Any], dict[Any, Any], Deps]
KindlingApplication = Application[
    ExtBot[int], Context, dict[Any, Any], dict[Any, Any], Deps, JobQueue[Context]
]
