"""The sender lease: one instance at a time sends prompts, and a stalled holder is fenced.

On SQLite the lease is always held (one instance only), so the shared behaviour is exercised
there with ``shared=True``: the statements are the same on both dialects.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from scheduler import ledger
from scheduler.clock import ManualClock
from scheduler.delivery import Delivery, PromptKey
from scheduler.lease import LEASE_NAME, LEASE_TTL, RENEW_EVERY, SendLease
from storage.engine import Database
from storage.models import PromptState
from storage.models import SendLease as SendLeaseRow
from tests.integration.scheduler.rig import PROMPTS, Rig, utc

LEASES: Any = SendLeaseRow.__table__  # type: ignore[attr-defined]
START = utc(2026, 3, 2, 8, 0)


async def lease_rows(db: Database) -> list[tuple[str, str, datetime, datetime]]:
    async with db.session() as session:
        result = await (await session.connection()).execute(
            select(LEASES.c.name, LEASES.c.holder, LEASES.c.expires_at, LEASES.c.renewed_at)
        )
        return [tuple(row) for row in result.all()]


def shared(db: Database, clock: ManualClock, instance: str, **kwargs: Any) -> SendLease:
    return SendLease(db, clock, instance, shared=True, **kwargs)


async def test_a_free_lease_is_taken_and_renewed_by_its_holder_only(db: Database) -> None:
    clock = ManualClock(START)
    a, b = shared(db, clock, "a"), shared(db, clock, "b")
    assert await a.hold()
    assert a.held
    assert a.expires_at == START + LEASE_TTL
    assert await lease_rows(db) == [(LEASE_NAME, "a", START + LEASE_TTL, START)]
    clock.advance(timedelta(seconds=6))
    assert not await b.hold()  # still a's for 4 s
    assert not b.held
    assert b.expires_at is None
    assert await a.hold()  # renewed from now
    renewed = START + timedelta(seconds=6)
    assert await lease_rows(db) == [(LEASE_NAME, "a", renewed + LEASE_TTL, renewed)]
    clock.advance(timedelta(seconds=9))  # 15 s after the start: a's first lease is long gone
    assert not await b.hold()
    assert [row[1] for row in await lease_rows(db)] == ["a"]


async def test_an_expired_lease_is_taken_over_exactly_at_its_expiry(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ManualClock(START)
    a, b = shared(db, clock, "a"), shared(db, clock, "b")
    assert await a.hold()
    clock.set(START + LEASE_TTL - timedelta(microseconds=1))
    assert not await b.hold()
    clock.set(START + LEASE_TTL)  # expired: never a moment when both may send
    with caplog.at_level(logging.INFO, logger="scheduler.lease"):
        assert await b.hold()
        assert not await a.hold()  # a woke up: the lease is b's now
    assert [row[1] for row in await lease_rows(db)] == ["b"]
    assert "this instance holds the sender lease" in caplog.text
    assert "this instance lost the sender lease" in caplog.text


async def test_a_released_lease_is_taken_at_once_and_release_keeps_anothers(
    db: Database,
) -> None:
    clock = ManualClock(START)
    a, b = shared(db, clock, "a"), shared(db, clock, "b")
    assert await a.hold()
    await b.release()  # not b's: a keeps it
    assert [row[1] for row in await lease_rows(db)] == ["a"]
    assert not await b.hold()
    await a.release()
    assert not a.held
    assert a.expires_at is None
    assert await lease_rows(db) == []
    assert await b.hold()  # no waiting for the expiry
    assert [row[1] for row in await lease_rows(db)] == ["b"]


async def test_racing_instances_get_one_lease(db: Database) -> None:
    clock = ManualClock(START)
    leases = [shared(db, clock, f"i{n}") for n in range(6)]
    held = await asyncio.gather(*(lease.hold() for lease in leases))
    assert sum(held) == 1
    [winner] = [lease.instance for lease, ok in zip(leases, held, strict=True) if ok]
    assert [row[1] for row in await lease_rows(db)] == [winner]


async def test_leases_by_name_are_independent_and_ttl_is_configurable(db: Database) -> None:
    clock = ManualClock(START)
    short = shared(db, clock, "a", ttl=timedelta(seconds=2), renew_every=timedelta(0))
    other = shared(db, clock, "b", name="elsewhere")
    assert await short.hold()
    assert await other.hold()
    assert short.expires_at == START + timedelta(seconds=2)
    clock.advance(timedelta(seconds=2))
    assert await shared(db, clock, "c").hold()  # a's 2 s lease ended
    assert not await shared(db, clock, "c", name="elsewhere").hold()
    with pytest.raises(ValueError, match="positive ttl"):
        SendLease(db, clock, "a", ttl=timedelta(0))
    with pytest.raises(ValueError, match="renewed well before"):
        SendLease(db, clock, "a", ttl=timedelta(seconds=2), renew_every=timedelta(seconds=2))


async def test_a_fresh_renewal_is_trusted_until_renew_every(db: Database) -> None:
    """Asked before every batch, the holder writes a renewal at most every RENEW_EVERY."""
    clock = ManualClock(START)
    a = shared(db, clock, "a")
    assert await a.hold()
    clock.advance(RENEW_EVERY - timedelta(microseconds=1))
    assert await a.hold()
    assert await lease_rows(db) == [(LEASE_NAME, "a", START + LEASE_TTL, START)]  # no write
    clock.advance(timedelta(microseconds=1))
    assert await a.hold()
    assert a.expires_at == START + RENEW_EVERY + LEASE_TTL
    assert [row[2] for row in await lease_rows(db)] == [a.expires_at]


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_on_sqlite_the_lease_is_always_held_without_touching_the_table(
    db: Database,
) -> None:
    clock = ManualClock(START)
    a, b = SendLease(db, clock, "a"), SendLease(db, clock, "b")
    assert not a.shared
    assert a.held
    assert await a.hold()
    assert await b.hold()
    await a.release()
    assert await lease_rows(db) == []


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
async def test_on_postgresql_the_lease_is_shared_by_default(db: Database) -> None:
    clock = ManualClock(START)
    a, b = SendLease(db, clock, "a"), SendLease(db, clock, "b")
    assert a.shared
    assert not a.held
    assert await a.hold()
    assert not await b.hold()


async def test_marks_in_flight_need_the_lease_unexpired(any_rig: Rig) -> None:
    """The fence in the ledger: the mark and the lease check are one statement."""
    rig = any_rig
    rig.clock.set(START)
    for _ in range(4):
        await rig.add_user("UTC", time(8, 0), time(20, 0))
    await rig.delivery.plan_all()
    a = shared(rig.db, rig.clock, "a")

    async def mark(ids: Sequence[int], lease: str | None = LEASE_NAME) -> set[int]:
        async with rig.db.write() as session:
            return await ledger.mark_sending(
                session, ids, instance="a", now=rig.clock.now(), lease=lease
            )

    async with rig.db.write() as session:
        claimed, _ = await ledger.claim_due(session, rig.clock.now(), instance="a", limit=4)
    ids = [c.id for c in claimed]
    assert await mark(ids[:1]) == set()  # claimed by a, but a holds no lease
    assert await a.hold()
    assert await mark(ids[:1]) == {ids[0]}
    rig.clock.advance(LEASE_TTL)  # a stalled: its lease ended at this instant
    assert await mark(ids[1:2]) == set()
    assert await mark(ids[1:2], lease=None) == {ids[1]}  # without the fence it would go out
    assert await shared(rig.db, rig.clock, "b").hold()
    assert await mark(ids[2:3]) == set()  # b holds it now
    rig.clock.advance(LEASE_TTL)
    assert await a.hold()  # b's expired in turn: a may take it again
    assert await mark(ids[2:]) == set(ids[2:])


def holds(delivery: Delivery) -> bool:
    """Whether the instance's last look at its lease found it held."""
    assert delivery.lease is not None
    return delivery.lease.held


