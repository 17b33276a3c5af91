"""``bot.runner.serve`` in-process: outages at start-up and while running, a rejected token,
stopping (also mid-retry), and webhook mode over loopback HTTP.

Retry delays go through an injected backoff that records them and moves a fake monotonic
clock, so a long outage costs no real time. Polling retries inside python-telegram-bot wait
real seconds (1 s, then 1.5 s); the running-outage test pays for two of them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po
from sqlmodel import select
from telegram import BotCommand

from bot import app as app_module
from bot import i18n, runner
from bot.config import ConfigError, Settings, load_settings
from bot.deps import KindlingApplication
from bot.i18n import available_languages, translator_for
from bot.outage import OutageMonitor
from bot.runner import Runtime, TokenRejected, serve
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.http_server import FakeTelegramServer
from bot.sandbox.models import RecordedCall
from bot.sandbox.request import FakeRequest
from bot.sandbox.webhook import SECRET_HEADER
from storage.engine import Database
from storage.models import User
from tests.fakes.tcp_proxy import free_port

TOKEN = "123456:" + "R" * 35
WEBHOOK_SECRET = "kindling-webhook-secret_42"
WELCOME = "Hi Ana, I'm Kindling."  # the first message of the answer to /start
WAIT = 10.0  # seconds; only a bound for waits on events, never a timing assertion
DEFAULT_SCOPE = '{"type": "default"}'
PROFILE_METHODS = ("setMyCommands", "setMyDescription", "setMyShortDescription")

# The start-up retry delays for 12 failed getMe calls: x1.5 each time, capped at 30 s.
EXPECTED_DELAYS = [
    1.0,
    1.5,
    2.25,
    3.375,
    5.0625,
    7.59375,
    11.390625,
    17.0859375,
    25.62890625,
    30.0,
    30.0,
    30.0,
]


# -- helpers -----------------------------------------------------------------------------------


class FakeMonotonic:
    """A monotonic clock for the OutageMonitor that only the backoff moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class ScriptedBackoff:
    """Stands in for the wait between start-up retries: records the delay, waits no time.

    After ``recover_after`` waits it brings Telegram back (``fake.faults.down = False``).
    """

    fake: FakeTelegram
    clock: FakeMonotonic = field(default_factory=FakeMonotonic)
    recover_after: int | None = None
    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock.now += seconds
        if self.recover_after is not None and len(self.delays) >= self.recover_after:
            self.fake.faults.down = False
        await asyncio.sleep(0)  # a real backoff yields to the loop; so does this one


class WatchedMonitor(OutageMonitor):
    """An OutageMonitor a test can wait on (failures and recoveries counted)."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(monotonic)
        self.failures = 0
        self.recoveries = 0
        self._changed = asyncio.Event()

    def failed(self, reason: str) -> None:
        super().failed(reason)
        self.failures += 1
        self._changed.set()

    def succeeded(self) -> None:
        was_down = self.down_since is not None
        super().succeeded()
        if was_down:
            self.recoveries += 1
            self._changed.set()

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = WAIT,  # noqa: ASYNC109 - a deadline is the point
    ) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()


@dataclass
class Spy:
    """What ``serve`` built: the Application and the Database."""

    apps: list[KindlingApplication] = field(default_factory=list)
    dbs: list[Any] = field(default_factory=list)

    @property
    def app(self) -> KindlingApplication:
        assert len(self.apps) == 1
        return self.apps[0]

    @property
    def db(self) -> Any:
        assert len(self.dbs) == 1
        return self.dbs[0]


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    spy = Spy()
    real_build = app_module.build_application

    def build(*args: Any, **kwargs: Any) -> KindlingApplication:
        app = real_build(*args, **kwargs)
        spy.apps.append(app)
        return app

    class RecordingDatabase(Database):
        disposed = False

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            spy.dbs.append(self)

        async def dispose(self) -> None:
            await super().dispose()
            self.disposed = True

    monkeypatch.setattr(runner, "build_application", build)
    monkeypatch.setattr(runner, "Database", RecordingDatabase)
    return spy


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'k.sqlite3'}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(None, telegram_bot_token=TOKEN, database_url=database_url)


def in_process(fake: FakeTelegram, **kwargs: Any) -> Runtime:
    """A Runtime whose requests go to ``fake`` without a network."""
    return Runtime(request_factory=lambda: FakeRequest(fake), token=TOKEN, **kwargs)


@dataclass
class Serving:
    task: asyncio.Task[None]
    stop: asyncio.Event
    runtime: Runtime

    async def ready(self) -> None:
        """Wait until the bot runs; fail with serve's own error if it ended first."""
        waiter = asyncio.ensure_future(self.runtime.ready.wait())
        done, _ = await asyncio.wait(
            {waiter, self.task}, timeout=WAIT, return_when=asyncio.FIRST_COMPLETED
        )
        waiter.cancel()
        if self.task in done:
            self.task.result()
            pytest.fail("serve returned before the bot was ready")
        assert waiter in done, "the bot was not ready in time"

    async def finish(self) -> None:
        """Set the stop event and wait for serve to return."""
        self.stop.set()
        await asyncio.wait_for(self.task, WAIT)


