"""The dispatcher's writes around each send: "in flight" just before, the outcome just after.

A prompt is in doubt only while its own request may be on the wire, so each one is marked
``sending`` right before its request starts and its outcome is written as soon as Telegram
answers. At 25 messages a second that is about fifty small writes a second; when sends come
faster, the writes that queue up while one is being committed go out together in the next
transaction (group commit), so the cost per message falls as the rate rises.

If the database fails, a mark raises (that prompt is not sent and stays claimed) and an
outcome is kept in memory and written at the next :meth:`FlightRecorder.flush`, so a prompt
that reached Telegram during an outage is not sent again once the database is back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from scheduler import ledger
from scheduler.clock import Clock
from scheduler.ledger import PromptOutcome
from storage.engine import Database

__all__ = ["FlightRecorder", "NotOurs"]

_Item = TypeVar("_Item")


class NotOurs(Exception):  # a condition, not an error
    """The row is no longer this instance's to send (another instance took it over)."""


@dataclass
class _Pending:
    marks: list[tuple[int, asyncio.Future[None]]] = field(default_factory=list)
    outcomes: list[tuple[PromptOutcome, asyncio.Future[None]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.marks or self.outcomes)


class FlightRecorder:
    """Group-commits in-flight marks and outcomes for one dispatcher.

    Args:
        db: The database.
        clock: Source of "now".
        instance: This process's id (``claimed_by``).
        lease: The sender lease a mark requires this instance to hold (``send_lease.name``);
            None: marks need no lease (SQLite, a single instance).
    """

    def __init__(
        self, db: Database, clock: Clock, instance: str, *, lease: str | None = None
    ) -> None:
        self.db = db
        self.clock = clock
        self.instance = instance
        self.lease = lease
        self.unwritten: list[PromptOutcome] = []
        """Outcomes whose write failed; written first by the next :meth:`flush`."""
        self.error: BaseException | None = None
        """The last database failure since :meth:`flush` last succeeded."""
        self._pending = _Pending()
        self._writer: asyncio.Task[None] | None = None

    async def starting(self, prompt_id: int) -> None:
        """Mark ``prompt_id`` in flight; returns once that is written.

        Raises:
            NotOurs: Another instance holds the row now; it must not be sent.
            Exception: The database failed; the row stays claimed and is not sent.
        """
        await self._submit(self._pending.marks, prompt_id)

    async def finished(self, outcome: PromptOutcome) -> None:
        """Write ``outcome``; returns once written, or kept for later if the database failed."""
        await self._submit(self._pending.outcomes, outcome)

    async def flush(self) -> None:
        """Write the outcomes a database failure held back (raises while it still fails)."""
        if self.unwritten:
            held, self.unwritten = self.unwritten, []
            try:
                await self._write([], held)
            except BaseException:
                self.unwritten = held + self.unwritten
                raise
        self.error = None

    async def _submit(self, queue: list[tuple[_Item, asyncio.Future[None]]], item: _Item) -> None:
        future = asyncio.get_running_loop().create_future()
        queue.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain(), name="flight-recorder")
        await future

    async def _drain(self) -> None:
        # Everything submitted while one transaction runs goes into the next one.
        while self._pending:
            batch, self._pending = self._pending, _Pending()
            outcomes = [outcome for outcome, _ in batch.outcomes]
            try:
                marked = await self._write([prompt_id for prompt_id, _ in batch.marks], outcomes)
            except Exception as error:
                self.error = error
                self.unwritten.extend(outcomes)
                for _, future in batch.marks:
                    _settle(future, error)
                for _, future in batch.outcomes:
                    _settle(future)
                continue
            for prompt_id, future in batch.marks:
                _settle(future, None if prompt_id in marked else NotOurs(prompt_id))
            for _, future in batch.outcomes:
                _settle(future)

    async def _write(
        self, prompt_ids: Sequence[int], outcomes: Sequence[PromptOutcome]
    ) -> set[int]:
        now = self.clock.now()
        async with self.db.write() as session:
            if outcomes:
                await ledger.record_outcomes(session, outcomes, now)
            return await ledger.mark_sending(
                session, prompt_ids, instance=self.instance, now=now, lease=self.lease
            )


def _settle(future: asyncio.Future[None], error: BaseException | None = None) -> None:
    if future.done():  # its sender was cancelled (shutdown)
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)
