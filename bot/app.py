"""The composition root: builds the Application and registers every handler, in one place."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.config import Settings
from bot.conversations import (
    admin,
    basics,
    crisis,
    daily,
    data_rights,
    inline,
    journal,
    language,
    onboarding,
    preferences,
    reactions,
    routes,
    someone,
    week,
)
from bot.deps import Deps, KindlingApplication
from bot.errors import on_error
from bot.flood import Sleep, WaitOutFloodControl
from bot.front_door import FrontDoorApplication
from bot.i18n import Translator
from bot.kindness.catalog import default_catalog
from bot.metrics import MeasuredApplication, Metrics
from bot.services.admin import AlertThrottle
from bot.ui.daily import check_act_buttons
from scheduler.clock import Clock
from storage.engine import Database


def build_application(
    settings: Settings,
    *,
    db: Database,
    clock: Clock,
    token: str,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    flood_sleep: Sleep | None = None,
    on_reply: Callable[[], None] | None = None,
) -> KindlingApplication:
    """Wire settings, storage and handlers into a python-telegram-bot Application.

    Args:
        settings: The operator's configuration.
        db: The database every service uses.
        clock: The source of "now" for every handler.
        token: The bot token (the sandbox passes its own).
        request: The HTTP backend for API calls; tests pass the in-process fake.
        get_updates_request: The backend for long polling; defaults to ``request``'s kind.
        flood_sleep: How a reply waits out a 429; tests pass one that moves their clock.
        on_reply: Called before each reply that sends a message, so prompts make room for it
            within Telegram's limit (the prompt sender's ``RateLimiter.sent_elsewhere``).
    """
    reply_limiter = WaitOutFloodControl(sleep=flood_sleep or asyncio.sleep, on_message=on_reply)
    builder = (
        ApplicationBuilder()
        .application_class(FrontDoorApplication)
        .token(token)
        .base_url(settings.telegram_base_url)
        .context_types(ContextTypes(bot_data=Deps))
        .rate_limiter(reply_limiter)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application: KindlingApplication = builder.build()  # type: ignore[assignment]

    # The act catalog is read and checked now, so a bad content file stops start-up.
    check_act_buttons(default_catalog())

    deps: Deps = application.bot_data
    deps.settings = settings
    deps.db = db
    deps.clock = clock
    # Metrics live in a registry of this Application's own, so tests never share counts.
    deps.metrics = Metrics(clock)
    deps.metrics.watch_reply_waits(lambda: reply_limiter.waits)
    deps.alerts = AlertThrottle()
    assert isinstance(application, MeasuredApplication)
    application.metrics = deps.metrics

    # 0. Crisis safety, in its own earlier group: every text is screened before any flow
    # sees it; on a match the screen answers and stops all further handling. The support
    # button of inline mode ("/start crisis") is answered here too, before onboarding.
    application.add_handler(crisis.start_handler(), group=-1)
    application.add_handler(crisis.screen_handler(), group=-1)

    # Order matters: PTB tries the handlers of a group top to bottom and stops at the first
    # match, so flows that own a step come before the catch-alls of `basics`.
    handlers = [
        # 1. Groups and channels: explain, store nothing.
        *basics.gatekeepers(),
        # 2. Commands and buttons of each flow.
        *onboarding.build_handlers(),
        *basics.build_handlers(),
        *crisis.build_handlers(),
        *daily.build_handlers(),
        routes.routes_handler(),  # every button of a flow that lists its BUTTONS
        *preferences.build_handlers(),
        *language.build_handlers(),
        *journal.build_handlers(),
        *week.build_handlers(),
        *data_rights.build_handlers(),
        *inline.build_handlers(),
        *reactions.build_handlers(),  # a reaction on today's act logs it
        *someone.build_handlers(),  # the contact picker's answer
        *admin.build_handlers(settings.admin_ids),  # admins only; others reach the catch-all
        # 3. Free text: the answer to an open step (kept in the database), or a hint.
        daily.text_handler(),
        # 4. Catch-alls: unknown commands, unknown buttons, stickers and files.
        *basics.fallbacks(),
    ]
    for handler in handlers:
        application.add_handler(handler)
    application.add_error_handler(on_error)
    return application


def bot_description(t: Translator) -> str:
    """The "What can this bot do?" text shown before the first /start (setMyDescription)."""
    return t(
        "Kindling helps you practise one small act of kindness a day: an idea in the "
        "morning at a time you choose, a tap when it's done, and a short evening look back. "
        "Nothing to keep up with, and “not today” is always fine. It is not therapy: /crisis "
        "shows where to find help right now."
    )


def bot_short_description(t: Translator) -> str:
    """The line on the bot's profile and in shared links (setMyShortDescription)."""
    return t("A small act of kindness a day, chosen with you. Gentle, private, never pushy.")


def bot_commands(t: Translator) -> list[BotCommand]:
    """The command menu shown in Telegram clients (setMyCommands)."""
    return [
        BotCommand("today", t("Today's act, or a few ideas to choose from")),
        BotCommand("done", t("Log an act of kindness")),
        BotCommand("reflect", t("Look back on today")),
        BotCommand("journal", t("Look back at what you did and received")),
        BotCommand("week", t("Your week in kindness, with a chart")),
        BotCommand("settings", t("Times, time zone, days and pauses")),
        BotCommand("language", t("Choose the language I write in")),
        BotCommand("pause", t("Pause the prompts for a while")),
        BotCommand("resume", t("Switch the prompts back on")),
        BotCommand("privacy", t("What I keep about you, and why")),
        BotCommand("export", t("Everything I keep about you, as files")),
        BotCommand("delete", t("Erase everything I keep about you")),
        BotCommand("help", t("What I can do, and where to find support")),
        BotCommand("crisis", t("Where to find help right now")),
        BotCommand("start", t("Set up Kindling or switch it back on")),
    ]