@asynccontextmanager
async def serving(settings: Settings, runtime: Runtime) -> AsyncIterator[Serving]:
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop, runtime))
    try:
        yield Serving(task, stop, runtime)
    finally:
        stop.set()
        done, _ = await asyncio.wait({task}, timeout=WAIT)
        if not done:
            task.cancel()
            pytest.fail("serve did not return after the stop event")


def log_lines(caplog: pytest.LogCaptureFixture, needle: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if needle in r.getMessage()]


def as_json(commands: Sequence[BotCommand]) -> list[dict[str, str]]:
    return [{"command": c.command, "description": c.description} for c in commands]


def default_calls(fake: FakeTelegram, method: str) -> list[RecordedCall]:
    """The calls of ``method`` for the default language (no ``language_code``)."""
    return [call for call in fake.calls_to(method) if not call.params.get("language_code")]


async def users_in(database_url: str) -> list[User]:
    db = Database(database_url)
    try:
        async with db.session() as session:
            return list((await session.exec(select(User))).all())
    finally:
        await db.dispose()


# -- start-up --------------------------------------------------------------------------------


async def test_startup_waits_out_an_outage_with_growing_backoff(
    settings: Settings, spy: Spy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake = FakeTelegram(token=TOKEN)
    fake.faults.down = True
    backoff = ScriptedBackoff(fake, recover_after=len(EXPECTED_DELAYS))
    runtime = in_process(fake, backoff=backoff, monitor=OutageMonitor(backoff.clock))

    async with serving(settings, runtime) as bot:
        await bot.ready()

        assert backoff.delays == pytest.approx(EXPECTED_DELAYS)
        get_me = fake.calls_to("getMe")
        assert [call.status for call in get_me] == [0] * len(EXPECTED_DELAYS) + [200]
        assert log_lines(caplog, "Telegram unreachable") == [
            "Telegram unreachable (NetworkError); retrying with backoff"
        ]
        # The monitor's clock moved only by the backoff: 164.9 s in all.
        assert log_lines(caplog, "reachable again") == ["Telegram reachable again after 165 s"]

        # The command menu was set once Telegram answered, in English, for every chat (and
        # for each translated language: see the profile tests below).
        menu = as_json(app_module.bot_commands(translator_for(None)))
        assert {"start", "help"} <= {c["command"] for c in menu}
        assert fake.commands[DEFAULT_SCOPE, ""] == menu
        assert [call.status for call in default_calls(fake, "setMyCommands")] == [200]
        assert log_lines(caplog, "Kindling is running") == ["Kindling is running as @kindling_bot"]

        ana = fake.add_user("Ana")
        await ana.send_command("/start")
        welcome, *_ = await ana.wait_for_messages(1, WAIT)
        assert WELCOME in (welcome.text or "")
        await bot.finish()


async def test_outage_while_polling_is_reported_once_and_updates_keep_flowing(
    settings: Settings, spy: Spy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake = FakeTelegram(token=TOKEN)
    monitor = WatchedMonitor()
    runtime = in_process(fake, monitor=monitor)

    async with serving(settings, runtime) as bot:
        await bot.ready()
        await fake.wait_until(lambda: fake.long_polling, WAIT)

        fake.faults.down = True
        fake.interrupt_long_polls()  # the waiting getUpdates ends; the next one meets the outage
        # Two failed polls (python-telegram-bot waits 1 s between them), then Telegram is back.
        await monitor.wait_until(lambda: monitor.failures >= 2)
        fake.faults.down = False

        # The next long poll reaches Telegram; it answers when there is an update.
        await fake.wait_until(lambda: fake.long_polling, WAIT)
        ana = fake.add_user("Ana")
        await ana.send_command("/start")
        welcome, *_ = await ana.wait_for_messages(1, WAIT)
        assert WELCOME in (welcome.text or "")
        assert monitor.recoveries == 1

        failed_polls = [c for c in fake.calls_to("getUpdates") if c.status == 0]
        assert len(failed_polls) >= 2
        assert monitor.outages == 1
        assert log_lines(caplog, "Telegram unreachable") == [
            "Telegram unreachable (NetworkError); retrying with backoff"
        ]
        assert len(log_lines(caplog, "Telegram reachable again after")) == 1
        # Network errors are the monitor's to report; the polling error callback stays quiet.
        assert log_lines(caplog, "polling for updates failed") == []
        await bot.finish()


async def test_rejected_token_is_a_config_error_and_not_retried(
    settings: Settings, spy: Spy
) -> None:
    fake = FakeTelegram(token="654321:" + "Z" * 35)  # Telegram knows another token
    backoff = ScriptedBackoff(fake)
    runtime = in_process(fake, backoff=backoff)

    with pytest.raises(TokenRejected) as caught:
        await asyncio.wait_for(serve(settings, asyncio.Event(), runtime), WAIT)

    message = str(caught.value)
    assert isinstance(caught.value, ConfigError)
    assert message.startswith("TELEGRAM_BOT_TOKEN: ")
    assert "\n" not in message
    assert TOKEN not in message
    assert TOKEN.split(":", 1)[1] not in message
    assert backoff.delays == []
    assert [call.status for call in fake.calls_to("getMe")] == [401]
    assert fake.calls_to("setMyCommands") == []
    assert spy.db.disposed


# -- stopping ----------------------------------------------------------------------------------


async def test_stop_event_shuts_everything_down(
    settings: Settings, spy: Spy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake = FakeTelegram(token=TOKEN)
    async with serving(settings, in_process(fake)) as bot:
        await bot.ready()
        await fake.wait_until(lambda: fake.long_polling, WAIT)
        app, updater = spy.app, spy.app.updater
        assert updater is not None
        assert (app.running, updater.running) == (True, True)

        await bot.finish()

        assert bot.task.result() is None
        assert (app.running, updater.running) == (False, False)
        assert spy.db.disposed
        assert not fake.long_polling
        assert [r.getMessage() for r in caplog.records if r.name == "bot.runner"][-1] == (
            "stopping"
        )


async def test_stop_during_startup_retries_returns_without_waiting_out_the_backoff(
    settings: Settings, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With the real (stop-aware) backoff and an hour before the next retry, only the stop
    # event can end the wait.
    monkeypatch.setattr(runner, "FIRST_RETRY_SECONDS", 3600.0)
    fake = FakeTelegram(token=TOKEN)
    fake.faults.down = True
    monitor = WatchedMonitor()
    async with serving(settings, in_process(fake, monitor=monitor)) as bot:
        await monitor.wait_until(lambda: monitor.failures == 1)
        await bot.finish()

        assert bot.task.result() is None
        assert not bot.runtime.ready.is_set()
        assert len(fake.calls_to("getMe")) == 1
        assert not spy.app.running
        assert spy.db.disposed


# -- webhook mode ------------------------------------------------------------------------------


def forged_start(user_id: int) -> dict[str, Any]:
    """A /start update as Telegram would send it, but posted by someone else."""
    person = {"id": user_id, "is_bot": False, "first_name": "Mallory"}
    return {
        "update_id": 900001,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Mallory"},
            "from": person,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_webhook_mode_accepts_only_updates_with_the_secret(
    database_url: str, spy: Spy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake = FakeTelegram(token=TOKEN)
    port = free_port()
    hook_url = f"http://127.0.0.1:{port}/hook"
    async with FakeTelegramServer(fake) as server:
        settings = load_settings(
            None,
            telegram_bot_token=TOKEN,
            telegram_base_url=server.base_url,
            database_url=database_url,
            webhook_url=hook_url,
            webhook_secret=WEBHOOK_SECRET,
            webhook_listen="127.0.0.1",
            webhook_port=port,
        )
        async with serving(settings, Runtime(token=TOKEN)) as bot:  # real httpx over loopback
            await bot.ready()
            assert fake.webhook is not None
            assert fake.webhook.url == hook_url
            assert fake.webhook.secret_token == WEBHOOK_SECRET
            assert fake.commands  # the menu is set in webhook mode too

            mallory = 31337
            body = json.dumps(forged_start(mallory)).encode()
            async with httpx.AsyncClient(timeout=WAIT) as client:
                for headers in (
                    {"Content-Type": "application/json"},
                    {"Content-Type": "application/json", SECRET_HEADER: "not-the-secret"},
                ):
                    response = await client.post(hook_url, content=body, headers=headers)
                    assert response.status_code == 403

            # Telegram's own push (with the secret) is processed; updates are handled in
            # order, so had the forged one been queued it would have been answered first.
            ana = fake.add_user("Ana")
            await ana.send_command("/start")
            welcome, *_ = await ana.wait_for_messages(1, WAIT)
            assert WELCOME in (welcome.text or "")
            assert fake.chat(mallory) is None
            assert all(c.params.get("chat_id") != mallory for c in fake.calls_to("sendMessage"))
            await bot.finish()

    assert [user.telegram_user_id for user in await users_in(database_url)] == [ana.id]
    assert WEBHOOK_SECRET not in caplog.text


# -- the bot's profile per language ----------------------------------------------------------

ENGLISH = translator_for(None)
EN_DESCRIPTION = app_module.bot_description(ENGLISH)
EN_SHORT = app_module.bot_short_description(ENGLISH)
LOG_ACT = "Log an act of kindness"  # one command's description
DE_LOG_ACT = "Eine Freundlichkeit eintragen"
DE_DESCRIPTION = "Kindling hilft dir, jeden Tag eine kleine Freundlichkeit zu üben."
DE_SHORT = "Jeden Tag eine kleine Freundlichkeit."
PT_SHORT = "Um pequeno gesto de gentileza por dia."
FIL_SHORT = "Isang maliit na kabutihan araw-araw."


def write_catalogs(folder: Path, catalogs: dict[str, dict[str, str]]) -> None:
    """``folder/<lang>/LC_MESSAGES/kindling.po`` and ``.mo``, as ``make i18n`` leaves them."""
    for language, entries in catalogs.items():
        catalog = Catalog(locale=language, domain=i18n.DOMAIN)
        for msgid, msgstr in entries.items():
            catalog.add(msgid, msgstr)
        messages = folder / language / "LC_MESSAGES"
        messages.mkdir(parents=True)
        with (messages / f"{i18n.DOMAIN}.po").open("wb") as po:
            write_po(po, catalog)
        with (messages / f"{i18n.DOMAIN}.mo").open("wb") as mo:
            write_mo(mo, catalog)


def clear_i18n_caches() -> None:
    for name in ("_load", "_available"):  # whichever the i18n layer has
        cached = getattr(i18n, name, None)
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Ship these catalogs instead of the real ones: ``catalogs({"de": {msgid: msgstr}})``."""
    folder = tmp_path / "locales"
    folder.mkdir()
    monkeypatch.setattr(i18n, "LOCALES_DIR", folder)
    clear_i18n_caches()

    def ship(languages: dict[str, dict[str, str]]) -> None:
        write_catalogs(folder, languages)
        clear_i18n_caches()

    yield ship
    clear_i18n_caches()


def tiny_catalogs(**german_overrides: str) -> dict[str, dict[str, str]]:
    german = {
        LOG_ACT: DE_LOG_ACT,
        EN_DESCRIPTION: DE_DESCRIPTION,
        EN_SHORT: DE_SHORT,
        **german_overrides,
    }
    return {
        "de": german,
        "pt_BR": {EN_SHORT: PT_SHORT},  # only the short description translated so far
        "fr": {},  # a catalog nobody has translated yet
        "fil": {EN_SHORT: FIL_SHORT},  # Filipino has no two-letter ISO 639-1 code
    }


def profile_calls(fake: FakeTelegram) -> list[RecordedCall]:
    return [call for call in fake.calls if call.method in PROFILE_METHODS]


async def test_startup_sets_the_profile_in_every_translated_language(
    settings: Settings, spy: Spy, catalogs: Callable[..., None]
) -> None:
    catalogs(tiny_catalogs())
    fake = FakeTelegram(token=TOKEN)
    async with serving(settings, in_process(fake)) as bot:
        await bot.ready()

        german = translator_for("de")
        english_menu = as_json(app_module.bot_commands(ENGLISH))
        german_menu = as_json(app_module.bot_commands(german))
        assert german_menu != english_menu
        assert {"command": "done", "description": DE_LOG_ACT} in german_menu

        # What people see, by the language of their Telegram app.
        assert fake.menu() == fake.menu("fr") == fake.menu("pt") == english_menu
        assert fake.menu("de") == german_menu
        assert fake.description_for("de") == DE_DESCRIPTION
        assert fake.short_description_for("de") == DE_SHORT
        assert fake.short_description_for("pt") == PT_SHORT  # pt_BR speaks for Portuguese
        assert fake.description_for("pt") == fake.description_for("fr") == EN_DESCRIPTION

        # What was stored: English once as the default, never under another language.
        assert fake.commands == {
            (DEFAULT_SCOPE, ""): english_menu,
            (DEFAULT_SCOPE, "de"): german_menu,
        }
        assert fake.descriptions == {"": EN_DESCRIPTION, "de": DE_DESCRIPTION}
        assert fake.short_descriptions == {"": EN_SHORT, "de": DE_SHORT, "pt": PT_SHORT}
        calls = profile_calls(fake)
        assert [call.status for call in calls] == [200] * 7
        assert [(c.method, c.params.get("language_code")) for c in calls] == [
            ("setMyCommands", None),
            ("setMyDescription", None),
            ("setMyShortDescription", None),
            ("setMyCommands", "de"),
            ("setMyDescription", "de"),
            ("setMyShortDescription", "de"),
            ("setMyShortDescription", "pt"),
        ]

        ana = fake.add_user("Ana")
        await ana.send_command("/start")
        welcome, *_ = await ana.wait_for_messages(1, WAIT)
        assert WELCOME in (welcome.text or "")
        await bot.finish()


async def test_a_translation_telegram_refuses_is_logged_and_skipped(
    settings: Settings, spy: Spy, catalogs: Callable[..., None], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    catalogs(tiny_catalogs(**{EN_DESCRIPTION: "Sehr lang. " * 60}))  # 660 characters
    fake = FakeTelegram(token=TOKEN)
    async with serving(settings, in_process(fake)) as bot:
        await bot.ready()

        assert log_lines(caplog, "could not set the bot") == [
            "could not set the bot's description for de (BadRequest: Description is too long); "
            "going on without it"
        ]
        assert all(record.exc_info is None for record in caplog.records)
        # The rest of German and the other languages are set all the same.
        assert fake.descriptions == {"": EN_DESCRIPTION}
        assert fake.description_for("de") == EN_DESCRIPTION
        assert fake.short_description_for("de") == DE_SHORT
        assert fake.short_description_for("pt") == PT_SHORT
        assert (DEFAULT_SCOPE, "de") in fake.commands
        assert log_lines(caplog, "Kindling is running") == ["Kindling is running as @kindling_bot"]
        await bot.finish()


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, "BadRequest"), (403, "Forbidden"), (404, "InvalidToken"), (409, "Conflict")],
)
async def test_a_refused_profile_call_never_stops_startup(
    settings: Settings,
    spy: Spy,
    catalogs: Callable[..., None],
    caplog: pytest.LogCaptureFixture,
    status: int,
    error: str,
) -> None:
    caplog.set_level(logging.INFO)
    catalogs(tiny_catalogs())
    fake = FakeTelegram(token=TOKEN)
    fake.faults.fail_next("setMyCommands", status=status)  # the default menu
    backoff = ScriptedBackoff(fake)
    async with serving(settings, in_process(fake, backoff=backoff)) as bot:
        await bot.ready()

        [line] = log_lines(caplog, "could not set the bot")
        assert line.startswith(
            f"could not set the bot's command menu for the default language ({error}: "
        )
        assert backoff.delays == []  # refused, not retried
        assert (DEFAULT_SCOPE, "") not in fake.commands
        assert (DEFAULT_SCOPE, "de") in fake.commands
        assert fake.descriptions == {"": EN_DESCRIPTION, "de": DE_DESCRIPTION}
        await bot.finish()


async def test_flood_control_ends_the_profile_round_without_waiting(
    settings: Settings, spy: Spy, catalogs: Callable[..., None], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    catalogs(tiny_catalogs())
    fake = FakeTelegram(token=TOKEN)
    fake.faults.fail_next("setMyDescription", status=429, retry_after=300)
    backoff = ScriptedBackoff(fake)
    async with serving(settings, in_process(fake, backoff=backoff)) as bot:
        await bot.ready()

        assert log_lines(caplog, "flood control") == [
            "flood control stopped setting the bot profile at the description for the default "
            "language (retry after 0:05:00 s); the rest keeps its previous values"
        ]
        assert backoff.delays == []
        assert fake.commands == {(DEFAULT_SCOPE, ""): as_json(app_module.bot_commands(ENGLISH))}
        assert fake.descriptions == fake.short_descriptions == {}
        assert [c.method for c in profile_calls(fake)] == ["setMyCommands", "setMyDescription"]
        await bot.finish()


async def test_an_outage_while_setting_the_profile_is_waited_out(
    settings: Settings, spy: Spy, catalogs: Callable[..., None]
) -> None:
    catalogs(tiny_catalogs())
    fake = FakeTelegram(token=TOKEN)
    fake.faults.fail_next("setMyShortDescription", count=2, status=502)
    backoff = ScriptedBackoff(fake)
    runtime = in_process(fake, backoff=backoff, monitor=OutageMonitor(backoff.clock))
    async with serving(settings, runtime) as bot:
        await bot.ready()

        assert backoff.delays == pytest.approx([1.0, 1.5])
        assert fake.short_descriptions == {"": EN_SHORT, "de": DE_SHORT, "pt": PT_SHORT}
        # What was set before the outage is not set again.
        assert [c.status for c in default_calls(fake, "setMyCommands")] == [200]
        assert [c.status for c in default_calls(fake, "setMyShortDescription")] == [502, 502, 200]
        await bot.finish()


async def test_startup_profile_follows_the_shipped_catalogs(settings: Settings, spy: Spy) -> None:
    # Whatever is translated today: every language shows its own texts or, untranslated,
    # the English default; English is never stored under another language's code.
    fake = FakeTelegram(token=TOKEN)
    async with serving(settings, in_process(fake)) as bot:
        await bot.ready()

        shipped = available_languages()
        english_menu = as_json(app_module.bot_commands(ENGLISH))
        for catalog in shipped:
            language = runner.telegram_language(catalog)
            if language is None or ("_" in catalog and language in shipped):
                continue  # no profile of its own, or the plain language's catalog speaks
            t = translator_for(catalog)
            assert fake.menu(language) == as_json(app_module.bot_commands(t)), catalog
            assert fake.description_for(language) == app_module.bot_description(t), catalog
            short = app_module.bot_short_description(t)
            assert fake.short_description_for(language) == short, catalog
        for (_, language), menu in fake.commands.items():
            assert (language == "") == (menu == english_menu)
        for language, text in fake.descriptions.items():
            assert (language == "") == (text == EN_DESCRIPTION)
        for language, text in fake.short_descriptions.items():
            assert (language == "") == (text == EN_SHORT)
        assert all(call.status == 200 for call in profile_calls(fake))
        await bot.finish()
