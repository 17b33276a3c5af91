"""Remembering, through the real Application: a memory in the evening message, once.

The scheduled evening goes through the real dispatcher and sender with the manual clock; the
person's words come back a month (or a year) later, exactly once, never on a gentle day, and
not at all once switched off in /settings.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import col, select

from bot.sandbox.users import SimulatedUser
from scheduler.delivery import Delivery
from storage.models import ActDone, Reflection
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded
from tests.flows.looking_back import seed, user_of
from tests.flows.test_data_rights import exported

TODAY = date(2026, 3, 2)  # the harness's first day (UTC)
MONTH_AGO = TODAY - timedelta(days=30)
YEAR_AGO = TODAY - timedelta(days=365)
EVENING = time(20, 30)  # the default evening time onboarding accepts
NOTICED = "a stranger <b>paid</b> for my tea"
CRISIS_TEXT = "Honestly I don't want to live anymore, zebra-quartz"


async def evening_of(bot: Harness, delivery: Delivery, person: SimulatedUser, day: date) -> str:
    """Move the clock to the evening of ``day`` (UTC) and return the evening message sent
    (on a Sunday, after the weekly recap)."""
    before = len(person.messages)
    bot.clock.set(datetime.combine(day, EVENING, tzinfo=UTC) - timedelta(hours=1))
    await delivery.plan_all()
    await delivery.deliver_due()
    bot.clock.set(datetime.combine(day, EVENING, tzinfo=UTC) + timedelta(minutes=1))
    await delivery.plan_all()
    await delivery.deliver_due()
    evenings = [
        m.text or ""
        for m in person.messages[before:]
        if m.from_bot and "Good evening, Ana." in (m.text or "")
    ]
    assert len(evenings) == 1, [m.text for m in person.messages[before:]]
    return evenings[0]


async def remembered(bot: Harness) -> list[date | None]:
    """When each seeded row (from a month or a year ago) came back, if it did."""
    old = [MONTH_AGO, YEAR_AGO]
    async with bot.db.session() as session:
        reflections = await session.exec(
            select(col(Reflection.remembered_on)).where(col(Reflection.local_date).in_(old))
        )
        acts = await session.exec(
            select(col(ActDone.remembered_on)).where(col(ActDone.local_date).in_(old))
        )
        return sorted([*reflections.all(), *acts.all()], key=lambda d: str(d or ""))


async def test_a_month_old_kindness_comes_back_in_the_evening_once(
    bot: Harness, delivery: Delivery
) -> None:
    ana = await onboarded(bot)
    await seed(bot, ana, reflections=[(MONTH_AGO, 4, NOTICED)])

    text = await evening_of(bot, delivery, ana, TODAY)
    assert text.startswith("Good evening, Ana.")
    paragraphs = text.split("\n\n")
    assert paragraphs[1] == f"A month ago you noticed: {NOTICED}"  # escaped, shown as typed
    assert paragraphs[2].startswith("Nothing was planned today")
    evening = ana.messages[-1]
    assert any(e["type"] == "italic" for e in evening.entities)
    assert await remembered(bot) == [TODAY]

    # 335 days on, those words are a year old: they do not come back.
    later = TODAY + timedelta(days=335)
    assert later - timedelta(days=365) == MONTH_AGO
    text = await evening_of(bot, delivery, ana, later)
    assert " ago you " not in text
    assert await remembered(bot) == [TODAY]


async def test_reflect_brings_a_year_old_act_once(bot: Harness, delivery: Delivery) -> None:
    ana = await onboarded(bot)
    await seed(bot, ana, acts=[(YEAR_AGO, "Carried <Mum's> shopping", None)])
    await seed(bot, ana, acts=[(MONTH_AGO, "Wrote to my old teacher", None)])
    await bot.say(ana, "/reflect")
    text = ana.last_message.text or ""
    assert text.startswith("Let's look back on today, Ana.")
    assert "A year ago you did this: Carried <Mum's> shopping" in text
    assert await remembered(bot) == [None, TODAY]
    # Asked again the same evening: the question again, without a second memory.
    await bot.say(ana, "/reflect")
    again = ana.last_message.text or ""
    assert again.startswith("Let's look back on today, Ana.")
    assert " ago you " not in again
    assert await remembered(bot) == [None, TODAY]


async def test_no_memory_on_a_gentle_day(bot: Harness) -> None:
    ana = await onboarded(bot)
    await seed(bot, ana, reflections=[(YEAR_AGO, None, "a friend sat with me")])
    await bot.say(ana, CRISIS_TEXT)
    assert (await user_of(bot, ana)).gentle_until is not None
    await bot.say(ana, "/reflect")
    text = ana.last_message.text or ""
    assert text.startswith("Let's look back on today, Ana.")
    assert " ago you " not in text
    assert await remembered(bot) == [None]


async def test_memories_switch_in_settings(bot: Harness) -> None:
    ana = await onboarded(bot)
    await seed(bot, ana, reflections=[(YEAR_AGO, 5, "my neighbour fixed my bike")])
    await bot.say(ana, "/settings")
    menu = ana.last_message
    assert "Memories: on" in (menu.text or "")
    await bot.press(ana, "Memories off")
    assert ana.last_message.message_id == menu.message_id  # edited in place
    assert "Memories: off" in (ana.last_message.text or "")
    assert ["Memories on"] in ana.last_message.buttons
    assert (await user_of(bot, ana)).memories is False

    # A forged item changes nothing; a stale "off" keeps it off (each button says its state).
    await bot.deliver(await ana.press_data(menu.message_id, "st:-:mem_maybe"))
    assert "out of date" in (ana.callback_answers[-1].get("text") or "")
    await bot.deliver(await ana.press_data(menu.message_id, "st:-:mem_off"))
    assert (await user_of(bot, ana)).memories is False

    await bot.say(ana, "/reflect")
    assert " ago you " not in (ana.last_message.text or "")
    assert await remembered(bot) == [None]

    await bot.say(ana, "/settings")
    await bot.press(ana, "Memories on")
    assert "Memories: on" in (ana.last_message.text or "")
    assert (await user_of(bot, ana)).memories is True
    # Switched on again the same evening, /reflect brings the memory after all.
    await bot.say(ana, "/reflect")
    assert "A year ago you noticed: my neighbour fixed my bike" in (ana.last_message.text or "")
    assert await remembered(bot) == [TODAY]


async def test_privacy_and_export_tell_about_memories(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/privacy")
    privacy = ana.last_message.text or ""
    assert "Memories:" in privacy
    assert "only your own words" in privacy
    assert "/settings" in privacy

    await seed(bot, ana, reflections=[(YEAR_AGO, 3, "a hug")], acts=[(MONTH_AGO, "Baked", None)])
    await bot.say(ana, "/reflect")
    files = await exported(bot, ana)
    data = json.loads(files["kindling-2026-03-02.json"])
    assert data["user"]["memories"] is True
    shown = {r["local_date"]: r["remembered_on"] for r in data["tables"]["reflections"]}
    assert shown[YEAR_AGO.isoformat()] == TODAY.isoformat()
    [act] = data["tables"]["acts_done"]
    assert act["remembered_on"] is None
    evenings = csv.DictReader(io.StringIO(files["kindling-reflections-2026-03-02.csv"].decode()))
    assert {r["local_date"]: r["remembered_on"] for r in evenings} == {
        YEAR_AGO.isoformat(): TODAY.isoformat(),
        TODAY.isoformat(): "",  # the evening /reflect just opened
    }
    acts = csv.DictReader(io.StringIO(files["kindling-acts-2026-03-02.csv"].decode()))
    assert [a["remembered_on"] for a in acts] == [""]
