"""Start-up, the update loop (polling or webhook), and a clean shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit

from telegram import Bot, BotCommand, Update
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.request import BaseRequest, HTTPXRequest

from bot.app import bot_commands, bot_description, bot_short_description, build_application
from bot.config import ConfigError, Settings
from bot.db_startup import prepare_database
from bot.deps import KindlingApplication
from bot.errors import describe_failure
from bot.health import HealthServer, start_health_server
from bot.i18n import Translator, available_languages, translator_for
from bot.instance_lock import InstanceLock
from bot.outage import MonitoredRequest, OutageMonitor
from bot.outbox import compose_messages
from bot.prompt_request import PromptRequest
from bot.services.prompts import PromptKey
from bot.ui.screens import Screen
from bot.webhook_server import WebhookServer, register_webhook
from scheduler.clock import Clock, SystemClock
from scheduler.delivery import Delivery, instance_id
from scheduler.lease import SendLease
from scheduler.sender import DEFAULT_MAX_IN_FLIGHT, RateLimiter, Sender, connections_for
from storage.engine import Database

logger = logging.getLogger(__name__)

Backoff = Callable[[float], Awaitable[None]]
RequestFactory = Callable[[], BaseRequest]

FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 30.0
SHUTDOWN_SECONDS = 8.0  # systemd and Docker give 10 s before SIGKILL
TICK_SECONDS = 2.0  # the planner tick; prompts go out within this of their due instant


class TokenRejected(ConfigError):
    """Telegram answered 401/404 to getMe: the token is wrong or revoked."""


@dataclass
class Runtime:
    """How the bot reaches the outside world; tests and the sandbox replace parts of it."""

    clock: Clock = field(default_factory=SystemClock)
    token: str | None = None  # defaults to the configured token
    request_factory: RequestFactory | None = None  # defaults to httpx
    backoff: Backoff | None = None  # how to wait between retries; defaults to the stop event
    monitor: OutageMonitor = field(default_factory=OutageMonitor)
    ready: asyncio.Event = field(default_factory=asyncio.Event)


async def serve(settings: Settings, stop: asyncio.Event, runtime: Runtime | None = None) -> None:
    """Run the bot until ``stop`` is set.

    Raises:
        TokenRejected: Telegram does not accept the token.
    """
    runtime = runtime or Runtime()
    token = runtime.token or settings.token
    lock = InstanceLock(settings.database_url)
    lock.acquire()  # before migrating: a second process must not touch the database at all
    try:
        await _serve(settings, stop, runtime, token)
    finally:
        lock.release()


async def _serve(settings: Settings, stop: asyncio.Event, runtime: Runtime, token: str) -> None:
    backoff = runtime.backoff or _stop_aware_sleep(stop)
    if not await prepare_database(settings.database_url, stop, backoff):
        return  # stopped while waiting for the database
    db = Database(settings.database_url)
    make_request = runtime.request_factory or _httpx_request
    # One budget for the bot: every reply makes the prompts leave room for it.
    prompt_limiter = RateLimiter(settings.send_rate)
    application = build_application(
        settings,
        db=db,
        clock=runtime.clock,
        token=token,
        request=MonitoredRequest(make_request(), runtime.monitor),
        get_updates_request=MonitoredRequest(make_request(), runtime.monitor),
        on_reply=prompt_limiter.sent_elsewhere,
    )
    # Prompts go out through a Bot of their own (its own connection pool), so a burst never
    # delays the replies the handlers send.
    # It borrows the identity the application's getMe established instead of asking again,
    # so it only opens its request object (and closes it at the end).
    # Its pool holds as many connections as SEND_RATE needs, and it never asks more of it.
    connections = connections_for(settings.send_rate)
    # Over aiohttp, not HTTPX: httpcore's pool bookkeeping was the sender's largest cost
    # (bot/prompt_request.py).
    sender_request = MonitoredRequest(
        runtime.request_factory() if runtime.request_factory else PromptRequest(connections),
        runtime.monitor,
    )
    sender_bot = Bot(token, base_url=settings.telegram_base_url, request=sender_request)

    async def compose(keys: Sequence[PromptKey]) -> list[Screen | None]:
        return await compose_messages(db, runtime.clock, keys)

    metrics = application.bot_data.metrics
    # One send budget for the bot: on PostgreSQL only the instance holding the sender lease
    # claims and sends prompts (on SQLite, a single instance, it is always held).
    lease = SendLease(db, runtime.clock, instance_id())
    delivery = Delivery(
        db,
        runtime.clock,
        Sender(
            sender_bot,
            prompt_limiter,
            observer=metrics,
            paid_broadcast=settings.paid_broadcast,
            max_in_flight=connections,
        ),
        compose,
        observer=metrics,
        lease=lease,
    )
    dispatch_stop = asyncio.Event()
    dispatcher: asyncio.Task[None] | None = None
    health: HealthServer | None = None
    webhook: WebhookServer | None = None
    try:
        # Before Telegram is asked anything: health must answer while Telegram is away.
        tick_interval = timedelta(seconds=TICK_SECONDS)
        health = await start_health_server(settings, application, tick_interval=tick_interval)
        if not await _retry(application.initialize, stop, backoff):
            return
        # The menu and descriptions in English (the default) and every translated language.
        profile_calls = _profile_calls(application.bot, bot_profiles())
        await _retry(lambda: _set_profile(profile_calls), stop, backoff)
        await sender_request.initialize()
        await delivery.recover()
        await application.start()
        _schedule_tick(application, delivery)
        dispatcher = asyncio.create_task(delivery.run(dispatch_stop), name="prompt-dispatcher")
        webhook = await _start_updates(application, settings, stop, backoff)
        logger.info("Kindling is running as @%s", application.bot.username)
        runtime.ready.set()
        await stop.wait()
        logger.info("stopping")
    finally:
        dispatch_stop.set()
        if dispatcher is not None:
            await _finish_dispatcher(dispatcher)
        await sender_request.shutdown()
        await _shutdown(application, webhook)
        await _release(lease)  # after the tick stopped, so nothing renews it again
        if health is not None:
            await health.close()
        await db.dispose()


def _schedule_tick(application: KindlingApplication, delivery: Delivery) -> None:
    """Register the one periodic scheduler job (not one job per person)."""
    metrics = application.bot_data.metrics

    async def tick(_context: object) -> None:
        try:
            await delivery.tick()
        except Exception as error:
            metrics.error_seen(error)
            logger.error("scheduler tick failed: %s", describe_failure(error))
        # A tick that failed still ran: /healthz is about the scheduler being alive, and a
        # database outage shows in /readyz instead (restarting would not fix it).
        metrics.tick_completed()

    job_queue = application.job_queue
    assert job_queue is not None
    job_queue.run_repeating(
        tick,
        interval=TICK_SECONDS,
        first=0.0,
        name="prompt-tick",
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
    metrics.scheduler_started()


async def _finish_dispatcher(dispatcher: asyncio.Task[None]) -> None:
    """Let the batch in flight be sent and recorded; a hard stop leaves it to recovery."""
    try:
        await asyncio.wait_for(dispatcher, timeout=SHUTDOWN_SECONDS / 2)
    except TimeoutError:
        logger.warning("prompts still sending at shutdown; they are resolved at the next start")


async def _release(lease: SendLease) -> None:
    """Hand the sender lease over at once; if the database is away it simply expires."""
    try:
        await lease.release()
    except Exception as error:
        logger.warning(
            "could not release the sender lease (%s); it expires", describe_failure(error)
        )


def _httpx_request(connections: int = DEFAULT_MAX_IN_FLIGHT) -> BaseRequest:
    return HTTPXRequest(connection_pool_size=connections)


async def _retry(
    action: Callable[[], Awaitable[object]], stop: asyncio.Event, backoff: Backoff
) -> bool:
    """Call ``action`` until it succeeds; False if ``stop`` was set first."""
    delay = FIRST_RETRY_SECONDS
    while not stop.is_set():
        try:
            await action()
            return True
        except InvalidToken:
            raise TokenRejected(
                "TELEGRAM_BOT_TOKEN: Telegram rejected the token (check it with @BotFather, "
                "and TELEGRAM_BASE_URL if you changed it)"
            ) from None
        except NetworkError:
            # The monitor has already logged the outage; wait and try again.
            await backoff(delay)
            delay = min(MAX_RETRY_SECONDS, delay * 1.5)
    return False


def _stop_aware_sleep(stop: asyncio.Event) -> Backoff:
    async def sleep(seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)

    return sleep


@dataclass(frozen=True)
class BotProfile:
    """What Telegram shows of the bot in one language: the menu and the two descriptions.

    A field left ``None`` is not sent: the language has no translation of it yet, and the
    default (English) one applies to it.
    """

    language_code: str | None  # None: the default, for every language without its own
    commands: list[BotCommand] | None
    description: str | None
    short_description: str | None


_LANGUAGE_SUBTAG = re.compile(r"[a-z]{2}")


def telegram_language(catalog_code: str) -> str | None:
    """The ``language_code`` of the bot's profile settings for a catalog (``pt_BR`` -> ``pt``).

    Telegram takes only an empty code or a two-letter ISO 639-1 code there (TDLib's
    ``validate_bot_language_code``), and applies it to every user whose language is that one,
    whatever the region; a language without a two-letter code has no profile of its own.
    """
    language = re.split(r"[_@-]", catalog_code, maxsplit=1)[0].lower()
    return language if _LANGUAGE_SUBTAG.fullmatch(language) else None


def bot_profiles() -> list[BotProfile]:
    """The default profile (English) and one per shipped language that translates any of it.

    A text equal to the English one (an untranslated catalog) is left out, so English is never
    set under another language's code; a language with nothing translated gets no calls.
    When two catalogs share a language (``pt`` and ``pt_BR``), the plain one speaks for it.
    """
    english = _profile_texts(translator_for(None))
    profiles = [BotProfile(None, *english)]
    catalogs = sorted(available_languages(), key=lambda code: ("_" in code, code))
    seen = {"en"}
    for catalog in catalogs:
        language = telegram_language(catalog)
        if language is None or language in seen:
            continue
        seen.add(language)
        commands, description, short = _profile_texts(translator_for(catalog))
        profile = BotProfile(
            language,
            commands=None if commands == english[0] else commands,
            description=None if description == english[1] else description,
            short_description=None if short == english[2] else short,
        )
        if (profile.commands, profile.description, profile.short_description) != (None,) * 3:
            profiles.append(profile)
    return profiles


def _profile_texts(t: Translator) -> tuple[list[BotCommand], str, str]:
    return bot_commands(t), bot_description(t), bot_short_description(t)


ProfileCall = tuple[str, str, Callable[[], Awaitable[object]]]  # what, language, the call


def _profile_calls(bot: Bot, profiles: Sequence[BotProfile]) -> list[ProfileCall]:
    calls: list[ProfileCall] = []
    for profile in profiles:
        code = profile.language_code
        language = code or "the default language"
        if profile.commands is not None:
            call = partial(bot.set_my_commands, profile.commands, language_code=code)
            calls.append(("command menu", language, call))
        if profile.description is not None:
            call = partial(bot.set_my_description, profile.description, language_code=code)
            calls.append(("description", language, call))
        if profile.short_description is not None:
            short = profile.short_description
            call = partial(bot.set_my_short_description, short, language_code=code)
            calls.append(("short description", language, call))
    return calls


async def _set_profile(pending: list[ProfileCall]) -> None:
    """Make the profile calls still ``pending``; a refusal never stops the bot from starting.

    Network trouble propagates, so ``_retry`` waits for Telegram and calls again with what is
    left. Anything Telegram refuses (a translation too long, say) is logged in one line and
    skipped; flood control ends the round for this start (the rest keeps its earlier values).
    Nothing is read back first (``getMyDescription`` and friends would double the calls), so
    every start sets the whole profile again.
    """
    while pending:
        what, language, call = pending[0]
        try:
            await call()
        except RetryAfter as error:
            logger.warning(
                "flood control stopped setting the bot profile at the %s for %s "
                "(retry after %s s); the rest keeps its previous values",
                what,
                language,
                error.retry_after,
            )
            pending.clear()
            return
        except BadRequest as error:  # a NetworkError in python-telegram-bot, but final
            _profile_refused(what, language, error)
        except NetworkError:
            raise  # Telegram is away: _retry waits and calls again
        except TelegramError as error:
            # InvalidToken included: getMe has just accepted the token, so a 404 here is a
            # method this Bot API server does not know, not a reason to stop.
            _profile_refused(what, language, error)
        pending.pop(0)


def _profile_refused(what: str, language: str, error: TelegramError) -> None:
    logger.warning(
        "could not set the bot's %s for %s (%s: %s); going on without it",
        what,
        language,
        type(error).__name__,
        error.message,
    )


async def _start_updates(
    application: KindlingApplication, settings: Settings, stop: asyncio.Event, backoff: Backoff
) -> WebhookServer | None:
    """Start receiving updates: a webhook server of our own, or PTB's long polling.

    Returns:
        The webhook server to stop at shutdown, or None when polling.
    """
    updater = application.updater
    assert updater is not None
    if settings.webhook_url:
        assert settings.webhook_secret is not None
        secret = settings.webhook_secret.get_secret_value()
        webhook = WebhookServer(
            application.bot,
            application.update_queue,
            secret=secret,
            path=urlsplit(settings.webhook_url).path,
            clock=application.bot_data.clock,
        )
        # Listening first, so Telegram's first push after setWebhook finds the server up.
        await webhook.start(settings.webhook_listen, settings.webhook_port)
        url = settings.webhook_url
        try:
            await _retry(lambda: register_webhook(application.bot, url, secret), stop, backoff)
        except BaseException:
            await webhook.stop()
            raise
        logger.info(
            "receiving updates by webhook on %s:%s", settings.webhook_listen, settings.webhook_port
        )
        return webhook
    await updater.start_polling(
        allowed_updates=Update.ALL_TYPES,
        bootstrap_retries=-1,
        error_callback=_polling_error,
    )
    logger.info("receiving updates by long polling")
    return None


def _polling_error(error: TelegramError) -> None:
    # Network errors are reported once per outage by the OutageMonitor; anything else (for
    # example 409 Conflict when a second copy polls the same token) is worth a line each time.
    if not isinstance(error, NetworkError):
        logger.warning("polling for updates failed: %s", error.message)


async def _shutdown(application: KindlingApplication, webhook: WebhookServer | None) -> None:
    async def stop_all() -> None:
        # The webhook goes first: an update it accepted after the Application stopped would
        # be lost, while one it cannot take now Telegram delivers again later.
        if webhook is not None:
            await webhook.stop()
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()

    try:
        await asyncio.wait_for(stop_all(), timeout=SHUTDOWN_SECONDS)
    except TimeoutError:
        logger.warning("shutdown took longer than %s s; exiting anyway", SHUTDOWN_SECONDS)


def install_signal_handlers(stop: asyncio.Event) -> None:
    """Make SIGINT and SIGTERM set ``stop`` for a clean shutdown."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
