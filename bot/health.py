"""Health checks and metrics over a tiny HTTP server (``HEALTH_PORT``), and the probe for it.

* ``GET /healthz``: the process is alive and its scheduler tick completed within the last
  three intervals. While start-up still waits for Telegram the tick is not scheduled yet,
  and the answer is "starting" (200): health never depends on Telegram being reachable now.
* ``GET /readyz``: the database answers ``SELECT 1`` and Telegram was reached at least once
  since start.
* ``GET /metrics``: Prometheus' text format (``bot.metrics``).

The server is ``asyncio.start_server`` with a minimal HTTP/1.1 reader: one request per
connection, GET and HEAD only, bounded header size and read time, ``Connection: close``. It
runs in the bot's own event loop, so an event loop that is stuck cannot answer at all, which is
what a liveness probe should notice. Responses never include anything about a person.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import http.client
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from prometheus_client import CONTENT_TYPE_LATEST

from bot.config import ConfigError, Settings
from bot.deps import KindlingApplication
from bot.metrics import Metrics
from bot.services.admin import database_answers

__all__ = [
    "HealthPortInUse",
    "HealthServer",
    "Probe",
    "liveness",
    "probe",
    "start_health_server",
]

logger = logging.getLogger(__name__)

TICKS_OF_GRACE: Final = 3
"""/healthz fails when the tick has not completed for this many intervals."""
READ_TIMEOUT: Final = 5.0
"""A client gets this long to send its request line and headers."""
DB_TIMEOUT: Final = 3.0
"""/readyz waits this long for ``SELECT 1``."""
PROBE_TIMEOUT: Final = 5.0
_MAX_HEAD: Final = 8192
_TEXT: Final = "text/plain; charset=utf-8"


class HealthPortInUse(ConfigError):
    """Another process already listens on ``HEALTH_PORT``."""


@dataclass(frozen=True)
class Probe:
    """One check's answer: healthy or not, and a one-line reason."""

    ok: bool
    detail: str


def liveness(metrics: Metrics, now: datetime, interval: timedelta) -> Probe:
    """Whether the scheduler tick keeps completing, as /healthz reports it.

    Args:
        metrics: Where the runner records the scheduler's start and each completed tick.
        now: The current instant.
        interval: The tick's interval.

    Returns:
        Healthy while the scheduler is not started yet (start-up, possibly waiting for
        Telegram), and afterwards while the last completed tick (or the start of the
        scheduler, before the first one) is at most ``TICKS_OF_GRACE`` intervals old.
    """
    if metrics.scheduler_started_at is None:
        return Probe(True, "starting: the scheduler is not running yet")
    last = metrics.last_tick_at or metrics.scheduler_started_at
    age = (now - last).total_seconds()
    if age > TICKS_OF_GRACE * interval.total_seconds():
        return Probe(False, f"the scheduler tick last completed {age:.0f} s ago")
    return Probe(True, f"ok: the scheduler tick completed {max(0.0, age):.0f} s ago")


Check = Callable[[], Awaitable[Probe]]
Scrape = Callable[[], Awaitable[bytes]]


