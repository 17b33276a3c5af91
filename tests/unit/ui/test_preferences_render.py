"""Rendering the preference flows' typed results: onboarding, settings, /language."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.i18n import translator_for
from bot.kindness.catalog import default_catalog
from bot.services.daily_prompts import MorningPrompt
from bot.services.language import LanguageChoice, Result
from bot.services.preferences import (
    AllSet,
    AskTime,
    BadTime,
    BadZone,
    City,
    CityChoice,
    ClockChoice,
    Overview,
    Paused,
    Refusal,
    Said,
    Setting,
    Slot,
    Start,
    Times,
    TimeSet,
    Unchanged,
    ZoneSet,
)
from bot.ui import language as language_ui
from bot.ui import preferences as ui
from bot.ui.callbacks import Action, parse
from bot.ui.screens import Screen

T = translator_for("en")
TIMES = Times(morning=time(8, 30), evening=time(20, 30), locale="en-US")
OVERVIEW = Overview(
    zone="Europe/Berlin",
    morning=time(7, 5),
    evening=time(21, 0),
    morning_on=True,
    evening_on=False,
    weekdays_only=True,
    memories_on=True,
    paused_until=None,
    stopped=False,
    locale="de",
)


def actions(screen: Screen) -> list[tuple[Action, str]]:
    parsed = [parse(data) for row in screen.buttons for _, data in row]
    return [(cb.action, cb.arg) for cb in parsed if cb is not None]


def labels(screen: Screen) -> list[str]:
    return [label for row in screen.buttons for label, _ in row]


def test_start_welcomes_and_asks_where_while_onboarding() -> None:
    new = ui.render_start(
        T, Start(created=True, onboarding=True, reactivated=False, first_name="<Ana>")
    )
    assert [m.text.split("\n")[0] for m in new.messages] == [
        "Hi &lt;Ana&gt;, I'm Kindling.",
        "First, so I write at sensible hours: where are you?",
    ]
    assert new.location_keyboard == "Share my location"
    again = ui.render_start(
        T, Start(created=False, onboarding=True, reactivated=False, first_name="Ana")
    )
    assert again.messages[0].text == "Hello again, Ana. Everything you shared is still here."
    assert len(again.messages) == 2


def test_start_for_someone_known_is_one_welcome_back() -> None:
    known = ui.render_start(
        T, Start(created=False, onboarding=False, reactivated=True, first_name="Ana")
    )
    assert len(known.messages) == 1
    assert known.messages[0].text.startswith("Welcome back, Ana.")
    assert known.location_keyboard is None


def test_a_zone_set_while_onboarding_asks_about_the_times() -> None:
    answer = ui.render_zone(
        T, ZoneSet(zone="Europe/Berlin", local_now=time(14, 5), locale="en-US", then=TIMES)
    )
    assert answer.remove_keyboard
    confirmation, times = answer.messages
    assert confirmation.text == "Got it: Europe/Berlin. It's 2:05\u202fPM there now."
    assert "8:30\u202fAM" in times.text
    assert "8:30\u202fPM" in times.text
    assert actions(times) == [
        (Action.TIMES_OK, ""),
        (Action.SETTINGS, Setting.MORNING.value),
        (Action.SETTINGS, Setting.EVENING.value),
    ]
    later = ui.render_zone(
        T, ZoneSet(zone="Asia/Tokyo", local_now=time(9), locale="de", then=None)
    )
    assert [m.text for m in later.messages] == ["Got it: Asia/Tokyo. It's 09:00 there now."]


def test_zone_choices_are_buttons_with_a_way_out() -> None:
    cities = CityChoice(
        cities=(
            City("Springfield", "Illinois", "United States", "America/Chicago"),
            City("Springfield", "Massachusetts", "United States", "America/New_York"),
        )
    )
    (screen,) = ui.render_zone(T, cities).messages
    assert screen.text == "A few places have that name. Which one is yours?"
    assert labels(screen) == [
        "Springfield, Illinois, United States",
        "Springfield, Massachusetts, United States",
        "None of these",
    ]
    assert actions(screen)[:2] == [
        (Action.ZONE, "America/Chicago"),
        (Action.ZONE, "America/New_York"),
    ]
    assert actions(screen)[2] == (Action.ZONE_OTHER, "")
    clock = ClockChoice(
        local=time(14, 30), locale="en-US", zones=("Asia/Kolkata", "Asia/Ho_Chi_Minh")
    )
    (screen,) = ui.render_zone(T, clock).messages
    assert "2:30\u202fPM" in screen.text
    assert labels(screen) == ["Asia/Kolkata", "Asia/Ho Chi Minh", "None of these"]


def test_nothing_found() -> None:
    (bad,) = ui.render_zone(T, BadZone(current="Europe/Berlin")).messages
    assert bad.text.endswith("It stays at Europe/Berlin for now.")
    (onboarding,) = ui.render_zone(T, Said.ZONE_NOT_FOUND).messages
    assert onboarding.text.startswith("I couldn't find that place. Try a nearby city")
    assert not ui.render_zone(T, Said.ZONE_NOT_FOUND).remove_keyboard


def test_times() -> None:
    done = ui.render_time(T, TimeSet(slot=Slot.MORNING, at=time(7), locale="de", then=None))
    assert [m.text for m in done.messages] == ["Done. Morning ideas will come at 07:00."]
    onboarding = ui.render_time(
        T, TimeSet(slot=Slot.EVENING, at=time(21), locale="en", then=TIMES)
    )
    assert onboarding.messages[0].text == "Done. The evening check-in will come at 9:00\u202fPM."
    assert actions(onboarding.messages[1])[0] == (Action.TIMES_OK, "")
    bad = ui.render_time(T, BadTime(slot=Slot.EVENING, current=time(20, 30), locale="de"))
    assert "/evening 8:30" in bad.messages[0].text
    assert bad.messages[0].text.endswith("It stays at 20:30 for now.")


def test_a_step_answer_renders_whatever_the_step_was() -> None:
    assert ui.render_step_answer(T, Unchanged(then=None)).messages == [
        Screen("Okay, I've left it as it was.")
    ]
    onboarding = ui.render_step_answer(T, Unchanged(then=TIMES))
    assert len(onboarding.messages) == 2
    assert ui.render_step_answer(T, BadZone("UTC")) == ui.render_zone(T, BadZone("UTC"))
    time_set = TimeSet(slot=Slot.MORNING, at=time(7), locale="de", then=None)
    assert ui.render_step_answer(T, time_set) == ui.render_time(T, time_set)


def test_pause_resume_stop() -> None:
    (paused,) = ui.render_change(T, Paused(until=date(2026, 3, 5))).messages
    assert paused.text.startswith("Paused. I'll be back on Thursday, March 5, 2026.")
    texts = {said: ui.render_change(T, said).messages[0].text for said in Said}
    assert len(set(texts.values())) == len(Said)
    assert texts[Said.STOPPED].startswith("Done, no more prompts.")
    assert texts[Said.NOT_PAUSED] == "Your prompts are already on."


def test_overview() -> None:
    screen = ui.render_overview(T, OVERVIEW)
    assert "Morning ideas: 07:05 (on)" in screen.text
    assert "Evening check-in: 21:00 (off)" in screen.text
    assert "Days: weekdays only" in screen.text
    assert "Language: English" in screen.text
    assert "Memories: on" in screen.text
    assert "Pause for a week" in labels(screen)
    assert "Memories off" in labels(screen)
    assert {arg for _, arg in actions(screen)} == {s.value for s in Setting} - {
        "resume",
        "mem_on",
        "qe_on",
        "qe_off",
    } | {"open"}
    assert "Rhythm: a little most days" in screen.text
    # Under kindness days the days switch gives way to the other evenings' question.
    kind = ui.render_overview(
        T, Overview(**{**OVERVIEW.__dict__, "kindness_days": 0b1000100, "quiet_evenings": False})
    )
    assert "Rhythm: kindness days (Wednesday and Sunday)" in kind.text
    assert "Other evenings' question: off" in kind.text
    assert "Days:" not in kind.text
    settings = {arg for action, arg in actions(kind) if action is Action.SETTINGS}
    assert "qe_on" in settings
    assert not settings & {"days", "qe_off"}
    paused = ui.render_overview(
        translator_for("de"), Overview(**{**OVERVIEW.__dict__, "paused_until": date(2026, 3, 9)})
    )
    assert "Sprache: Deutsch" in paused.text
    assert (Action.SETTINGS, "resume") in actions(paused)


def test_overview_memories_switch_says_what_it_does() -> None:
    off = ui.render_overview(T, Overview(**{**OVERVIEW.__dict__, "memories_on": False}))
    assert "Memories: off" in off.text
    assert "Memories on" in labels(off)
    assert "Memories off" not in labels(off)
    assert (Action.SETTINGS, "mem_on") in actions(off)
    assert (Action.SETTINGS, "mem_off") not in actions(off)
    on = ui.render_overview(T, OVERVIEW)
    assert (Action.SETTINGS, "mem_off") in actions(on)
    assert (Action.SETTINGS, "mem_on") not in actions(on)


def test_zone_buttons() -> None:
    zone_set = ZoneSet(zone="Europe/Berlin", local_now=time(14, 5), locale="en", then=TIMES)
    pressed = ui.render_zone_press(T, zone_set)
    assert pressed.edit is not None
    assert pressed.edit.text.startswith("Got it: Europe/Berlin.")
    assert len(pressed.send) == 1
    assert ui.render_zone_press(T, Refusal.OUT_OF_DATE).note == (
        "That button is out of date, so nothing changed."
    )
    other = ui.render_other_zone(T, Said.ASK_ZONE)
    assert other.edit == Screen(
        "Type your city (like “Berlin”) or time zone (like “Europe/Berlin”)."
    )


def test_all_set_sends_todays_ideas() -> None:
    ideas = MorningPrompt(
        day=date(2026, 3, 2),
        first_name="Ana",
        acts=tuple(default_catalog().acts[:3]),
        person_id=3,
        opener=0,
        on_demand=True,
        gentle=False,
    )
    answer = ui.render_all_set(T, AllSet(ideas=ideas))
    assert answer.edit is not None
    assert answer.edit.text.startswith("All set.")
    (morning,) = answer.send
    assert [a for a, _ in actions(morning)].count(Action.PICK) == 3
    assert ui.render_all_set(T, AllSet(ideas=None)).send == []
    assert ui.render_all_set(T, Refusal.ALREADY_SAVED).note == "Already saved."


@pytest.mark.parametrize(
    ("result", "where"),
    [
        (OVERVIEW, "edit"),
        (AskTime(slot=Slot.MORNING), "send"),
        (AskTime(slot=Slot.EVENING), "send"),
        (LanguageChoice(Result.SHOWN, "de"), "send"),
        (Said.ASK_ZONE, "send"),
        (Refusal.OUT_OF_DATE, "note"),
    ],
    ids=repr,
)
def test_menu_buttons(result: object, where: str) -> None:
    answer = ui.render_menu(T, result)  # type: ignore[arg-type]
    shown = {"edit": answer.edit is not None, "send": bool(answer.send), "note": bool(answer.note)}
    assert [key for key, value in shown.items() if value] == [where]


def test_menu_language_is_the_picker_with_the_current_ticked() -> None:
    (picker,) = ui.render_menu(T, LanguageChoice(Result.SHOWN, "de")).send
    assert picker.text.startswith("Which language should I write in?")
    assert "✓ Deutsch" in labels(picker)
    assert (
        ui.render_menu(T, AskTime(Slot.EVENING))
        .send[0]
        .text.startswith("What time would you like the evening check-in?")
    )


def test_language() -> None:
    german = translator_for("de")
    chosen = language_ui.render_language(german, LanguageChoice(Result.SET, "de"))
    assert chosen == Screen("Ab jetzt schreibe ich auf Deutsch.")
    unknown = language_ui.render_language(T, LanguageChoice(Result.UNKNOWN, "en"))
    assert unknown.text == "I don't know that language yet. These are the ones I can write in:"
    assert labels(unknown)[0] == "✓ English"
    assert all(action is Action.LANGUAGE for action, _ in actions(unknown))
    shown = language_ui.render_language(T, LanguageChoice(Result.SHOWN, "en"))
    assert shown.buttons == unknown.buttons
    press = language_ui.render_language_press(german, LanguageChoice(Result.SET, "de"))
    assert press.edit == chosen
    stale = language_ui.render_language_press(T, LanguageChoice(Result.UNKNOWN, "en"))
    assert stale.note == "That button is out of date, so nothing changed."
