"""The planner and replan_user on the first day: nothing due before ``users.prompts_from``."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.ledger import replan_user
from scheduler.timing import prompts_start
from storage.models import Prompt, PromptSlot
from tests.integration.scheduler.rig import Rig, utc

KOLKATA = ZoneInfo("Asia/Kolkata")
FINISHED = utc(2026, 3, 2, 3, 23)  # 08:53 in Kolkata, after the 08:30 morning
DAY = date(2026, 3, 2)


def keys(rows: list[Prompt]) -> list[tuple[str, date, str]]:
    return [(str(r.slot), r.local_date, str(r.state)) for r in rows]


async def test_every_pass_leaves_out_the_morning_that_was_due_before_onboarding(
    any_rig: Rig,
) -> None:
    any_rig.clock.set(FINISHED)
    ana = await any_rig.add_user("Asia/Kolkata", prompts_from=prompts_start(FINISHED, KOLKATA))
    # Someone in the same zone with the same times, active before today: the memoized plans
    # of the shared (zone, time) must not leak the first day's rule to them, or theirs to Ana.
    old_hand = await any_rig.add_user("Asia/Kolkata")

    for _ in range(3):  # the periodic planner plans every active person again each pass
        await any_rig.delivery.plan_all()
    assert keys(await any_rig.rows(ana)) == [
        ("evening", DAY, "planned"),
        ("morning", DAY + timedelta(days=1), "planned"),
        ("evening", DAY + timedelta(days=1), "planned"),
    ]
    assert keys(await any_rig.rows(old_hand))[0] == ("morning", DAY, "planned")

    # Through the morning's whole usefulness (3 h) and the rest of the day: never re-created,
    # and every other prompt goes out once at its time.
    await any_rig.walk(utc(2026, 3, 3, 16))
    rows = [r for r in await any_rig.rows(ana) if r.local_date <= DAY + timedelta(days=1)]
    assert keys(rows) == [
        ("evening", DAY, "sent"),
        ("morning", DAY + timedelta(days=1), "sent"),
        ("evening", DAY + timedelta(days=1), "sent"),
    ]
    assert [str(r.sent_at) for r in rows] == [
        "2026-03-02 15:00:00+00:00",
        "2026-03-03 03:00:00+00:00",
        "2026-03-03 15:00:00+00:00",
    ]
    assert not any(text.startswith(f"morning {DAY}") for text in any_rig.sent_texts(50_000))


async def test_replan_user_respects_the_start_too(any_rig: Rig) -> None:
    any_rig.clock.set(FINISHED)
    ana = await any_rig.add_user("Asia/Kolkata", prompts_from=prompts_start(FINISHED, KOLKATA))
    async with any_rig.db.write() as session:
        await replan_user(session, ana, FINISHED + timedelta(minutes=5))
    rows = await any_rig.rows(ana)
    assert (PromptSlot.MORNING, DAY) not in {(r.slot, r.local_date) for r in rows}
    assert (PromptSlot.EVENING, DAY) in {(r.slot, r.local_date) for r in rows}


async def test_a_start_in_the_quiet_hour_keeps_out_a_morning_due_minutes_after_the_ideas(
    any_rig: Rig,
) -> None:
    finished = utc(2026, 3, 2, 2, 55)  # 08:25 in Kolkata, five minutes before the morning
    any_rig.clock.set(finished)
    ana = await any_rig.add_user("Asia/Kolkata", prompts_from=prompts_start(finished, KOLKATA))
    await any_rig.delivery.plan_all()
    assert keys(await any_rig.rows(ana))[0] == ("evening", DAY, "planned")


async def test_an_evening_an_hour_or_more_after_onboarding_is_kept(any_rig: Rig) -> None:
    # 19:30 in Kolkata: the 20:30 evening is exactly an hour after the ideas.
    finished = utc(2026, 3, 2, 14, 0)
    any_rig.clock.set(finished)
    ana = await any_rig.add_user("Asia/Kolkata", prompts_from=prompts_start(finished, KOLKATA))
    await any_rig.delivery.plan_all()
    assert keys(await any_rig.rows(ana))[0] == ("evening", DAY, "planned")

    # A minute later it would follow the ideas by 59 minutes: not sent that day.
    finished += timedelta(minutes=1)
    any_rig.clock.set(finished)
    bo = await any_rig.add_user("Asia/Kolkata", prompts_from=prompts_start(finished, KOLKATA))
    await any_rig.delivery.plan_all()
    assert keys(await any_rig.rows(bo))[0] == ("morning", DAY + timedelta(days=1), "planned")


async def test_a_paused_first_day_ends_at_the_later_of_the_two(any_rig: Rig) -> None:
    any_rig.clock.set(FINISHED)
    start = prompts_start(FINISHED, KOLKATA)  # 09:53 in Kolkata
    # A pause ending at 09:00, before the start: the 09:15 morning is still kept out.
    ana = await any_rig.add_user(
        "Asia/Kolkata",
        morning=time(9, 15),
        prompts_from=start,
        paused_until=utc(2026, 3, 2, 3, 30),
    )
    # A pause ending at midnight, after the start: the 20:30 evening is kept out by it.
    bo = await any_rig.add_user(
        "Asia/Kolkata", prompts_from=start, paused_until=utc(2026, 3, 2, 18, 30)
    )
    await any_rig.delivery.plan_all()
    assert keys(await any_rig.rows(ana))[0] == ("evening", DAY, "planned")
    assert keys(await any_rig.rows(bo))[0] == ("morning", DAY + timedelta(days=1), "planned")
