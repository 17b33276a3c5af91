"""The prompt pipeline: plan a page of people, claim due rows just in time, send, record.

One periodic tick (:meth:`Delivery.tick`, run by the JobQueue) plans the next page of people
into the ledger and wakes the dispatcher; the dispatcher (:meth:`Delivery.run`, a task of its
own) claims due rows in small batches, renders and sends them through the rate-limited
:class:`~scheduler.sender.Sender`, and writes the outcomes back in one transaction per batch.
Claims are small (about half a second of sending) so that a crash leaves little in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import secrets
import socket
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Final
from zoneinfo import ZoneInfo

from scheduler import ledger
from scheduler.clock import Clock
from scheduler.flight import FlightRecorder, NotOurs
from scheduler.lease import SendLease
from scheduler.ledger import ClaimedPrompt, PlanCache, PromptOutcome, Recovered
from scheduler.metrics import NO_OBSERVER, DeliveryObserver
from scheduler.sender import Rendered, Sender, SendResult, SendStatus
from scheduler.timing import useful_until
from storage.availability import unavailable_reason
from storage.engine import Database
from storage.models import PromptState

__all__ = [
    "MAX_BATCH",
    "Composer",
    "Delivery",
    "DeliveryStats",
    "PromptKey",
    "instance_id",
    "one_by_one",
]

logger = logging.getLogger(__name__)

PromptKey = tuple[int, str, date]
"""(user id, slot, local date): which prompt to render."""

Composer = Callable[[Sequence[PromptKey]], Awaitable[Sequence[Rendered | None]]]
"""Renders a batch of prompts, one result per key in order; None: nothing to send today.

One call per claimed batch, so the composer can read what it needs for all of them at once
(``bot.services.prompts.compose_prompts``)."""


def one_by_one(compose: Callable[[int, str, date], Awaitable[Rendered | None]]) -> Composer:
    """A :data:`Composer` from a function that renders one prompt (tests, simple callers)."""

    async def compose_all(keys: Sequence[PromptKey]) -> list[Rendered | None]:
        return [await compose(*key) for key in keys]

    return compose_all


MAX_ATTEMPTS: Final = 5
FIRST_BACKOFF: Final = timedelta(seconds=30)
MAX_BACKOFF: Final = timedelta(minutes=10)
CLAIM_LEASE: Final = timedelta(seconds=10)
"""On PostgreSQL, a claim not renewed for this long belongs to an instance that stopped.

Every tick (2 s) renews the instance's own claims, so a live instance keeps them; see
docs/scheduler.md."""


_WORTH_A_LINE: Final = frozenset({PromptState.BLOCKED, PromptState.FAILED, PromptState.UNKNOWN})
"""Final states an operator hears about, one line per prompt (never per tick)."""


def instance_id() -> str:
    """A name for this process in ``claimed_by``: host, pid and a random suffix."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class DeliveryStats:
    """Counters since start-up, by final state (and retries), for logs and benchmarks."""

    outcomes: Counter[str] = field(default_factory=Counter)
    planned_rows: int = 0
    recovered_never_started: int = 0
    recovered_in_flight: int = 0
    passes: int = 0
    database_outages: int = 0


MAX_BATCH: Final = 200
"""The most rows claimed (and composed) at once."""


