"""The health server over loopback: /healthz, /readyz, /metrics, bad requests, a busy port,
and ``kindling healthcheck`` (exit 0/1, one line)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import cli
from bot.config import ConfigError
from bot.health import HealthPortInUse, HealthServer, Probe, liveness, probe
from bot.metrics import Metrics
from scheduler.clock import ManualClock
from tests.fakes.tcp_proxy import free_port

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TICK = timedelta(seconds=2)


async def ask(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send one raw request; the status, headers and body of the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    await writer.wait_closed()
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode().split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, body


async def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    return await ask(port, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())


class Checks:
    def __init__(self) -> None:
        self.live = Probe(True, "ok: alive")
        self.ready = Probe(False, "Telegram has not been reached yet")

    async def liveness(self) -> Probe:
        return self.live

    async def readiness(self) -> Probe:
        return self.ready

    async def scrape(self) -> bytes:
        return b"kindling_up 1\n"


@pytest.fixture
async def served() -> AsyncIterator[tuple[HealthServer, Checks]]:
    checks = Checks()
    server = HealthServer(checks.liveness, checks.readiness, checks.scrape)
    await server.start("127.0.0.1", 0)
    yield server, checks
    await server.close()


def test_liveness_starting_fresh_and_stale() -> None:
    clock = ManualClock(START)
    metrics = Metrics(clock)
    assert liveness(metrics, clock.now(), TICK) == Probe(
        True, "starting: the scheduler is not running yet"
    )
    metrics.scheduler_started()
    clock.advance(timedelta(seconds=6))  # no tick yet, but within three intervals
    assert liveness(metrics, clock.now(), TICK).ok
    clock.advance(timedelta(seconds=1))
    assert liveness(metrics, clock.now(), TICK) == Probe(
        False, "the scheduler tick last completed 7 s ago"
    )
    metrics.tick_completed()
    clock.advance(timedelta(seconds=2))
    assert liveness(metrics, clock.now(), TICK) == Probe(
        True, "ok: the scheduler tick completed 2 s ago"
    )
    clock.advance(timedelta(seconds=4, milliseconds=1))
    assert not liveness(metrics, clock.now(), TICK).ok


async def test_health_and_ready_answer_200_or_503_with_one_line(
    served: tuple[HealthServer, Checks],
) -> None:
    server, checks = served
    assert server.port is not None
    status, headers, body = await get(server.port, "/healthz")
    assert (status, body) == (200, b"ok: alive\n")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert headers["Connection"] == "close"
    status, _, body = await get(server.port, "/readyz?verbose=1")
    assert (status, body) == (503, b"Telegram has not been reached yet\n")
    checks.live = Probe(False, "the scheduler tick last completed 9 s ago")
    checks.ready = Probe(True, "ok")
    assert (await get(server.port, "/healthz"))[0] == 503
    assert (await get(server.port, "/readyz"))[0] == 200


async def test_metrics_are_served_in_the_prometheus_text_format(
    served: tuple[HealthServer, Checks],
) -> None:
    server, _ = served
    assert server.port is not None
    status, headers, body = await get(server.port, "/metrics")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain; version=")
    assert body == b"kindling_up 1\n"
    status, headers, body = await ask(server.port, b"HEAD /metrics HTTP/1.1\r\n\r\n")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == str(len(b"kindling_up 1\n"))


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /nope HTTP/1.1\r\n\r\n", 404),
        (b"POST /healthz HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405),
        (b"nonsense\r\n\r\n", 400),
        (b"GET /healthz HTTP/1.1\r\nX: " + b"a" * 9000 + b"\r\n\r\n", 431),
    ],
)
async def test_anything_else_gets_a_plain_error(
    served: tuple[HealthServer, Checks], request_bytes: bytes, status: int
) -> None:
    server, _ = served
    assert server.port is not None
    assert (await ask(server.port, request_bytes))[0] == status


async def test_a_client_that_hangs_up_early_does_not_break_the_server(
    served: tuple[HealthServer, Checks],
) -> None:
    server, _ = served
    assert server.port is not None
    _, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET /hea")
    writer.close()
    await writer.wait_closed()
    assert (await get(server.port, "/healthz"))[0] == 200


async def test_a_busy_port_is_one_clear_configuration_error(
    served: tuple[HealthServer, Checks],
) -> None:
    server, checks = served
    assert server.port is not None
    second = HealthServer(checks.liveness, checks.readiness, checks.scrape)
    with pytest.raises(HealthPortInUse) as raised:
        await second.start("127.0.0.1", server.port)
    assert isinstance(raised.value, ConfigError)  # so the CLI exits 2 with this line
    assert str(raised.value) == (
        f"HEALTH_PORT: 127.0.0.1:{server.port} is already in use (another Kindling, or "
        "another program?); choose a free port"
    )


async def test_an_address_that_cannot_be_listened_on_names_health_listen() -> None:
    checks = Checks()
    server = HealthServer(checks.liveness, checks.readiness, checks.scrape)
    with pytest.raises(ConfigError, match=r"^HEALTH_LISTEN: cannot listen on 192\.0\.2\.1:"):
        await server.start("192.0.2.1", 0)  # TEST-NET-1: never an address of this machine


async def test_probe_reads_the_answer_and_reports_no_server(
    served: tuple[HealthServer, Checks],
) -> None:
    server, checks = served
    assert server.port is not None
    port = server.port
    wildcard = "0.0.0.0"  # noqa: S104 - asked on loopback, never bound
    assert await asyncio.to_thread(probe, wildcard, port) == Probe(True, "ok: alive")
    checks.live = Probe(False, "the scheduler tick last completed 9 s ago")
    assert await asyncio.to_thread(probe, "127.0.0.1", port) == Probe(
        False, "the scheduler tick last completed 9 s ago"
    )
    await server.close()
    refused = await asyncio.to_thread(probe, "127.0.0.1", port)
    assert not refused.ok
    assert refused.detail.startswith(f"no answer from 127.0.0.1:{port} (")


async def test_healthcheck_command_exits_0_or_1_with_one_line(
    served: tuple[HealthServer, Checks],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    server, checks = served
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.delenv("HEALTH_LISTEN", raising=False)
    monkeypatch.setenv("HEALTH_PORT", str(server.port))
    assert await asyncio.to_thread(cli.healthcheck, None) == 0
    assert capsys.readouterr().out == "kindling: healthy: ok: alive\n"
    checks.live = Probe(False, "the scheduler tick last completed 9 s ago")
    assert await asyncio.to_thread(cli.main, ["healthcheck"]) == 1
    assert capsys.readouterr().out == (
        "kindling: unhealthy: the scheduler tick last completed 9 s ago\n"
    )


def test_healthcheck_without_a_port_or_with_a_bad_setting_is_unhealthy(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("HEALTH_PORT", raising=False)
    assert cli.healthcheck(None) == 1
    assert capsys.readouterr().out == (
        "kindling: unhealthy: HEALTH_PORT is not set, so the bot serves no health checks\n"
    )
    monkeypatch.setenv("HEALTH_PORT", "nine")
    assert cli.healthcheck(None) == 1  # never 2: Docker reserves it
    assert capsys.readouterr().out == "kindling: unhealthy: HEALTH_PORT: expected a number\n"
    monkeypatch.setenv("HEALTH_PORT", str(free_port()))
    assert cli.healthcheck(None) == 1
    assert capsys.readouterr().out.startswith("kindling: unhealthy: no answer from 127.0.0.1:")