class HealthServer:
    """The HTTP server of /healthz, /readyz and /metrics.

    Args:
        live: Answers /healthz.
        ready: Answers /readyz.
        scrape: Produces /metrics.
    """

    def __init__(self, live: Check, ready: Check, scrape: Scrape) -> None:
        self._live = live
        self._ready = ready
        self._scrape = scrape
        self._server: asyncio.Server | None = None
        self.port: int | None = None

    async def start(self, host: str, port: int) -> None:
        """Listen on ``host:port`` (port 0: any free port, see :attr:`port`).

        Raises:
            HealthPortInUse: Something already listens there.
            ConfigError: The address cannot be listened on at all.
        """
        try:
            self._server = await asyncio.start_server(self._handle, host, port, limit=_MAX_HEAD)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise HealthPortInUse(
                    f"HEALTH_PORT: {host}:{port} is already in use (another Kindling, or "
                    "another program?); choose a free port"
                ) from None
            reason = error.strerror or type(error).__name__
            raise ConfigError(
                f"HEALTH_LISTEN: cannot listen on {host}:{port} ({reason})"
            ) from None
        self.port = int(self._server.sockets[0].getsockname()[1])
        logger.info("health checks and metrics on %s:%s", host, self.port)

    async def close(self) -> None:
        """Stop listening and close open connections."""
        if self._server is None:
            return
        self._server.close()
        await self._server.wait_closed()
        self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            status, content_type, body, head_only = await self._answer(reader)
            writer.write(_response(status, content_type, body, head_only=head_only))
            await writer.drain()
        except (ConnectionError, TimeoutError, asyncio.IncompleteReadError):
            pass  # the client went away or never finished its request: nothing to answer
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _answer(self, reader: asyncio.StreamReader) -> tuple[int, str, bytes, bool]:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
        except asyncio.LimitOverrunError:
            return 431, _TEXT, b"request header too large\n", False
        if len(head) > _MAX_HEAD:
            return 431, _TEXT, b"request header too large\n", False
        parts = head.split(b"\r\n", 1)[0].split()
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/"):
            return 400, _TEXT, b"bad request\n", False
        method, target = parts[0], parts[1].split(b"?", 1)[0]
        if method not in {b"GET", b"HEAD"}:
            return 405, _TEXT, b"only GET and HEAD\n", False
        head_only = method == b"HEAD"
        if target == b"/metrics":
            return 200, CONTENT_TYPE_LATEST, await self._scrape(), head_only
        if target in {b"/healthz", b"/readyz"}:
            result = await (self._live() if target == b"/healthz" else self._ready())
            return (200 if result.ok else 503), _TEXT, f"{result.detail}\n".encode(), head_only
        return 404, _TEXT, b"not found: try /healthz, /readyz or /metrics\n", head_only


def _response(status: int, content_type: str, body: bytes, *, head_only: bool) -> bytes:
    reason = http.client.responses.get(status, "Unknown")
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Cache-Control: no-store\r\n"
        "Connection: close\r\n\r\n"
    ).encode("ascii")
    return head if head_only else head + body


def _telegram_reached(application: KindlingApplication) -> bool:
    """True once getMe has answered (``Bot.bot`` raises until then)."""
    try:
        application.bot.bot  # noqa: B018 - the property is the check
    except RuntimeError:
        return False
    return True


async def start_health_server(
    settings: Settings, application: KindlingApplication, *, tick_interval: timedelta
) -> HealthServer | None:
    """Start the health server on ``HEALTH_LISTEN:HEALTH_PORT``; None when the port is unset.

    Args:
        settings: The operator's configuration.
        application: The bot; its deps hold the database, the clock and the metrics.
        tick_interval: The scheduler tick's interval (for /healthz).

    Raises:
        HealthPortInUse: The port is taken.
        ConfigError: The address cannot be listened on.
    """
    if settings.health_port is None:
        return None
    deps = application.bot_data
    metrics = deps.metrics

    async def live() -> Probe:
        return liveness(metrics, deps.clock.now(), tick_interval)

    async def ready() -> Probe:
        try:
            await asyncio.wait_for(database_answers(deps.db), DB_TIMEOUT)
        except Exception as error:
            return Probe(False, f"the database does not answer ({type(error).__name__})")
        if not _telegram_reached(application):
            return Probe(False, "Telegram has not been reached yet")
        return Probe(True, "ok: the database answers and Telegram was reached")

    async def scrape() -> bytes:
        try:
            await asyncio.wait_for(metrics.refresh_people(deps.db), DB_TIMEOUT)
        except Exception as error:
            # The other metrics are still worth having; the people gauges are left empty.
            logger.warning("metrics: could not count people (%s)", type(error).__name__)
        return metrics.exposition()

    server = HealthServer(live, ready, scrape)
    await server.start(settings.health_listen, settings.health_port)
    return server


def probe(
    host: str, port: int, *, path: str = "/healthz", timeout: float = PROBE_TIMEOUT
) -> Probe:
    """Ask a running bot's health server; for ``kindling healthcheck``.

    Args:
        host: ``HEALTH_LISTEN`` (a wildcard address is asked on loopback).
        port: ``HEALTH_PORT``.
        path: Which check.
        timeout: Seconds for connecting and for the answer.

    Returns:
        Healthy only for a 200 answer; the detail is the server's one line, or why it
        could not be asked.
    """
    target = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    connection = http.client.HTTPConnection(target, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        text = response.read(4096).decode("utf-8", "replace").strip().splitlines()
        detail = text[0] if text else response.reason
        return Probe(response.status == 200, detail)
    except (OSError, http.client.HTTPException) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        return Probe(False, f"no answer from {target}:{port} ({reason})")
    finally:
        connection.close()