class Delivery:
    """Plans, claims and sends prompts for one process.

    Args:
        db: The database (the schedule).
        clock: Source of "now".
        sender: The rate-limited sender with its own Bot.
        compose: Renders one prompt.
        instance: This process's id for ``claimed_by``.
        batch_size: Rows claimed at once; defaults to half a second of ``SEND_RATE``, at most
            :data:`MAX_BATCH` (composing a batch is one unit of work: at a paid 1000/s half a
            second is 500 prompts, about two seconds of composing before the first is sent).
        plan_page: People planned per tick.
        max_attempts: Attempts before a retryable error becomes ``failed``.
        observer: Told about each prompt resolved or retried (metrics).
        lease: The sender lease: claims and sends only while it is held (several instances
            on PostgreSQL, one send budget); its instance is this one's. None: always sends.
    """

    def __init__(
        self,
        db: Database,
        clock: Clock,
        sender: Sender,
        compose: Composer,
        *,
        instance: str | None = None,
        batch_size: int | None = None,
        plan_page: int = 2000,
        max_attempts: int = MAX_ATTEMPTS,
        observer: DeliveryObserver = NO_OBSERVER,
        lease: SendLease | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.sender = sender
        self.compose = compose
        self.instance = instance or (lease.instance if lease else None) or instance_id()
        if lease is not None and lease.instance != self.instance:
            raise ValueError("the sender lease must be held in this instance's name")
        self.lease = lease
        rate = sender.limiter.rate
        self.batch_size = batch_size or (
            MAX_BATCH if rate is None else max(1, min(MAX_BATCH, math.ceil(rate / 2)))
        )
        self.plan_page = plan_page
        self.max_attempts = max_attempts
        self.observer = observer
        self.stats = DeliveryStats()
        self._cursor = 0
        self._plan_cache: PlanCache | None = None
        self._wake = asyncio.Event()
        self._zones: dict[str, ZoneInfo] = {}
        # Every mark in flight checks the lease in the same statement (the fence).
        fence = lease.name if lease is not None and lease.shared else None
        self.flights = FlightRecorder(db, clock, self.instance, lease=fence)
        self._database_down = False

    # -- start-up ------------------------------------------------------------------------------

    async def recover(self) -> Recovered:
        """Give back the claims a previous process left unconfirmed (call once at start-up).

        On SQLite this process holds the single-instance lock, so every claim is from a
        process that stopped; on PostgreSQL only claims not renewed for :data:`CLAIM_LEASE`.
        """
        now = self.clock.now()
        older = None if self.db.dialect_name == "sqlite" else now - CLAIM_LEASE
        async with self.db.write() as session:
            recovered = await ledger.recover_claims(session, now, older_than=older)
        self._count_recovered(recovered)
        return recovered

    def _count_recovered(self, recovered: Recovered) -> None:
        if recovered.total:
            logger.warning(
                "prompts left mid-batch by a stopped instance: %d never started (sent "
                "normally), %d in flight (sent again; they may arrive twice)",
                recovered.never_started,
                recovered.in_flight,
            )
        self.stats.recovered_never_started += recovered.never_started
        self.stats.recovered_in_flight += recovered.in_flight

    # -- the tick ------------------------------------------------------------------------------

    async def tick(self) -> None:
        """Plan the next page of people, renew the lease and claims, recover, wake the dispatcher.

        Every instance plans; only the lease holder renews its claims, so those of a holder
        that lost the lease age and are recovered by whoever holds it next.
        A database outage is reported by the dispatcher once per outage, not by every tick.
        """
        try:
            await self.plan_page_once()
            if self.db.dialect_name != "sqlite":
                held = self.lease is None or await self.lease.hold()
                now = self.clock.now()
                async with self.db.write() as session:
                    if held:
                        await ledger.touch_claims(session, instance=self.instance, now=now)
                    recovered = await ledger.recover_claims(
                        session, now, older_than=now - CLAIM_LEASE
                    )
                self._count_recovered(recovered)
        except Exception as error:
            if not self._outage(error):
                raise
        finally:
            self._wake.set()

    async def plan_page_once(self) -> bool:
        """Plan one page of people; True when that page finished a pass over everyone."""
        now = self.clock.now()
        if self._plan_cache is None:
            self._plan_cache = PlanCache(now)
        cache = self._plan_cache.at(now)
        async with self.db.session() as session:
            last, rows = await ledger.plan_users(
                session, cache, after_id=self._cursor, limit=self.plan_page
            )
        if rows:
            async with self.db.write() as session:
                self.stats.planned_rows += await ledger.insert_planned(session, rows)
        if last is None:
            self._cursor = 0
            self.stats.passes += 1
            return True
        self._cursor = last
        return False

    async def plan_all(self) -> None:
        """Plan every active person (a whole pass); for tests, benchmarks and operators."""
        self._cursor = 0
        while not await self.plan_page_once():
            pass

    # -- the dispatcher ------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event, *, idle: float = 1.0) -> None:
        """Deliver due prompts until ``stop`` is set; waits for a tick (or ``idle`` s) between.

        A database outage is logged once when it starts and once when it ends; meanwhile
        nothing new is sent, and what was held back is written when the database answers.
        """
        while not stop.is_set():
            await self.deliver_round()
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=idle)

    async def deliver_round(self) -> None:
        """One round of the dispatcher: recover from an outage, send what is due; never raises.

        A database failure is logged once per outage (see :meth:`run`); anything else once per
        round, with its traceback.
        """
        try:
            await self._resume()
            await self.deliver_due()
        except Exception as error:
            if not self._outage(error):
                logger.exception("delivering prompts failed; trying again at the next tick")

    def _outage(self, error: BaseException) -> bool:
        """Whether ``error`` means the database is away; if so, report it (once per outage).

        The database's own tracker logs the outage, shared with the handlers, so an outage is
        one line whoever meets it first.
        """
        reason = unavailable_reason(error)
        if reason is None:
            return False
        if not self._database_down:
            self._database_down = True
            self.stats.database_outages += 1
        self.db.outage.failed(reason)
        return True

    async def _resume(self) -> None:
        """After a round the database interrupted: write what it held back, free the rest."""
        if not self._database_down and self.flights.error is None:
            return
        await self.flights.flush()
        async with self.db.write() as session:
            recovered = await ledger.recover_claims(
                session, self.clock.now(), instance=self.instance
            )
        self._count_recovered(recovered)
        self._database_down = False

    async def deliver_due(self) -> int:
        """Send everything due now, batch after batch; returns how many rows were resolved.

        With a sender lease, each batch is claimed only while this instance holds it (it is
        renewed then), so at most one instance sends at a time.

        Raises:
            Exception: The database failed during a batch
                (:func:`~storage.availability.unavailable_reason`); :meth:`run` waits, then
                writes what was held back and gives the unsent claims back.
        """
        total = 0
        sending: set[asyncio.Task[bool]] = set()
        try:
            while self.flights.error is None:
                if self.lease is not None and not await self.lease.hold():
                    break
                claimed, resolved = await self._claim()
                total += resolved
                if not claimed:
                    break
                contents = await self._render(claimed)
                for prompt, content in zip(claimed, contents, strict=True):
                    sending.add(asyncio.create_task(self._deliver(prompt, content)))
                # The next batch is claimed and rendered while the second half of this one is
                # still sending, so the sends never wait for the database or the renderer.
                # Nothing is marked in flight before its own request, so this adds no doubt.
                total += await _settle(sending, keep=self.batch_size // 2)
        finally:
            total += await _settle(sending, keep=0)
        if self.flights.error is not None:
            raise self.flights.error
        return total

    async def _claim(self) -> tuple[list[ClaimedPrompt], int]:
        """Claim the next batch; report the rows resolved at claim time once committed."""
        now = self.clock.now()
        settled: list[tuple[str, str, datetime]] = []

        def settle(slot: str, state: str, due_at: datetime) -> None:
            settled.append((slot, state, due_at))

        async with self.db.write() as session:
            claimed, resolved = await ledger.claim_due(
                session,
                now,
                instance=self.instance,
                limit=self.batch_size,
                on_resolved=settle,
            )
        for slot, state, due_at in settled:
            self.observer.prompt_resolved(slot, state, due_at=due_at, at=now)
        self.stats.outcomes["resolved_at_claim"] += resolved
        return claimed, resolved

    async def _render(self, claimed: Sequence[ClaimedPrompt]) -> list[Rendered | Exception | None]:
        """Render a claimed batch in one call; if that fails, each alone, to find the culprit."""
        keys = [(p.user_id, str(p.slot), p.local_date) for p in claimed]
        try:
            return list(await self.compose(keys))
        except Exception as error:
            if unavailable_reason(error) is not None:
                raise  # not the prompts' fault: the batch is given back once it answers
            if len(keys) == 1:
                logger.error("rendering prompt %s failed: %s", claimed[0].id, _failure(error))
                return [error]
        results: list[Rendered | Exception | None] = []
        for prompt, key in zip(claimed, keys, strict=True):
            try:
                [content] = await self.compose([key])
            except Exception as error:
                if unavailable_reason(error) is not None:
                    raise
                logger.error("rendering prompt %s failed: %s", prompt.id, _failure(error))
                results.append(error)
            else:
                results.append(content)
        return results

    async def _deliver(self, prompt: ClaimedPrompt, content: Rendered | Exception | None) -> bool:
        """Send one claimed prompt and write its outcome; False when it was not sent.

        It is marked in flight just before its own request starts, not when the batch is
        claimed, so a crash leaves only the requests on the wire in doubt.
        """
        if isinstance(content, Exception):
            reason = f"could not render: {type(content)}"
            outcome = self._final(prompt, PromptState.FAILED, reason)
        elif content is None:
            outcome = self._final(prompt, PromptState.CANCELLED, "nothing to send today")
        else:
            try:
                result = await self.sender.send(
                    prompt.chat_id, content, starting=partial(self.flights.starting, prompt.id)
                )
            except NotOurs:
                return False  # another instance took the row over while this one stalled
            except Exception as error:
                if unavailable_reason(error) is None:
                    raise
                return False  # not sent; it stays claimed and is given back after the outage
            outcome = self._outcome(prompt, result)
        await self.flights.finished(outcome)
        self._observe(prompt, outcome)
        if outcome.state in _WORTH_A_LINE:
            # Telegram's reason up to its details ("400 Bad Request"), never the message.
            logger.warning(
                "%s prompt %s of person %s: %s (%s)",
                prompt.slot,
                prompt.id,
                prompt.user_id,
                outcome.state,
                outcome.reason.split(":", 1)[0],
            )
        return True

    def _observe(self, prompt: ClaimedPrompt, outcome: PromptOutcome) -> None:
        slot = str(prompt.slot)
        if outcome.state is PromptState.PLANNED:
            self.observer.prompt_retried(slot)
            return
        at = outcome.sent_at or self.clock.now()
        self.observer.prompt_resolved(slot, str(outcome.state), due_at=prompt.due_at, at=at)

    def _final(self, prompt: ClaimedPrompt, state: PromptState, reason: str) -> PromptOutcome:
        self.stats.outcomes[str(state)] += 1
        return PromptOutcome(prompt.id, state, reason, user_id=prompt.user_id)

    def _outcome(self, prompt: ClaimedPrompt, result: SendResult) -> PromptOutcome:
        now = self.clock.now()
        if result.status is SendStatus.SENT:
            self.stats.outcomes["sent"] += 1
            return PromptOutcome(
                prompt.id,
                PromptState.SENT,
                "sent; an earlier attempt may also have arrived" if prompt.may_repeat else "sent",
                user_id=prompt.user_id,
                message_id=result.message_id,
                sent_at=now,
            )
        if result.status is SendStatus.BLOCKED:
            self.stats.outcomes["blocked"] += 1
            return PromptOutcome(
                prompt.id, PromptState.BLOCKED, result.reason, user_id=prompt.user_id,
                block_user=True,
            )  # fmt: skip
        if result.status is SendStatus.FAILED:
            return self._final(prompt, PromptState.FAILED, result.reason)
        # RETRY or UNKNOWN: back to planned with a backoff, unless out of attempts or of
        # usefulness. An unknown outcome is sent again too: a rare duplicate is a smaller harm
        # than a lost prompt; if no attempt is left it stays ``unknown``.
        unknown = result.status is SendStatus.UNKNOWN
        gave_up = PromptState.UNKNOWN if unknown else PromptState.FAILED
        if prompt.attempts >= self.max_attempts:
            reason = f"gave up after {prompt.attempts} attempts: {result.reason}"
            return self._final(prompt, gave_up, reason)
        delay = min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (prompt.attempts - 1))
        retry_at = now + delay
        if retry_at >= useful_until(prompt.slot, prompt.due_at, self._zone(prompt.timezone)):
            reason = f"gave up, a retry would be too late: {result.reason}"
            return self._final(prompt, gave_up, reason)
        self.stats.outcomes["retry"] += 1
        suffix = f" {ledger.MAY_REPEAT}" if unknown or prompt.may_repeat else ""
        return PromptOutcome(
            prompt.id,
            PromptState.PLANNED,
            f"attempt {prompt.attempts} failed, retrying: {result.reason}{suffix}",
            user_id=prompt.user_id,
            next_attempt_at=retry_at,
        )

    def _zone(self, name: str) -> ZoneInfo:
        zone = self._zones.get(name)
        if zone is None:
            zone = self._zones[name] = ZoneInfo(name)
        return zone


async def _settle(sending: set[asyncio.Task[bool]], *, keep: int) -> int:
    """Wait until at most ``keep`` sends are still going; how many of the finished were sent.

    A send that raised is re-raised once the others have finished, so none is abandoned.
    """
    sent = 0
    failure: BaseException | None = None
    while len(sending) > keep:
        done, _ = await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
        sending -= done
        for task in done:
            if task.cancelled():
                continue
            error = task.exception()
            if error is None:
                sent += task.result()
            elif failure is None:
                failure = error
                keep = 0  # something is wrong: finish what is on the wire, claim nothing more
    if failure is not None:
        raise failure
    return sent


def _failure(error: BaseException) -> str:
    """The exception's type and where it was raised, without its message.

    A message can quote what a person wrote (their own act, say), which is never logged.
    """
    frames = traceback.extract_tb(error.__traceback__)
    where = " <- ".join(
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in frames[::-1]
    )
    return f"{type(error).__qualname__} at {where or 'unknown'}"
