"""Suggestions that adapt, through the real Application: low energy today, smaller ideas
after "not today", and no repeats across days."""

from __future__ import annotations

import html
from datetime import timedelta
from itertools import pairwise

from sqlmodel import select

from bot.kindness.catalog import Category, Effort, default_catalog
from storage.models import User
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded


def shown_acts(bot: Harness, text: str) -> list[str]:
    catalog = default_catalog()
    plain = html.unescape(text)
    return [act.id for act in catalog.acts if act.text in plain]


async def offered(bot: Harness) -> list[dict[str, object]]:
    async with bot.db.session() as session:
        user = (await session.exec(select(User))).one()
        return list(user.offered_acts or [])


async def test_low_energy_swaps_in_one_minute_and_self_kindness_ideas(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    first = shown_acts(bot, ana.last_message.text or "")
    await bot.press(ana, "Low energy today")
    message = ana.last_message
    assert "gentle one-minute ideas" in (message.text or "")
    assert "Low energy today" not in [label for row in message.buttons for label in row]
    gentle = [default_catalog().get(i) for i in shown_acts(bot, message.text or "")]
    assert len(gentle) == 3
    assert all(a is not None and a.effort is Effort.MINUTE for a in gentle)
    assert any(a is not None and a.category is Category.SELF_KINDNESS for a in gentle)
    assert not set(first) & {a.id for a in gentle if a}

    # "Other ideas" stays gentle for the rest of the day.
    await bot.press(ana, "Other ideas")
    again = [default_catalog().get(i) for i in shown_acts(bot, ana.last_message.text or "")]
    assert all(a is not None and a.effort is Effort.MINUTE for a in again)
    assert (await offered(bot))[-1].get("low") is True


async def test_after_not_today_the_next_ideas_are_small(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "Not today")
    bot.clock.advance(timedelta(days=1))
    await bot.say(ana, "/today")
    acts = [default_catalog().get(i) for i in shown_acts(bot, ana.last_message.text or "")]
    assert len(acts) == 3
    assert all(a is not None and a.effort is not Effort.HOUR for a in acts)


async def test_two_weeks_of_mornings_never_repeat_an_act(bot: Harness) -> None:
    ana = await onboarded(bot)
    seen: list[str] = []
    for _ in range(14):
        await bot.say(ana, "/today")
        seen.extend(shown_acts(bot, ana.last_message.text or ""))
        await bot.press(ana, "Other ideas")
        seen.extend(shown_acts(bot, ana.last_message.text or ""))
        bot.clock.advance(timedelta(days=1))
    assert len(seen) >= 14 * 6
    assert len(seen) == len(set(seen))


async def test_the_morning_question_changes_with_every_round_and_every_day(
    bot: Harness,
) -> None:
    ana = await onboarded(bot)
    questions: list[str] = []
    for _ in range(3):
        await bot.say(ana, "/today")
        questions.append((ana.last_message.text or "").split("\n\n")[1])
        await bot.press(ana, "Other ideas")
        questions.append((ana.last_message.text or "").split("\n\n")[1])
        bot.clock.advance(timedelta(days=1))
    assert all(a != b for a, b in pairwise(questions))
