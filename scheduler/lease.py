"""The sender lease: one instance at a time claims and sends prompts, whatever their number.

Telegram's flood limit (about 30 messages a second) belongs to the bot, not to a process. Each
instance paces its prompts with its own ``SEND_RATE`` token bucket, so two instances sending
at once would spend the budget twice. On PostgreSQL, where several instances may run, they
share one row of ``send_lease``: the instance named in it holds the lease until
``expires_at`` and is the only one that claims and sends; the others plan (the tick), handle
updates and take the lease over once it expires (its holder died or stalled).

A stalled holder is fenced: the statement that marks a prompt in flight just before its
request starts (:func:`scheduler.ledger.mark_sending` with ``lease=``) only succeeds while
this instance holds an unexpired lease, so a holder waking from a long pause finds its marks
refused and sends nothing beside the instance that took over.

On SQLite the lease is always held and never touches the table: ``bot.instance_lock`` already
allows only one instance per database file.

Times are the instances' own (``clock.now()``), as everywhere in the ledger; instances must
keep their clocks in step (NTP), and skew between them eats into the lease.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import delete, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from scheduler.clock import Clock
from storage.engine import Database
from storage.models import SendLease as SendLeaseRow

__all__ = ["LEASE_NAME", "LEASE_TTL", "RENEW_EVERY", "SendLease"]

logger = logging.getLogger(__name__)

LEASE_NAME: Final = "prompts"
"""The row of ``send_lease`` that the prompt dispatchers share."""

LEASE_TTL: Final = timedelta(seconds=10)
"""How long a lease lasts without renewal; the holder renews it every :data:`RENEW_EVERY`.

The same as ``scheduler.delivery.CLAIM_LEASE``: a holder that stops is replaced, and its
claims recovered, about this long after it last showed signs of life."""

RENEW_EVERY: Final = timedelta(seconds=2)
"""The holder writes its renewal at most this often (the tick's interval).

:meth:`SendLease.hold` is asked before every batch; in between renewals it answers from what
it knows, which is exact: nobody else can take a lease before it expires, and the fence in
``mark_sending`` checks the row itself. It keeps a database round trip out of the gap between
batches, where it would cost sending rate."""

_L: Any = SendLeaseRow.__table__  # type: ignore[attr-defined]  # SQLModel's Core table


class SendLease:
    """This instance's view of the sender lease.

    Args:
        db: The database that holds ``send_lease``.
        clock: Source of "now" (the manual clock in tests).
        instance: This process's id; the same as its ``claimed_by``.
        ttl: How long the lease lasts after each renewal.
        renew_every: How long a renewal is trusted before the next one is written.
        name: Which lease (one row per name).
        shared: Whether instances share the lease through the table. Defaults to every
            dialect but SQLite, where only one instance can run and the lease is always held.
    """

    def __init__(
        self,
        db: Database,
        clock: Clock,
        instance: str,
        *,
        ttl: timedelta = LEASE_TTL,
        renew_every: timedelta = RENEW_EVERY,
        name: str = LEASE_NAME,
        shared: bool | None = None,
    ) -> None:
        if ttl <= timedelta(0):
            raise ValueError("a lease needs a positive ttl")
        if not timedelta(0) <= renew_every < ttl:
            raise ValueError("a lease must be renewed well before it expires")
        self.db = db
        self.clock = clock
        self.instance = instance
        self.ttl = ttl
        self.renew_every = renew_every
        self.name = name
        self.shared = db.dialect_name != "sqlite" if shared is None else shared
        self.held = not self.shared
        """What the last :meth:`hold` found (always True when not shared)."""
        self.expires_at: datetime | None = None
        """When the lease ends unless renewed, as of the last :meth:`hold` that got it."""
        self._renewed_at: datetime | None = None

    async def hold(self) -> bool:
        """Take the lease when it is free or expired, renew it when it is ours.

        A lease renewed less than ``renew_every`` ago is still held without asking. Otherwise
        one statement (an upsert whose update only applies to our own or an expired row,
        returning the row when it did), so two instances racing for a free lease cannot both
        get it.

        Returns:
            Whether this instance holds the lease until ``now + ttl``.

        Raises:
            Exception: The database failed; the caller treats it as an outage (the lease
                simply expires if this goes on).
        """
        if not self.shared:
            return True
        now = self.clock.now()
        if (
            self.held
            and self._renewed_at is not None
            and now < self._renewed_at + self.renew_every
        ):
            return True
        expires_at = now + self.ttl
        insert = pg_insert if self.db.dialect_name == "postgresql" else sqlite_insert
        proposed = insert(_L).values(
            name=self.name, holder=self.instance, expires_at=expires_at, renewed_at=now
        )
        statement = proposed.on_conflict_do_update(
            index_elements=[_L.c.name],
            set_={
                "holder": proposed.excluded.holder,
                "expires_at": proposed.excluded.expires_at,
                "renewed_at": proposed.excluded.renewed_at,
            },
            where=or_(_L.c.holder == self.instance, _L.c.expires_at <= now),
        ).returning(_L.c.holder)
        async with self.db.write() as session:
            holder = (await (await session.connection()).execute(statement)).scalar()
        held: bool = holder == self.instance
        if held != self.held:
            if held:
                logger.info("this instance holds the sender lease: it sends the prompts now")
            else:
                logger.warning(
                    "this instance lost the sender lease (it did not renew it within %s s); "
                    "another instance sends the prompts now",
                    self.ttl.total_seconds(),
                )
        self.held = held
        self.expires_at = expires_at if held else None
        self._renewed_at = now if held else None
        return held

    async def release(self) -> None:
        """Give the lease up at a clean shutdown, so another instance takes it at once.

        Only our own row is removed; a lease another instance took meanwhile stays.
        """
        if not self.shared:
            return
        async with self.db.write() as session:
            await (await session.connection()).execute(
                delete(_L).where(_L.c.name == self.name, _L.c.holder == self.instance)
            )
        if self.held:
            logger.info("sender lease released")
        self.held = False
        self.expires_at = None
        self._renewed_at = None
