"""The health server inside ``serve``: it answers while Telegram is away, /readyz turns ready
once Telegram was reached, /healthz follows the scheduler tick, /metrics counts people; a
busy HEALTH_PORT stops the bot with one line and exit status 2."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import cli, runner
from bot.app import build_application
from bot.config import load_settings
from bot.deps import KindlingApplication
from bot.health import HealthPortInUse
from bot.runner import Runtime, serve
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.request import FakeRequest
from scheduler.clock import ManualClock
from storage.migrate import upgrade_to_head
from tests.fakes.scrape import value
from tests.fakes.tcp_proxy import free_port

TOKEN = "123456:" + "H" * 35
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WAIT = 10.0  # a bound for waiting on events, never a timing assertion


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


async def test_health_answers_while_telegram_is_away_then_ready(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[KindlingApplication] = []
    ticked = asyncio.Event()

    def build(*args: Any, **kwargs: Any) -> KindlingApplication:
        application = build_application(*args, **kwargs)
        metrics = application.bot_data.metrics
        record = metrics.tick_completed

        def tick_completed() -> None:
            record()
            ticked.set()

        monkeypatch.setattr(metrics, "tick_completed", tick_completed)
        built.append(application)
        return application

    monkeypatch.setattr(runner, "build_application", build)
    url = f"sqlite:///{tmp_path / 'data' / 'k.sqlite3'}"
    await upgrade_to_head(url)
    port = free_port()
    fake = FakeTelegram(token=TOKEN)
    fake.faults.down = True
    retrying = asyncio.Event()
    telegram_back = asyncio.Event()

    async def backoff(_seconds: float) -> None:
        retrying.set()  # getMe failed: start-up waits for Telegram
        await telegram_back.wait()

    runtime = Runtime(
        clock=ManualClock(NOW),
        token=TOKEN,
        request_factory=lambda: FakeRequest(fake),
        backoff=backoff,
    )
    settings = load_settings(None, telegram_bot_token=TOKEN, database_url=url, health_port=port)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop, runtime))
    try:
        await asyncio.wait_for(retrying.wait(), WAIT)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            live = await client.get("/healthz")
            assert (live.status_code, live.text) == (
                200,
                "starting: the scheduler is not running yet\n",
            )
            ready = await client.get("/readyz")
            assert (ready.status_code, ready.text) == (
                503,
                "Telegram has not been reached yet\n",
            )

            fake.faults.down = False
            telegram_back.set()
            await asyncio.wait_for(runtime.ready.wait(), WAIT)
            ready = await client.get("/readyz")
            assert (ready.status_code, ready.text) == (
                200,
                "ok: the database answers and Telegram was reached\n",
            )
            await asyncio.wait_for(ticked.wait(), WAIT)  # the first tick runs at once
            live = await client.get("/healthz")
            assert live.status_code == 200
            assert live.text == "ok: the scheduler tick completed 0 s ago\n"

            scrape = await client.get("/metrics")
            assert scrape.status_code == 200
            assert value(scrape.text, "kindling_people", state="active") == 0
            version = built[0].bot_data.metrics.version
            assert value(scrape.text, "kindling_build_info", version=version) == 1
    finally:
        stop.set()
        await asyncio.wait_for(task, WAIT)
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(f"http://127.0.0.1:{port}/healthz")  # closed at shutdown


async def test_a_busy_health_port_stops_serve(tmp_path: Path, busy_port: int) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'k.sqlite3'}"
    fake = FakeTelegram(token=TOKEN)
    runtime = Runtime(
        clock=ManualClock(NOW), token=TOKEN, request_factory=lambda: FakeRequest(fake)
    )
    settings = load_settings(
        None, telegram_bot_token=TOKEN, database_url=url, health_port=busy_port
    )
    with pytest.raises(HealthPortInUse, match="is already in use"):
        await asyncio.wait_for(serve(settings, asyncio.Event(), runtime), WAIT)
    assert fake.calls_to("getMe") == []  # it stopped before asking Telegram anything


def test_cli_exits_2_with_one_line_for_a_busy_health_port(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    busy_port: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:9/bot")  # never reached
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'k.sqlite3'}")
    monkeypatch.setenv("HEALTH_PORT", str(busy_port))
    assert cli.main(["run"]) == cli.EXIT_CONFIG
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("kindling:")] == [
        f"kindling: HEALTH_PORT: 127.0.0.1:{busy_port} is already in use (another Kindling, "
        "or another program?); choose a free port"
    ]
