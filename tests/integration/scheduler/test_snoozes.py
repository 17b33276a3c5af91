"""Snoozes in the ledger: one row per person and day, re-armed, called off, never re-planned,
and claimed under the rules of a prompt asked for by hand."""

from __future__ import annotations

from datetime import date, time, timedelta

from scheduler import ledger
from scheduler.snoozes import cancel_snooze, snooze
from storage.models import Days, PromptSlot, PromptState, User
from tests.integration.scheduler.rig import Rig, utc

DAY = date(2026, 3, 2)


async def _snooze(
    rig: Rig, user_id: int, after: timedelta = timedelta(hours=2), day: date = DAY
) -> bool:
    now = rig.clock.now()
    async with rig.db.write() as session:
        return await snooze(session, user_id=user_id, local_date=day, due=now + after, now=now)


async def test_one_snooze_at_a_time_then_re_armed_once_sent(any_rig: Rig) -> None:
    rig = any_rig
    user = await rig.add_user()
    assert await _snooze(rig, user)
    assert not await _snooze(rig, user, timedelta(minutes=5))  # one is on its way
    rig.clock.advance(timedelta(hours=2))
    await rig.delivery.deliver_due()
    assert rig.sent_texts(50_000) == [f"snooze {DAY.isoformat()} u{user}"]
    assert await _snooze(rig, user)  # the ideas came back: "Later" again works
    [row] = [r for r in await rig.rows(user) if r.slot == PromptSlot.SNOOZE]
    assert (row.state, row.attempts, row.sent_at) == (PromptState.PLANNED, 0, None)
    rig.clock.advance(timedelta(hours=2))
    await rig.delivery.deliver_due()
    assert len(rig.sent_texts(50_000)) == 2


async def test_calling_off_touches_only_a_planned_snooze(rig: Rig) -> None:
    user = await rig.add_user()
    await rig.cycle()  # plans the day's morning and evening
    await _snooze(rig, user)
    async with rig.db.write() as session:
        assert await cancel_snooze(session, user_id=user, now=rig.clock.now(), reason="x") == 1
        assert await cancel_snooze(session, user_id=user, now=rig.clock.now(), reason="x") == 0
    states = {(r.slot, r.state) for r in await rig.rows(user)}
    assert (PromptSlot.SNOOZE, PromptState.CANCELLED) in states
    assert {s for slot, s in states if slot != PromptSlot.SNOOZE} == {PromptState.PLANNED}


async def test_re_planning_after_a_settings_change_keeps_the_snooze(rig: Rig) -> None:
    user = await rig.add_user()
    await _snooze(rig, user)
    async with rig.db.write() as session:
        await ledger.replan_user(session, user, rig.clock.now())
    assert [r.state for r in await rig.rows(user) if r.slot == PromptSlot.SNOOZE] == [
        PromptState.PLANNED
    ]


async def test_asked_for_by_hand_it_ignores_the_slot_settings_but_not_a_pause(rig: Rig) -> None:
    rig.clock.set(utc(2026, 3, 7, 9))
    # Morning prompts off and today (a Saturday) not a prompt day: "Later" was asked for anyway.
    keen = await rig.add_user(morning_enabled=False, days=Days.WEEKDAYS)
    paused = await rig.add_user(morning=time(7))
    for user in (keen, paused):
        await _snooze(rig, user, day=date(2026, 3, 7))
    async with rig.db.write() as session:
        row = await session.get(User, paused)
        assert row is not None
        row.paused_until = utc(2026, 3, 9)
    rig.clock.advance(timedelta(hours=2))
    await rig.delivery.deliver_due()
    got = {r.user_id: r.state for r in await rig.rows() if r.slot == PromptSlot.SNOOZE}
    assert got == {keen: PromptState.SENT, paused: PromptState.CANCELLED}


async def test_a_snooze_too_late_to_be_useful_is_skipped(rig: Rig) -> None:
    user = await rig.add_user()
    await _snooze(rig, user)
    rig.clock.advance(timedelta(hours=20))  # the service was down; the day is over
    await rig.delivery.deliver_due()
    assert [r.state for r in await rig.rows(user) if r.slot == PromptSlot.SNOOZE] == [
        PromptState.SKIPPED_LATE
    ]
