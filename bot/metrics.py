"""Prometheus metrics for one Application, in a registry of its own (never the global one).

What is counted: prompts by final state and slot, the delay from due to sent, messages
sent, Telegram's 429s, retries, updates by kind and how long handling took, errors by
exception type, and people by state (read from the database at each scrape).

No label carries a person's id, name or words: labels are slots, states, update kinds
(Telegram's field names) and exception class names, all small fixed sets.
"""

from __future__ import annotations

import importlib.metadata
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector
from telegram import Update
from telegram.ext import Application

from bot.services.admin import OpsFigures, people_now
from scheduler.clock import Clock
from storage.engine import Database
from storage.stats import PEOPLE_STATES

__all__ = [
    "DELAY_BUCKETS",
    "HANDLER_BUCKETS",
    "MeasuredApplication",
    "Metrics",
    "kindling_version",
    "update_kind",
]

DELAY_BUCKETS: Final = (0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200)
"""Due to sent, in seconds: a tick is 2 s; a catch-up after downtime can take hours."""
HANDLER_BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
"""Handling one update, in seconds (a reply that waits out a 429 can take 10 s)."""

Monotonic = Callable[[], float]


def kindling_version() -> str:
    """The installed package's version, or ``"unknown"`` when run from a bare checkout."""
    try:
        return importlib.metadata.version("kindling")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def update_kind(update: object) -> str:
    """Which kind of update this is: the name of its one payload field (``"message"``...).

    Only Telegram's field names come out of here, never anything inside the update.
    """
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return kind
        return "other"
    return "internal"  # PTB also processes non-Update objects put on its queue


@dataclass(frozen=True)
class FailureSeen:
    """The most recent error: its exception type name and when it happened."""

    kind: str
    at: datetime


class _FloodCollector(Collector):
    """429s by source: prompts (counted by the sender's observer), replies (the reply
    limiter's own count of waits, read at scrape time).
    """

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def describe(self) -> Iterable[Metric]:
        """The metric's name and help, without reading any count."""
        yield self._family()

    def collect(self) -> Iterable[Metric]:
        """The current counts."""
        family = self._family()
        family.add_metric(["prompts"], self._metrics.prompt_429s)
        family.add_metric(["replies"], self._metrics.reply_429s())
        yield family

    @staticmethod
    def _family() -> CounterMetricFamily:
        return CounterMetricFamily(
            "kindling_telegram_429",
            "Flood control answers (HTTP 429) from Telegram, by what was being sent.",
            labels=["source"],
        )


