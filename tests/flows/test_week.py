"""/week through the real Application: gentle counts, feelings in plain words, the chart."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from bot.outbox import compose_message, weekly_recap
from bot.ui.chart import CHART_SIZE_PX
from storage.models import User
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded
from tests.flows.looking_back import PNG_SIGNATURE, png_size, seed, uploaded, user_of

TODAY = date(2026, 3, 2)  # a Monday
SUNDAY = date(2026, 3, 8)


def never_scores(text: str) -> None:
    lowered = text.lower()
    for word in ("streak", "miss", "fail", "score", "only "):
        assert word not in lowered, word
    assert "not a diagnosis" in lowered


async def week_of(bot: Harness, name: str = "Ana") -> tuple[str, bytes]:
    person = await onboarded(bot, name) if name else None
    assert person is not None
    await bot.say(person, "/week")
    text_message, photo = person.messages[-2:]
    assert photo.kind == "photo"
    assert "last 7 days" in (photo.caption or "")
    return text_message.text or "", uploaded(bot, photo)


def check_png(data: bytes) -> None:
    assert data.startswith(PNG_SIGNATURE)
    assert png_size(data) == CHART_SIZE_PX
    assert 5_000 < len(data) < 1_000_000


async def test_week_with_no_history(bot: Harness) -> None:
    text, png = await week_of(bot)
    never_scores(text)
    assert "This week is still open" in text
    assert "Kind days this year: 0." in text
    assert "Kindness from others counts too" in text
    assert "a few more evenings" in text
    check_png(png)


async def test_week_with_one_day(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/done I carried a neighbour's shopping")
    await seed(bot, ana, reflections=[(TODAY, 4, "a stranger held the door")])
    await bot.say(ana, "/week")
    text = ana.messages[-2].text or ""
    never_scores(text)
    assert "This week you logged 1 act of kindness, and 1 this month." in text
    assert "on 1 day this week" in text
    assert "Kind days this year: 1." in text
    check_png(uploaded(bot, ana.last_message))


async def test_week_with_a_year_of_history(bot: Harness) -> None:
    ana = await onboarded(bot)
    days = [TODAY - timedelta(days=n) for n in range(365)]
    # An act on every other day (two on some), a feeling every day: brighter with an act.
    acts: list[tuple[date, str, str | None]] = [
        (d, f"act {d}", None) for d in days if d.toordinal() % 2 == 0
    ]
    acts += [(d, f"second act {d}", "note") for d in days if d.toordinal() % 6 == 0]
    feelings = [(d, 4 if d.toordinal() % 2 == 0 else 2, "kindness seen") for d in days]
    await seed(bot, ana, acts=acts, reflections=feelings)
    await bot.say(ana, "/week")
    text = ana.messages[-2].text or ""
    never_scores(text)
    this_year = [d for d in days if d.year == 2026 and d.toordinal() % 2 == 0]
    assert f"Kind days this year: {len(this_year)}." in text
    assert "you felt a little brighter (about 4.0 of 5, and 2.0 on other days)" in text
    assert "on 1 day this week" in text  # the week began today, a Monday
    check_png(uploaded(bot, ana.last_message))


async def test_weekly_recap_switch_and_composer(bot: Harness) -> None:
    ana = await onboarded(bot)
    user = await user_of(bot, ana)
    assert user.id is not None
    assert user.weekly_recap
    recap = await weekly_recap(bot.db, bot.clock, user.id, SUNDAY)
    assert recap is not None
    assert "Your week, gently" in recap.text
    never_scores(recap.text)
    assert await weekly_recap(bot.db, bot.clock, user.id, TODAY) is None

    await bot.say(ana, "/week")
    await bot.press(ana, "No weekly recap, thanks")
    assert ana.callback_answers[-1]["text"] == "No weekly recap from now on."
    assert ana.messages[-2].buttons == [["Send me a weekly recap"]]
    assert not (await user_of(bot, ana)).weekly_recap
    assert await weekly_recap(bot.db, bot.clock, user.id, SUNDAY) is None

    await bot.press(ana, "Send me a weekly recap")
    async with bot.db.session() as session:
        assert (await session.exec(select(User.weekly_recap))).one() is True


async def test_week_before_start(bot: Harness) -> None:
    eve = bot.person("Eve")
    await bot.say(eve, "/week")
    assert "/start" in (eve.last_message.text or "")
    assert all(message.kind == "text" for message in eve.messages)


async def test_chart_for_a_language_without_a_catalog_uses_the_fallback_labels(
    bot: Harness,
) -> None:
    """Weekday names follow the translation actually used, so no script lacks glyphs."""
    kenji = bot.person("Kenji", language_code="ja")
    await bot.say(kenji, "/start")
    await bot.say(kenji, "Asia/Tokyo")
    await bot.press(kenji, "Sounds good")
    await bot.say(kenji, "/week")
    assert kenji.last_message.kind == "photo"
    check_png(uploaded(bot, kenji.last_message))


async def test_the_recap_rides_with_the_sunday_evening_prompt_only(bot: Harness) -> None:
    ana = await onboarded(bot)
    user = await user_of(bot, ana)
    assert user.id is not None
    sunday = await compose_message(bot.db, bot.clock, user.id, "evening", SUNDAY)
    assert sunday is not None
    assert "Your week, gently" in sunday.text
    assert sunday.buttons  # the evening question's buttons are still there
    saturday = SUNDAY - timedelta(days=1)
    weekday = await compose_message(bot.db, bot.clock, user.id, "evening", saturday)
    assert weekday is not None
    assert "Your week, gently" not in weekday.text
    morning = await compose_message(bot.db, bot.clock, user.id, "morning", SUNDAY)
    assert morning is None or "Your week, gently" not in morning.text

    await bot.say(ana, "/week")
    await bot.press(ana, "No weekly recap, thanks")
    quiet = await compose_message(bot.db, bot.clock, user.id, "evening", SUNDAY)
    assert quiet is not None
    assert "Your week, gently" not in quiet.text
