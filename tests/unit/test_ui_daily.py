"""Pure texts and buttons of the daily loop and settings."""

from __future__ import annotations

import html
import re
from datetime import date, time

from bot.app import bot_commands
from bot.i18n import translator_for
from bot.kindness.catalog import default_catalog
from bot.services.memories import YEAR, Memory
from bot.ui import daily, preferences, variants
from bot.ui.callbacks import MAX_BYTES

T = translator_for("en")
DAY = date(2026, 3, 2)


def test_a_person_s_long_words_never_overflow_a_message() -> None:
    words = "<b>" * 1400  # 4200 characters, 5600 once escaped
    memory = Memory(words=words, noticed=True, days_ago=YEAR)
    for text in (
        daily.plan_text(T, words),
        daily.celebration_text(T, words, variant=0),
        daily.evening_text(T, "Ana", words),
        daily.evening_text(T, "Ana", words, memory=memory),
    ):
        visible = html.unescape(re.sub(r"<[^>]+>", "", text))
        assert len(visible) < 4096


def test_every_button_fits_telegram_s_limit() -> None:
    acts = list(default_catalog().acts[:3])
    rows = [
        *daily.morning_rows(T, DAY, acts),
        *daily.act_detail_rows(T, DAY, acts[0]),
        *daily.plan_rows(T, DAY, 2**40),
        *daily.note_rows(T, 2**40),
        *daily.evening_rows(T, DAY, planned=True),
        *daily.feeling_rows(T, DAY),
        *daily.received_rows(T, DAY),
        *preferences.confirm_times_rows(T),
        *preferences.zone_rows(T, [("Far away", "America/Argentina/ComodRivadavia")]),
        *preferences.overview_rows(
            T,
            morning_on=True,
            evening_on=False,
            weekdays_only=True,
            memories_on=True,
            paused=True,
        ),
        *preferences.overview_rows(
            T,
            morning_on=False,
            evening_on=True,
            weekdays_only=False,
            memories_on=False,
            paused=False,
        ),
    ]
    assert all(len(data.encode()) <= MAX_BYTES for row in rows for _, data in row)


def test_variants_exist_for_each_recurring_message() -> None:
    celebrations = {
        daily.celebration_text(T, "x", variant=i).split("\n")[0]
        for i in range(variants.CELEBRATION_COUNT)
    }
    goodnights = {daily.goodnight(T, variant=i) for i in range(variants.GOODNIGHT_COUNT)}
    not_today = {
        daily.not_today_text(T, variant=i, tiny=None) for i in range(variants.NOT_TODAY_COUNT)
    }
    assert len(celebrations) == variants.CELEBRATION_COUNT
    assert len(goodnights) == variants.GOODNIGHT_COUNT
    assert len(not_today) == variants.NOT_TODAY_COUNT


def test_no_guilt_in_not_today() -> None:
    for variant in range(variants.NOT_TODAY_COUNT):
        for tiny in (None, *range(variants.TINY_COUNT)):
            text = daily.not_today_text(T, variant=variant, tiny=tiny).casefold()
            assert "missed" not in text
            assert "streak" not in text


def test_overview_formats_times_for_the_locale() -> None:
    text = preferences.overview(
        T,
        zone="Europe/Berlin",
        morning=time(7, 5),
        evening=time(21, 0),
        morning_on=True,
        evening_on=True,
        weekdays_only=False,
        memories_on=False,
        paused_until=None,
        stopped=False,
        locale="de",
        language="Deutsch",
    )
    assert "07:05" in text
    assert "21:00" in text


def test_command_menu_lists_the_daily_commands() -> None:
    names = [command.command for command in bot_commands(T)]
    assert names[:3] == ["today", "done", "reflect"]
    assert {"settings", "help", "start"} <= set(names)


def test_dates_follow_the_locale() -> None:
    assert preferences.format_day(date(2026, 3, 5), "en") == "Thursday, March 5, 2026"
    assert preferences.format_day(date(2026, 3, 5), "de") == "Donnerstag, 5. März 2026"
    assert preferences.format_day(date(2026, 3, 5), "not-a-locale") == "Thursday, March 5, 2026"