class Metrics:
    """The counters of one Application; also the observer of its prompt pipeline.

    Implements :class:`scheduler.metrics.DeliveryObserver` and
    :class:`scheduler.metrics.SendObserver`.

    Args:
        clock: Source of "now" (uptime, last error, the scheduler heartbeat).
        monotonic: Seconds for handler latency; tests pass a manual one.
        version: Shown in ``kindling_build_info`` and /admin; the package version by default.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        monotonic: Monotonic = time.perf_counter,
        version: str | None = None,
    ) -> None:
        self.clock = clock
        self.monotonic = monotonic
        self.version = version or kindling_version()
        self.started_at = clock.now()
        self.registry = CollectorRegistry(auto_describe=True)
        self.last_error: FailureSeen | None = None
        self.prompt_429s = 0
        self.scheduler_started_at: datetime | None = None
        self.last_tick_at: datetime | None = None
        self._reply_waits: list[Callable[[], int]] = []
        registry = self.registry
        self.prompts = Counter(
            "kindling_prompts",
            "Prompts that reached a final state, by state and slot.",
            ["state", "slot"],
            registry=registry,
        )
        self.prompt_retries = Counter(
            "kindling_prompt_retries",
            "Prompt attempts that failed and were planned again, by slot.",
            ["slot"],
            registry=registry,
        )
        self.prompt_delay = Histogram(
            "kindling_prompt_delay_seconds",
            "From a prompt's due instant to Telegram accepting it, by slot.",
            ["slot"],
            buckets=DELAY_BUCKETS,
            registry=registry,
        )
        self.sends = Counter(
            "kindling_sends",
            "Prompt messages Telegram accepted (rate() gives sends per second).",
            registry=registry,
        )
        self.updates = Counter(
            "kindling_updates",
            "Updates handled, by kind (Telegram's update field name).",
            ["kind"],
            registry=registry,
        )
        self.update_seconds = Histogram(
            "kindling_update_seconds",
            "Time to handle one update (all handlers and the error handler), by kind.",
            ["kind"],
            buckets=HANDLER_BUCKETS,
            registry=registry,
        )
        self.errors = Counter(
            "kindling_errors",
            "Unexpected errors, by exception type name.",
            ["kind"],
            registry=registry,
        )
        self.people = Gauge(
            "kindling_people",
            "People by state (read from the database at scrape time).",
            ["state"],
            registry=registry,
        )
        self.people_active_week = Gauge(
            "kindling_people_active_week",
            "People who chose, logged or reflected on an act in the last 7 days.",
            registry=registry,
        )
        self.last_tick = Gauge(
            "kindling_scheduler_last_tick_timestamp_seconds",
            "When the scheduler tick last completed (Unix time).",
            registry=registry,
        )
        Gauge(
            "kindling_start_time_seconds", "When this process started (Unix time).",
            registry=registry,
        ).set(self.started_at.timestamp())  # fmt: skip
        Gauge(
            "kindling_build_info", "The running version.", ["version"], registry=registry
        ).labels(self.version).set(1)
        registry.register(_FloodCollector(self))

    # -- the prompt pipeline (scheduler.metrics observers) -------------------------------------

    def prompt_resolved(self, slot: str, state: str, *, due_at: datetime, at: datetime) -> None:
        """Count a prompt's final state; for a sent one, how late it went out."""
        self.prompts.labels(state=state, slot=slot).inc()
        if state == "sent":
            self.prompt_delay.labels(slot=slot).observe(max(0.0, (at - due_at).total_seconds()))

    def prompt_retried(self, slot: str) -> None:
        """Count a prompt attempt that will be made again."""
        self.prompt_retries.labels(slot=slot).inc()

    def message_sent(self) -> None:
        """Count a prompt message Telegram accepted."""
        self.sends.inc()

    def flood_control(self, retry_after: float) -> None:
        """Count a 429 met while sending prompts."""
        self.prompt_429s += 1

    # -- handlers, errors, the scheduler -------------------------------------------------------

    def update_handled(self, kind: str, seconds: float) -> None:
        """Count an update of ``kind`` that took ``seconds`` to handle."""
        self.updates.labels(kind=kind).inc()
        self.update_seconds.labels(kind=kind).observe(max(0.0, seconds))

    def error_seen(self, error: BaseException) -> FailureSeen:
        """Count an unexpected error by its type name and remember it as the last one."""
        kind = type(error).__name__
        self.errors.labels(kind=kind).inc()
        self.last_error = FailureSeen(kind, self.clock.now())
        return self.last_error

    def watch_reply_waits(self, count: Callable[[], int]) -> None:
        """Include a reply limiter's count of waited-out 429s (read at scrape time)."""
        self._reply_waits.append(count)

    def reply_429s(self) -> int:
        """429s met by replies so far (each waited out and sent again)."""
        return sum(count() for count in self._reply_waits)

    def scheduler_started(self) -> None:
        """The periodic tick is scheduled: from now on it must keep completing."""
        self.scheduler_started_at = self.clock.now()

    def tick_completed(self) -> None:
        """The scheduler tick ran to its end (whether or not its work succeeded)."""
        self.last_tick_at = self.clock.now()
        self.last_tick.set(self.last_tick_at.timestamp())

    def figures(self) -> OpsFigures:
        """The figures /admin shows that live in this process (not in the database)."""
        last = self.last_error
        return OpsFigures(
            flood_429s=self.prompt_429s + self.reply_429s(),
            last_error_kind=last.kind if last else None,
            last_error_at=last.at if last else None,
            version=self.version,
            started_at=self.started_at,
        )

    # -- exposition ----------------------------------------------------------------------------

    async def refresh_people(self, db: Database) -> None:
        """Read the people counts into their gauges.

        Raises:
            Exception: What the database raised; the gauges then hold no values, so a
                dashboard shows a gap rather than stale numbers.
        """
        try:
            counts = await people_now(db, self.clock.now())
        except Exception:
            self.people.clear()
            self.people_active_week.set(float("nan"))
            raise
        for state in PEOPLE_STATES:
            self.people.labels(state=state).set(counts.by_state.get(state, 0))
        self.people_active_week.set(counts.active_this_week)

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format."""
        return generate_latest(self.registry)


class MeasuredApplication(Application[Any, Any, Any, Any, Any, Any]):
    """python-telegram-bot's Application, counting and timing every update it processes.

    ``build_application`` sets :attr:`metrics` before any update arrives.
    """

    metrics: Metrics | None = None

    async def process_update(self, update: object) -> None:
        """Process ``update`` as usual; count it by kind and record how long it took."""
        metrics = self.metrics
        if metrics is None:
            await super().process_update(update)
            return
        started = metrics.monotonic()
        try:
            await super().process_update(update)
        finally:
            metrics.update_handled(update_kind(update), metrics.monotonic() - started)
