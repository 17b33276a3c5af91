"""Re-planning, downtime, restarts and Telegram's errors, through the whole pipeline."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, time, timedelta

import pytest

from scheduler import ledger
from scheduler.delivery import Delivery
from storage.models import PromptState, User, UserStatus
from tests.integration.scheduler.rig import Rig, utc


def per_date(rig: Rig, chat_id: int) -> Counter[str]:
    return Counter(text.rsplit(" ", 1)[0] for text in rig.sent_texts(chat_id))


async def change(rig: Rig, user_id: int, **fields: object) -> None:
    """What the settings conversation does: update the person and re-plan, in one unit."""
    async with rig.db.write() as session:
        user = await session.get(User, user_id)
        assert user is not None
        for name, value in fields.items():
            setattr(user, name, value)
        session.add(user)
        await ledger.replan_user(session, user_id, rig.clock.now())


async def test_timezone_change_never_sends_a_local_date_twice(rig: Rig) -> None:
    rig.clock.set(utc(2026, 3, 2, 6))
    user = await rig.add_user("Europe/Berlin", time(8, 0), time(20, 0))
    await rig.walk(utc(2026, 3, 2, 8))  # Berlin morning of 03-02 sent at 07:00 UTC
    await change(rig, user, timezone="America/New_York")  # 08:00 there is 13:00 UTC
    await rig.walk(utc(2026, 3, 4, 12))
    counts = per_date(rig, 50_000)
    assert counts["morning 2026-03-02"] == 1
    assert set(counts.values()) == {1}
    assert "evening 2026-03-02" in counts  # now at 20:00 New York


async def test_time_change_replans_unsent_prompts_and_keeps_sent_ones(rig: Rig) -> None:
    rig.clock.set(utc(2026, 3, 2, 5))
    user = await rig.add_user("UTC", time(8, 0), time(20, 0))
    await rig.cycle()
    await change(rig, user, morning_time=time(7, 0))  # before it was due
    await rig.walk(utc(2026, 3, 2, 9))
    await change(rig, user, morning_time=time(10, 0))  # after it was sent
    await rig.walk(utc(2026, 3, 3, 0))
    rows = [r for r in await rig.rows(user) if r.local_date == date(2026, 3, 2)]
    morning = [r for r in rows if r.slot == "morning" and r.local_date == date(2026, 3, 2)]
    assert [(str(r.state), str(r.sent_at)) for r in morning] == [
        ("sent", "2026-03-02 07:00:00+00:00")
    ]
    assert per_date(rig, 50_000)["morning 2026-03-02"] == 1


async def test_downtime_sends_what_is_still_useful_and_skips_the_rest(any_rig: Rig) -> None:
    rig = any_rig
    rig.clock.set(utc(2026, 3, 2, 0))
    early = await rig.add_user("UTC", time(6, 0), time(21, 0))
    late = await rig.add_user("UTC", time(9, 30), time(23, 30))
    await rig.cycle()  # rows planned, then the bot goes down
    rig.clock.set(utc(2026, 3, 2, 11))  # back up: 6:00 is 5 h old, 9:30 only 1.5 h
    await rig.cycle()
    states = {(r.user_id, str(r.slot), r.local_date): str(r.state) for r in await rig.rows()}
    assert states[(early, "morning", date(2026, 3, 2))] == "skipped_late"
    assert states[(late, "morning", date(2026, 3, 2))] == "sent"
    rig.clock.set(utc(2026, 3, 2, 23, 45))  # down again: 21:00 and 23:30 are still today
    await rig.cycle()
    rig.clock.set(utc(2026, 3, 4, 1))  # down over a whole day
    await rig.cycle()
    states = {(r.user_id, str(r.slot), r.local_date): str(r.state) for r in await rig.rows()}
    assert states[(early, "evening", date(2026, 3, 2))] == "sent"
    assert states[(late, "evening", date(2026, 3, 2))] == "sent"
    assert states[(early, "evening", date(2026, 3, 3))] == "skipped_late"
    assert states[(late, "morning", date(2026, 3, 3))] == "skipped_late"
    assert all(n == 1 for n in per_date(rig, 50_000).values())


async def test_restart_after_a_crash_mid_send_sends_every_prompt(
    any_rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    rig = any_rig
    rig.clock.set(utc(2026, 3, 2, 8, 0))
    users = [await rig.add_user("UTC", time(8, 0), time(20, 0)) for _ in range(4)]
    await rig.delivery.plan_all()
    # The process claims three rows, starts the request of one, and dies before any answer.
    async with rig.db.write() as session:
        claimed, _ = await ledger.claim_due(session, rig.clock.now(), instance="dead", limit=3)
        marked = await ledger.mark_sending(
            session, [claimed[0].id], instance="dead", now=rig.clock.now()
        )
    assert marked == {claimed[0].id}
    for restart in range(2):
        fresh = Delivery(
            rig.db, rig.clock, rig.delivery.sender, rig.delivery.compose, instance=f"r{restart}"
        )
        rig.clock.advance(timedelta(minutes=1))  # past the PostgreSQL claim lease
        await fresh.recover()
        await fresh.tick()
        await fresh.deliver_due()
    today = [r for r in await rig.rows() if r.local_date == date(2026, 3, 2)]
    morning = {r.user_id: r for r in today if r.slot == "morning"}
    assert {u: str(r.state) for u, r in morning.items()} == dict.fromkeys(users, "sent")
    assert len(rig.sends()) == 4  # everyone once; the dead process's request may add one
    in_flight = morning[claimed[0].user_id]
    assert in_flight.reason == "sent; an earlier attempt may also have arrived"
    assert {r.reason for u, r in morning.items() if u != claimed[0].user_id} == {"sent"}
    assert "2 never started (sent normally), 1 in flight" in caplog.text


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
async def test_a_live_instance_keeps_its_claims_and_a_stalled_one_loses_them(
    any_rig: Rig,
) -> None:
    rig = any_rig  # several instances: PostgreSQL only
    rig.clock.set(utc(2026, 3, 2, 8, 0))
    for _ in range(2):
        await rig.add_user("UTC", time(8, 0), time(20, 0))
    await rig.delivery.plan_all()
    async with rig.db.write() as session:
        claimed, _ = await ledger.claim_due(session, rig.clock.now(), instance="a", limit=2)
    other = Delivery(rig.db, rig.clock, rig.delivery.sender, rig.delivery.compose, instance="b")
    for _ in range(10):  # "a" renews its claims every tick: "b" never takes them
        rig.clock.advance(timedelta(seconds=2))
        async with rig.db.write() as session:
            await ledger.touch_claims(session, instance="a", now=rig.clock.now())
        await other.tick()
    assert (await rig.states())["claimed"] == 2
    rig.clock.advance(timedelta(seconds=11))  # "a" stalls past the lease
    await other.tick()
    await other.deliver_due()
    assert len(rig.sends()) == 2
    # "a" wakes up: its rows are no longer its own, so it sends nothing beside "b".
    async with rig.db.write() as session:
        marked = await ledger.mark_sending(
            session, [c.id for c in claimed], instance="a", now=rig.clock.now()
        )
    assert marked == set()


async def test_paused_stopped_and_turned_off_get_nothing(rig: Rig) -> None:
    rig.clock.set(utc(2026, 3, 2, 0))
    paused = await rig.add_user("UTC", time(8, 0), time(20, 0))
    stopped = await rig.add_user("UTC", time(8, 0), time(20, 0))
    evening_off = await rig.add_user("UTC", time(8, 0), time(20, 0))
    await rig.cycle()  # everything planned
    await change(rig, paused, paused_until=utc(2026, 3, 3, 0))
    async with rig.db.session() as session:
        user = await session.get(User, stopped)
        assert user is not None
        user.status = UserStatus.STOPPED  # without a re-plan: caught at claim time
        session.add(user)
        other = await session.get(User, evening_off)
        assert other is not None
        other.evening_enabled = False
        session.add(other)
    await rig.walk(utc(2026, 3, 2, 23))
    assert rig.sent_texts(50_000) == []
    assert rig.sent_texts(50_001) == []
    assert rig.sent_texts(50_002) == ["morning 2026-03-02 u3"]
    rows = [r for r in await rig.rows() if r.local_date == date(2026, 3, 2)]
    reasons = {(r.user_id, str(r.slot)): (str(r.state), r.reason) for r in rows}
    assert reasons[(stopped, "morning")] == ("cancelled", "person is stopped")
    assert reasons[(evening_off, "evening")] == ("cancelled", "evening prompt turned off")
    assert (paused, "morning") not in reasons  # not planned during the pause


async def test_nothing_to_send_is_cancelled_with_a_reason(rig: Rig) -> None:
    rig.clock.set(utc(2026, 3, 2, 8))
    user = await rig.add_user("UTC", time(8, 0), time(20, 0))
    rig.nothing_for.add(user)
    await rig.cycle()
    [row] = [
        r for r in await rig.rows(user) if r.slot == "morning" and r.local_date == date(2026, 3, 2)
    ]
    assert (str(row.state), row.reason) == ("cancelled", "nothing to send today")


async def test_429_storm_pauses_and_retries_without_failing(rig: Rig) -> None:
    rig.clock.set(utc(2026, 3, 2, 8))
    for _ in range(10):
        await rig.add_user("UTC", time(8, 0), time(20, 0))
    rig.fake.faults.fail_next("sendMessage", count=5, status=429, retry_after=3)
    await rig.cycle()
    assert (await rig.states())["sent"] == 10
    assert rig.delivery.sender.flood_pauses == 5
    assert rig.manual.slept >= 3 * 5
    assert len(rig.sends()) == 10
    rows = [r for r in await rig.rows() if r.state == PromptState.SENT]
    assert {r.attempts for r in rows} == {1}


async def test_5xx_retries_with_backoff_then_fails(rig: Rig) -> None:
    rig.clock.set(utc(2026, 3, 2, 8))
    flaky = await rig.add_user("UTC", time(8, 0), time(20, 0))
    down = await rig.add_user("UTC", time(8, 0), time(20, 0))
    rig.fake.faults.fail_next("sendMessage", count=2, status=500, chat_id=50_000)
    rig.fake.faults.fail_next("sendMessage", count=99, status=502, chat_id=50_001)
    await rig.cycle()
    [retrying] = [
        r
        for r in await rig.rows(flaky)
        if r.slot == "morning" and r.local_date == date(2026, 3, 2)
    ]
    assert str(retrying.state) == "planned"
    assert str(retrying.next_attempt_at) == "2026-03-02 08:00:30+00:00"
    await rig.walk(utc(2026, 3, 2, 11), step=timedelta(seconds=30))
    [ok] = [
        r
        for r in await rig.rows(flaky)
        if r.slot == "morning" and r.local_date == date(2026, 3, 2)
    ]
    [gave_up] = [
        r for r in await rig.rows(down) if r.slot == "morning" and r.local_date == date(2026, 3, 2)
    ]
    assert (str(ok.state), ok.attempts) == ("sent", 3)
    assert (str(gave_up.state), gave_up.attempts) == ("failed", 5)
    assert gave_up.reason is not None
    assert gave_up.reason.startswith("gave up after 5 attempts")


async def test_blocked_and_missing_chats_mark_the_person_blocked(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    rig.clock.set(utc(2026, 3, 2, 8))
    blocker = await rig.add_user("UTC", time(8, 0), time(20, 0))
    gone = await rig.add_user("UTC", time(8, 0), time(20, 0), chat_id=999_999)
    rig.fake.users[50_000].block()
    rig.fake.faults.fail_next("sendMessage", count=1, status=403, chat_id=50_001)
    await rig.cycle()
    for user_id in (blocker, gone):
        [row] = [
            r
            for r in await rig.rows(user_id)
            if r.slot == "morning" and r.local_date == date(2026, 3, 2)
        ]
        assert str(row.state) == "blocked"
        assert (await rig.user(user_id)).status == UserStatus.BLOCKED
    await rig.walk(utc(2026, 3, 3, 12))
    assert rig.sends() == []
    evening = [r for r in await rig.rows(blocker) if r.slot == "evening"][:1]
    assert [(str(r.state), r.reason) for r in evening] == [("cancelled", "person is blocked")]
    # One line per blocked person, whatever the number of ticks since.
    lines = [r.getMessage() for r in caplog.records if r.name == "scheduler.delivery"]
    ids = {
        r.user_id: r.id
        for r in await rig.rows()
        if r.slot == "morning" and r.local_date == date(2026, 3, 2)
    }
    assert sorted(lines) == [
        f"morning prompt {ids[blocker]} of person {blocker}: blocked (403 Forbidden)",
        f"morning prompt {ids[gone]} of person {gone}: blocked (400 Chat not found)",
    ], lines


async def test_timeout_after_delivery_is_sent_again(rig: Rig) -> None:
    rig.clock.set(utc(2026, 3, 2, 8))
    user = await rig.add_user("UTC", time(8, 0), time(20, 0))
    rig.fake.faults.hang_next("sendMessage", after_effect=True)
    await rig.cycle()
    [row] = [
        r for r in await rig.rows(user) if r.slot == "morning" and r.local_date == date(2026, 3, 2)
    ]
    retry_at = utc(2026, 3, 2, 8) + timedelta(seconds=30)
    assert (str(row.state), row.next_attempt_at) == ("planned", retry_at)
    assert row.reason is not None
    assert row.reason.endswith(ledger.MAY_REPEAT)
    await rig.walk(utc(2026, 3, 2, 12))
    [row] = [
        r for r in await rig.rows(user) if r.slot == "morning" and r.local_date == date(2026, 3, 2)
    ]
    assert (str(row.state), row.reason) == (
        "sent",
        "sent; an earlier attempt may also have arrived",
    )
    # It did arrive the first time: a rare duplicate, not a lost morning.
    assert len(rig.fake.bot_messages(50_000)) == 2


async def test_a_timeout_on_the_last_useful_attempt_stays_unknown(rig: Rig) -> None:
    # Ten seconds before the morning stops being useful: no retry would be in time.
    rig.clock.set(utc(2026, 3, 2, 10, 59) + timedelta(seconds=50))
    user = await rig.add_user("UTC", time(8, 0), time(20, 0))
    rig.fake.faults.hang_next("sendMessage", after_effect=True)
    await rig.cycle()
    [row] = [
        r for r in await rig.rows(user) if r.slot == "morning" and r.local_date == date(2026, 3, 2)
    ]
    assert str(row.state) == "unknown"
    assert row.reason is not None
    assert row.reason.startswith("gave up, a retry would be too late: timed out after sending")
    assert rig.delivery.stats.outcomes["unknown"] == 1


async def test_a_prompt_that_cannot_be_rendered_fails_alone(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    rig.clock.set(utc(2026, 3, 2, 8))
    users = [await rig.add_user("UTC", time(8, 0), time(20, 0)) for _ in range(3)]
    rig.broken_for.add(users[1])
    await rig.cycle()
    mornings = {
        r.user_id: (str(r.state), r.reason)
        for r in await rig.rows()
        if r.slot == "morning" and r.local_date == date(2026, 3, 2)
    }
    assert mornings[users[0]] == ("sent", "sent")
    assert mornings[users[2]] == ("sent", "sent")
    assert mornings[users[1]] == ("failed", "could not render: <class 'RuntimeError'>")
    assert "RuntimeError at rig.py" in caplog.text
    assert "a bug in rendering" not in caplog.text  # messages can quote what people wrote


async def test_status_counts_today(any_rig: Rig) -> None:
    rig = any_rig
    rig.clock.set(utc(2026, 3, 2, 8))
    await rig.add_user("UTC", time(8, 0), time(20, 0))
    await rig.cycle()
    async with rig.db.session() as session:
        counts = await ledger.state_counts(session, utc(2026, 3, 2), utc(2026, 3, 3))
    assert counts[PromptState.SENT] == 1
    assert counts[PromptState.PLANNED] == 1
    assert sum(counts.values()) == 2


async def test_status_counts_each_persons_local_today(any_rig: Rig) -> None:
    rig = any_rig
    rig.clock.set(utc(2026, 3, 2, 7))
    for zone in ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"):  # +14 and -11
        await rig.add_user(zone, time(8, 0), time(20, 0))
    await rig.walk(utc(2026, 3, 2, 19))
    # 19:00 UTC: 2 March in London and Pago Pago (08:00), 3 March (09:00) in Kiritimati; each
    # person's morning of that date just went out and their evening is still to come.
    async with rig.db.session() as session:
        counts = await ledger.today_counts(session, rig.clock.now())
    assert counts[PromptState.SENT] == 3
    assert counts[PromptState.PLANNED] == 3
    assert sum(counts.values()) == 6
    assert len(await rig.rows()) > 6  # other local dates are planned too, and not counted


async def test_tick_and_dispatcher_run_concurrently_on_sqlite(rig: Rig) -> None:
    rig.clock.set(utc(2026, 3, 2, 8))
    for _ in range(60):
        await rig.add_user("UTC", time(8, 0), time(20, 0))
    rig.delivery.plan_page = 7
    await rig.delivery.plan_page_once()  # a few people planned, the rest while sending

    async def ticks() -> None:  # one at a time, as the JobQueue runs them (max_instances=1)
        for _ in range(10):
            await rig.delivery.tick()

    # Planning writes while the dispatcher claims, renders and records: no lock errors.
    await asyncio.gather(ticks(), rig.delivery.deliver_due(), rig.delivery.deliver_due())
    await rig.delivery.deliver_due()
    assert (await rig.states())["sent"] == 60
    assert len(rig.sends()) == 60