class Stall:
    """A composer that freezes its first batch until released, like a long GC pause."""

    def __init__(self, compose: Any) -> None:
        self.compose = compose
        self.entered = asyncio.Event()
        self.gate = asyncio.Event()

    async def __call__(self, keys: Sequence[PromptKey]) -> Any:
        if not self.entered.is_set():
            self.entered.set()
            await self.gate.wait()
        return await self.compose(keys)


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
async def test_a_stalled_holder_loses_the_lease_and_never_sends_beside_the_new_one(
    any_rig: Rig,
) -> None:
    rig = any_rig  # several instances: PostgreSQL only
    rig.clock.set(START)
    people = [await rig.add_user("UTC", time(8, 0), time(20, 0)) for _ in range(6)]
    await rig.delivery.plan_all()
    stall = Stall(rig.delivery.compose)

    def instance(name: str, compose: Any) -> Delivery:
        lease = SendLease(rig.db, rig.clock, name)
        return Delivery(rig.db, rig.clock, rig.delivery.sender, compose, lease=lease, batch_size=3)

    a, b = instance("a", stall), instance("b", rig.delivery.compose)
    await a.tick()
    await b.tick()
    assert holds(a)
    assert not holds(b)
    assert await b.deliver_due() == 0
    assert rig.sends() == []
    frozen = asyncio.create_task(a.deliver_due())
    await stall.entered.wait()  # a claimed a batch of 3, then froze
    rig.clock.advance(LEASE_TTL + timedelta(seconds=1))
    await b.deliver_due()  # b takes the lease over and sends what is not claimed
    assert len(rig.sends()) == 3
    a_rows = [r for r in await rig.rows() if r.claimed_by == "a"]
    assert len(a_rows) == 3
    assert {r.state for r in a_rows} == {PromptState.CLAIMED}
    stall.gate.set()  # a wakes: its rows are still claimed by it, but the lease is not its
    assert await frozen == 0
    assert len(rig.sends()) == 3
    assert not holds(a)
    # a no longer renews its claims, so they age into recovery (whichever tick comes first).
    await a.tick()
    await b.tick()
    assert a.stats.recovered_never_started + b.stats.recovered_never_started == 3
    assert not holds(a)
    assert holds(b)
    await b.deliver_due()
    received = Counter(p["chat_id"] for p in rig.sends())
    chats = {(await rig.user(u)).chat_id for u in people}
    assert received == dict.fromkeys(chats, 1)  # everyone once, from one sender at a time
    async with rig.db.session() as session:
        states = (
            await (await session.connection()).execute(
                select(PROMPTS.c.state, func.count())
                .where(PROMPTS.c.slot == "morning", PROMPTS.c.local_date == START.date())
                .group_by(PROMPTS.c.state)
            )
        ).all()
    assert dict(states) == {PromptState.SENT: 6}


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
async def test_the_holder_renews_its_lease_every_tick_and_its_claims_with_it(
    any_rig: Rig,
) -> None:
    rig = any_rig
    rig.clock.set(START)
    await rig.add_user("UTC", time(8, 0), time(20, 0))
    await rig.delivery.plan_all()
    lease = SendLease(rig.db, rig.clock, "a")
    a = Delivery(rig.db, rig.clock, rig.delivery.sender, rig.delivery.compose, lease=lease)
    b = Delivery(
        rig.db,
        rig.clock,
        rig.delivery.sender,
        rig.delivery.compose,
        lease=SendLease(rig.db, rig.clock, "b"),
    )
    async with rig.db.write() as session:
        await ledger.claim_due(session, rig.clock.now(), instance="a", limit=1)
    for _ in range(10):  # 20 s of ticks: a keeps the lease and its claim
        await a.tick()
        rig.clock.advance(timedelta(seconds=2))
        await b.tick()
        assert await b.deliver_due() == 0
    assert lease.expires_at == rig.clock.now() - timedelta(seconds=2) + LEASE_TTL
    assert (await rig.states())["claimed"] == 1
    assert rig.sends() == []


async def test_the_lease_must_be_held_in_the_instances_name(any_rig: Rig) -> None:
    rig = any_rig
    lease = SendLease(rig.db, rig.clock, "a")
    delivery = Delivery(rig.db, rig.clock, rig.delivery.sender, rig.delivery.compose, lease=lease)
    assert delivery.instance == "a"
    with pytest.raises(ValueError, match="this instance's name"):
        Delivery(
            rig.db, rig.clock, rig.delivery.sender, rig.delivery.compose, instance="b", lease=lease
        )
