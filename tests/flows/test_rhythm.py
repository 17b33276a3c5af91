"""Choose a rhythm: "a little most days" or kindness days, through the real Application.

The scheduled prompts go through the real dispatcher and sender with the manual clock. The
harness starts on Monday 2026-03-02 at 09:00 UTC; the kindness days chosen here are Wednesday
and Saturday, so the week runs: Tue quiet, Wed list, Thu quiet, Fri quiet, Sat list.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import col, select

from bot.kindness.catalog import default_catalog
from bot.sandbox.users import SimulatedUser
from scheduler.delivery import Delivery
from storage.models import (
    ActDone,
    Checklist,
    Prompt,
    PromptSlot,
    Reflection,
    ReflectionOutcome,
)
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded
from tests.flows.looking_back import user_of

MONDAY = date(2026, 3, 2)
WEDNESDAY = MONDAY + timedelta(days=2)
THURSDAY = MONDAY + timedelta(days=3)
MORNING = time(8, 30)  # the default times onboarding accepts
EVENING = time(20, 30)
WED_SAT = 1 << 2 | 1 << 5
TICKED = "✅"


async def run_until(bot: Harness, delivery: Delivery, day: date, at: time) -> None:
    """Move the clock to ``day`` at ``at`` (UTC) plus a minute, planning and sending on the way."""
    bot.clock.set(datetime.combine(day, at, tzinfo=UTC) - timedelta(hours=1))
    await delivery.plan_all()
    await delivery.deliver_due()
    bot.clock.set(datetime.combine(day, at, tzinfo=UTC) + timedelta(minutes=1))
    await delivery.plan_all()
    await delivery.deliver_due()


async def with_kindness_days(bot: Harness) -> SimulatedUser:
    """Ana, onboarded on Monday, who chose Wednesday and Saturday in /settings."""
    ana = await onboarded(bot)
    await bot.say(ana, "/settings")
    await bot.press(ana, "Rhythm")
    await bot.press(ana, "Wed")
    await bot.press(ana, "Sat")
    await bot.press(ana, "Save kindness days")
    return ana


def labels(person: SimulatedUser) -> list[str]:
    return [label for row in person.last_message.buttons for label in row]


async def ledger(bot: Harness, slot: PromptSlot) -> set[date]:
    async with bot.db.session() as session:
        rows = await session.exec(select(Prompt).where(col(Prompt.slot) == slot))
        return {row.local_date for row in rows.all()}


async def acts(bot: Harness) -> list[ActDone]:
    async with bot.db.session() as session:
        return list((await session.exec(select(ActDone).order_by(col(ActDone.id)))).all())


async def test_the_rhythm_screen_saves_one_or_two_days_and_refuses_a_third(
    bot: Harness,
) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/settings")
    assert "Rhythm: a little most days" in (ana.last_message.text or "")
    await bot.press(ana, "Rhythm")
    screen = ana.last_message
    assert "<b>Your rhythm</b>" not in (screen.text or "")  # rendered, not raw HTML
    assert "Lyubomirsky, Sheldon and Schkade, 2005" in (screen.text or "")
    assert labels(ana)[0] == f"{TICKED} A little most days"
    await bot.press(ana, "Wed")
    await bot.press(ana, "Sat")
    assert ana.last_message.message_id == screen.message_id  # redrawn in place
    assert {f"{TICKED} Wed", f"{TICKED} Sat", "Save kindness days"} <= set(labels(ana))
    await bot.press(ana, "Thu")
    assert "One or two days" in (ana.callback_answers[-1].get("text") or "")
    assert "Thu" in labels(ana)  # unchanged: still not chosen
    await bot.press(ana, "Save kindness days")
    assert "Your kindness days: Wednesday and Saturday." in (ana.last_message.text or "")
    assert (await user_of(bot, ana)).kindness_days == WED_SAT
    await bot.say(ana, "/settings")
    text = ana.last_message.text or ""
    assert "Rhythm: kindness days (Wednesday and Saturday)" in text
    assert "Other evenings' question: on" in text
    assert "Days:" not in text


async def test_mornings_come_on_kindness_days_only_and_evenings_every_day(
    bot: Harness, delivery: Delivery
) -> None:
    await with_kindness_days(bot)
    for offset in range(1, 7):
        await run_until(bot, delivery, MONDAY + timedelta(days=offset), EVENING)
    mornings = await ledger(bot, PromptSlot.MORNING)
    evenings = await ledger(bot, PromptSlot.EVENING)
    week = {MONDAY + timedelta(days=n) for n in range(1, 7)}
    assert mornings & week == {WEDNESDAY, MONDAY + timedelta(days=5)}
    assert evenings & week == week


async def test_a_kindness_day_brings_a_list_ticked_off_in_place(
    bot: Harness, delivery: Delivery
) -> None:
    ana = await with_kindness_days(bot)
    await run_until(bot, delivery, WEDNESDAY, MORNING)
    listed = ana.last_message
    assert "Today is your kindness day." in (listed.text or "")
    boxes = [label for row in listed.buttons for label in row][:-1]
    assert len(boxes) == 4
    assert labels(ana)[-1] == "Not today"

    await bot.press(ana, boxes[0])
    assert ana.last_message.message_id == listed.message_id
    assert labels(ana)[0].startswith(TICKED)
    assert "Not today" not in labels(ana)  # the day has begun
    assert "1 of 4 done" in (ana.last_message.text or "")
    assert ana.callback_answers[-1].get("text") == "Ticked off. Lovely."
    [logged] = await acts(bot)
    assert logged.local_date == WEDNESDAY
    assert logged.act_id is not None

    # Tapping a ticked act takes the tick back, and its log with it.
    await bot.press(ana, labels(ana)[0])
    assert not labels(ana)[0].startswith(TICKED)
    assert await acts(bot) == []

    for label in boxes:
        await bot.press(ana, label)
    assert "All done." in (ana.last_message.text or "")
    assert len(await acts(bot)) == 4
    # /today shows the same list, ticks and all, and makes no second one.
    await bot.say(ana, "/today")
    assert all(label.startswith(TICKED) for label in labels(ana))
    async with bot.db.session() as session:
        assert len((await session.exec(select(Checklist))).all()) == 1


async def test_a_kindness_days_evening_starts_with_how_you_feel(
    bot: Harness, delivery: Delivery
) -> None:
    ana = await with_kindness_days(bot)
    await run_until(bot, delivery, WEDNESDAY, MORNING)
    boxes = labels(ana)[:2]
    for label in boxes:
        await bot.press(ana, label)
    await run_until(bot, delivery, WEDNESDAY, EVENING)
    evening = ana.last_message.text or ""
    assert "Your kindness day: 2 of 4 acts ticked off. Thank you." in evening
    assert "How are you feeling right now?" in evening
    await bot.press(ana, "4")
    assert "What kindness did you receive or witness today?" in (ana.last_message.text or "")
    await bot.say(ana, "A colleague brought me soup")
    async with bot.db.session() as session:
        reflection = (await session.exec(select(Reflection))).one()
    assert (reflection.outcome, reflection.feeling, reflection.completed) == (
        ReflectionOutcome.PARTLY,
        4,
        True,
    )
    assert reflection.received == "A colleague brought me soup"


async def test_a_quiet_day_asks_only_what_kindness_you_received(
    bot: Harness, delivery: Delivery
) -> None:
    ana = await with_kindness_days(bot)
    before = len(ana.messages)
    await run_until(bot, delivery, THURSDAY, MORNING)
    assert len(ana.messages) == before  # no morning on a quiet day
    await run_until(bot, delivery, THURSDAY, EVENING)
    quiet = ana.last_message
    assert "One question for a quiet day" in (quiet.text or "")
    assert labels(ana) == ["Skip"]
    await bot.say(ana, "My neighbour carried my bags")
    async with bot.db.session() as session:
        reflection = (await session.exec(select(Reflection))).one()
    assert reflection.local_date == THURSDAY
    assert reflection.received == "My neighbour carried my bags"
    assert reflection.completed
    assert "Would you like to thank them?" in (ana.last_message.text or "")


async def test_other_evenings_can_be_quiet_too(bot: Harness, delivery: Delivery) -> None:
    ana = await with_kindness_days(bot)
    await bot.say(ana, "/settings")
    await bot.press(ana, "Other evenings off")
    assert "Other evenings' question: off" in (ana.last_message.text or "")
    before = len(ana.messages)
    await run_until(bot, delivery, THURSDAY, EVENING)
    assert len(ana.messages) == before
    # The kindness day's own evening still comes.
    await run_until(bot, delivery, MONDAY + timedelta(days=5), EVENING)
    assert "Good evening, Ana." in (ana.last_message.text or "")


async def test_onboarding_ends_with_the_rhythm_one_tap_away(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.press(ana, "Kindness days instead")
    assert "Kindness days" in (ana.last_message.text or "")
    await bot.press(ana, "Mon")
    await bot.press(ana, "Save kindness days")
    assert "Today is one of them: send /today for its list." in (ana.last_message.text or "")
    await bot.say(ana, "/today")
    assert "Your kindness day, Ana." in (ana.last_message.text or "")


async def test_back_to_most_days_plans_every_morning_again(
    bot: Harness, delivery: Delivery
) -> None:
    ana = await with_kindness_days(bot)
    await bot.say(ana, "/settings")
    await bot.press(ana, "Rhythm")
    await bot.press(ana, "A little most days")
    assert "A little most days it is" in (ana.last_message.text or "")
    assert (await user_of(bot, ana)).kindness_days == 0
    await run_until(bot, delivery, THURSDAY, MORNING)
    assert "Good morning, Ana." in (ana.last_message.text or "")
    assert "Today is your kindness day" not in (ana.last_message.text or "")


async def test_forged_and_stale_rhythm_buttons_change_nothing(
    bot: Harness, delivery: Delivery
) -> None:
    ana = await with_kindness_days(bot)
    message_id = ana.last_message.message_id
    for data, note in (
        ("rh:-:s0", "Tap one or two days first."),
        ("rh:-:s7", "One or two days"),  # three days
        ("rh:-:d127", "One or two days"),
        ("rh:-:s128", "out of date"),  # an eighth day
        ("rh:-:d9999", "out of date"),
        ("rh:-:sx", "out of date"),
        ("rh:-:nonsense", "out of date"),
    ):
        await bot.deliver(await ana.press_data(message_id, data))
        assert note in (ana.callback_answers[-1].get("text") or ""), data
    assert (await user_of(bot, ana)).kindness_days == WED_SAT

    await run_until(bot, delivery, WEDNESDAY, MORNING)
    listed = ana.last_message
    on_list = labels(ana)[0]
    # An act that is not on the list, and a day with no list: out of date, nothing logged.
    async with bot.db.session() as session:
        shown = (await session.exec(select(Checklist))).one().act_ids
    elsewhere = next(act.id for act in default_catalog().acts if act.id not in shown)
    for data in ("ck:20260304:not_an_act", f"ck:20260304:{elsewhere}", f"ck:20260303:{shown[0]}"):
        await bot.deliver(await ana.press_data(listed.message_id, data))
        assert "out of date" in (ana.callback_answers[-1].get("text") or ""), data
    assert await acts(bot) == []

    # The rhythm changes; the day's list was shown, so its ticks still count for its day.
    await bot.say(ana, "/settings")
    await bot.press(ana, "Rhythm")
    await bot.press(ana, "A little most days")
    await bot.deliver(await ana.press(on_list, message_id=listed.message_id))
    assert len(await acts(bot)) == 1
    # An old "Other evenings" switch after going back to most days: out of date.
    await bot.deliver(await ana.press_data(message_id, "st:-:qe_off"))
    assert "out of date" in (ana.callback_answers[-1].get("text") or "")
    # Two days on, the list is out of date.
    bot.clock.advance(timedelta(days=2))
    await bot.deliver(await ana.press_data(listed.message_id, f"ck:20260304:{shown[1]}"))
    assert "out of date" in (ana.callback_answers[-1].get("text") or "")
    assert len(await acts(bot)) == 1


async def test_week_and_journal_tell_the_kindness_day(bot: Harness, delivery: Delivery) -> None:
    ana = await with_kindness_days(bot)
    await bot.say(ana, "/week")
    week = "\n".join(m.text or m.caption or "" for m in ana.messages[-2:])
    assert "Your next kindness day: Wednesday." in week
    await run_until(bot, delivery, WEDNESDAY, MORNING)
    for label in labels(ana)[:3]:
        await bot.press(ana, label)
    await bot.say(ana, "/week")
    week = "\n".join(m.text or m.caption or "" for m in ana.messages[-2:])
    assert "Kindness day, Wednesday: 3 of 4 acts." in week
    await bot.say(ana, "/journal")
    assert "Kindness day: 3 of 4 ticked off" in (ana.last_message.text or "")
