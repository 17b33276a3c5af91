"""The preference use cases' typed results (``bot.services.preferences``, ``language``,
``crisis``).

How they read is ``tests/unit/ui/test_preferences_render.py``; what a person sees end to end is
``tests/flows/test_onboarding.py`` and ``test_settings.py``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.config import Settings, load_settings
from bot.services import crisis, language, preferences
from bot.services.daily_prompts import MorningPrompt
from bot.services.language import LanguageChoice, Result
from bot.services.preferences import (
    AllSet,
    AskTime,
    BadTime,
    BadZone,
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
from bot.services.unit import Answer, Press, visit
from scheduler.clock import ManualClock
from storage.engine import Database
from storage.models import User, UserStatus
from storage.repositories import UserRepository

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday; 10:00 in Berlin
TG = 7
CONFIG: Settings = load_settings(None, telegram_bot_token="123456:" + "T" * 35)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


async def _start(db: Database, clock: ManualClock, language_code: str | None = "en") -> Start:
    answer = await preferences.start(
        db,
        clock,
        CONFIG,
        telegram_user_id=TG,
        chat_id=TG,
        first_name="Ana",
        language_code=language_code,
    )
    return answer.result


async def _person(db: Database) -> User:
    async with db.session() as session:
        person = await UserRepository(session).get_by_telegram_id(TG)
    assert person is not None
    return person


async def _press(db: Database, clock: ManualClock, item: Setting) -> object:
    answer = await preferences.change(db, clock, Press(TG, None, item.value))
    assert answer is not None
    return answer.result


async def _type(db: Database, clock: ManualClock, text: str) -> preferences.StepResult:
    async with visit(db, clock, TG) as v:
        assert v is not None
        return await preferences.answer_preference(v, text)


async def _set_up(db: Database, clock: ManualClock) -> None:
    """Someone who finished onboarding in Berlin."""
    await _start(db, clock)
    await preferences.set_timezone(db, clock, TG, "Europe/Berlin")
    await preferences.confirm_times(db, clock, Press(TG, None))


# --- /start and onboarding ---------------------------------------------------------------------


async def test_start_creates_the_person_and_opens_the_zone_question(
    sqlite_db: Database, clock: ManualClock
) -> None:
    answer = await preferences.start(
        sqlite_db,
        clock,
        CONFIG,
        telegram_user_id=TG,
        chat_id=TG,
        first_name="Ana",
        language_code="de",
    )
    assert answer.result == Start(
        created=True, onboarding=True, reactivated=False, first_name="Ana"
    )
    assert answer.language == "de"
    person = await _person(sqlite_db)
    assert (person.pending_step, person.pending_payload) == ("onb_zone", None)
    assert person.status is UserStatus.ONBOARDING


async def test_start_again_while_onboarding_asks_again(
    sqlite_db: Database, clock: ManualClock
) -> None:
    await _start(sqlite_db, clock)
    again = await _start(sqlite_db, clock)
    assert again == Start(created=False, onboarding=True, reactivated=False, first_name="Ana")


async def test_start_after_stop_switches_prompts_back_on(
    sqlite_db: Database, clock: ManualClock
) -> None:
    await _set_up(sqlite_db, clock)
    known = await _start(sqlite_db, clock)
    assert known == Start(created=False, onboarding=False, reactivated=False, first_name="Ana")
    await preferences.stop(sqlite_db, clock, TG)
    back = await _start(sqlite_db, clock)
    assert back.reactivated
    assert (await _person(sqlite_db)).status is UserStatus.ACTIVE


async def test_a_zone_while_onboarding_leads_on_to_the_times(
    sqlite_db: Database, clock: ManualClock
) -> None:
    await _start(sqlite_db, clock)
    result = await _type(sqlite_db, clock, "Berlin")
    assert result == ZoneSet(
        zone="Europe/Berlin",
        local_now=time(10, 0),
        locale="en",
        then=Times(morning=time(8, 30), evening=time(20, 30), locale="en"),
    )
    person = await _person(sqlite_db)
    assert (person.timezone, person.pending_step) == ("Europe/Berlin", None)


async def test_onboarding_reads_the_local_time_as_a_last_resort(
    sqlite_db: Database, clock: ManualClock
) -> None:
    await _start(sqlite_db, clock)
    result = await _type(sqlite_db, clock, "14:30")  # 09:00 UTC: UTC+05:30
    assert isinstance(result, ClockChoice)
    assert result.local == time(14, 30)
    assert result.zones[0] == "Asia/Kolkata"
    assert await _type(sqlite_db, clock, "Qwxzyvk") is Said.ZONE_NOT_FOUND
    assert (await _person(sqlite_db)).pending_step == "onb_zone"
    # No "as it was" to go back to: a cancel word is looked up as a place.
    assert not isinstance(await _type(sqlite_db, clock, "cancel"), Unchanged)


async def test_an_ambiguous_city_offers_its_places(
    sqlite_db: Database, clock: ManualClock
) -> None:
    await _set_up(sqlite_db, clock)
    answer = await preferences.set_timezone(sqlite_db, clock, TG, "Springfield")
    assert answer is not None
    assert isinstance(answer.result, CityChoice)
    assert len({city.zone for city in answer.result.cities}) > 1
    assert all(city.name == "Springfield" for city in answer.result.cities)


async def test_an_unknown_place_leaves_the_zone(sqlite_db: Database, clock: ManualClock) -> None:
    await _set_up(sqlite_db, clock)
    for text in ("", "Qwxzyvk"):
        answer = await preferences.set_timezone(sqlite_db, clock, TG, text)
        assert answer is not None
        assert answer.result == BadZone(current="Europe/Berlin")


async def test_a_shared_location_sets_the_zone(sqlite_db: Database, clock: ManualClock) -> None:
    await _set_up(sqlite_db, clock)
    answer = await preferences.location(sqlite_db, clock, TG, 35.68, 139.69)
    assert answer is not None
    assert answer.result == ZoneSet(
        zone="Asia/Tokyo", local_now=time(18, 0), locale="en", then=None
    )
    nowhere = await preferences.location(sqlite_db, clock, TG, 91.0, 0.0)
    assert nowhere is not None
    assert nowhere.result is Said.ZONE_NOT_FOUND


async def test_zone_buttons(sqlite_db: Database, clock: ManualClock) -> None:
    await _start(sqlite_db, clock)
    other = await preferences.other_zone(sqlite_db, clock, Press(TG, None))
    assert other is not None
    assert other.result is Said.ASK_ZONE
    stale = await preferences.choose_zone(sqlite_db, clock, Press(TG, None, "Mars/Olympus"))
    assert stale is not None
    assert stale.result is Refusal.OUT_OF_DATE
    chosen = await preferences.choose_zone(sqlite_db, clock, Press(TG, None, "America/Chicago"))
    assert chosen is not None
    assert isinstance(chosen.result, ZoneSet)
    assert chosen.result.zone == "America/Chicago"
    assert chosen.result.then is not None


async def test_sounds_good_finishes_onboarding_with_todays_ideas(
    sqlite_db: Database, clock: ManualClock
) -> None:
    await _start(sqlite_db, clock)
    await preferences.set_timezone(sqlite_db, clock, TG, "Europe/Berlin")
    answer = await preferences.confirm_times(sqlite_db, clock, Press(TG, None))
    assert answer is not None
    assert isinstance(answer.result, AllSet)
    ideas = answer.result.ideas
    assert isinstance(ideas, MorningPrompt)
    assert (ideas.day, ideas.first_name, len(ideas.acts)) == (date(2026, 3, 2), "Ana", 3)
    assert ideas.on_demand
    person = await _person(sqlite_db)
    assert (person.status, person.pending_step) == (UserStatus.ACTIVE, None)
    twice = await preferences.confirm_times(sqlite_db, clock, Press(TG, None))
    assert twice is not None
    assert twice.result is Refusal.ALREADY_SAVED


# --- prompt times ------------------------------------------------------------------------------


async def test_set_time(sqlite_db: Database, clock: ManualClock) -> None:
    await _set_up(sqlite_db, clock)
    answer = await preferences.set_time(sqlite_db, clock, TG, Slot.EVENING, "9pm")
    assert answer is not None
    assert answer.result == TimeSet(slot=Slot.EVENING, at=time(21, 0), locale="en", then=None)
    unread = await preferences.set_time(sqlite_db, clock, TG, Slot.MORNING, "soonish")
    assert unread is not None
    assert unread.result == BadTime(slot=Slot.MORNING, current=time(8, 30), locale="en")
    person = await _person(sqlite_db)
    assert (person.morning_time, person.evening_time) == (time(8, 30), time(21, 0))


async def test_changing_a_time_while_onboarding_shows_the_times_again(
    sqlite_db: Database, clock: ManualClock
) -> None:
    await _start(sqlite_db, clock)
    await preferences.set_timezone(sqlite_db, clock, TG, "Europe/Berlin")
    assert await _press(sqlite_db, clock, Setting.MORNING) == AskTime(slot=Slot.MORNING)
    person = await _person(sqlite_db)
    assert (person.pending_step, person.pending_payload) == ("set_morning", {"onb": True})
    result = await _type(sqlite_db, clock, "halb acht")
    assert isinstance(result, BadTime)  # not a time; the step is closed all the same
    assert (await _person(sqlite_db)).pending_step is None
    await _press(sqlite_db, clock, Setting.EVENING)
    result = await _type(sqlite_db, clock, "21:15")
    assert result == TimeSet(
        slot=Slot.EVENING,
        at=time(21, 15),
        locale="en",
        then=Times(morning=time(8, 30), evening=time(21, 15), locale="en"),
    )


async def test_a_cancel_word_leaves_things_as_they_were(
    sqlite_db: Database, clock: ManualClock
) -> None:
    await _start(sqlite_db, clock)
    await preferences.set_timezone(sqlite_db, clock, TG, "Europe/Berlin")
    await _press(sqlite_db, clock, Setting.MORNING)
    onboarding = await _type(sqlite_db, clock, "cancel")
    assert onboarding == Unchanged(then=Times(time(8, 30), time(20, 30), "en"))
    await preferences.confirm_times(sqlite_db, clock, Press(TG, None))
    await _press(sqlite_db, clock, Setting.ZONE)
    assert (await _person(sqlite_db)).pending_step == "set_zone"
    assert await _type(sqlite_db, clock, "cancel") == Unchanged(then=None)
    person = await _person(sqlite_db)
    assert (person.timezone, person.pending_step) == ("Europe/Berlin", None)


# --- pause, resume, stop, /settings ------------------------------------------------------------


async def test_pause_resume_and_stop(sqlite_db: Database, clock: ManualClock) -> None:
    await _set_up(sqlite_db, clock)

    async def said(answer: Answer[object] | None) -> object:
        assert answer is not None
        return answer.result

    assert await said(await preferences.pause(sqlite_db, clock, TG, "3")) == Paused(
        until=date(2026, 3, 5)
    )
    assert await said(await preferences.pause(sqlite_db, clock, TG, "forever")) is Said.BAD_PAUSE
    assert await said(await preferences.resume(sqlite_db, clock, TG)) is Said.RESUMED
    assert await said(await preferences.resume(sqlite_db, clock, TG)) is Said.NOT_PAUSED
    assert await said(await preferences.stop(sqlite_db, clock, TG)) is Said.STOPPED
    assert (await _person(sqlite_db)).status is UserStatus.STOPPED
    assert await said(await preferences.resume(sqlite_db, clock, TG)) is Said.RESUMED
    assert (await _person(sqlite_db)).status is UserStatus.ACTIVE


async def test_overview_and_the_menu_switches(sqlite_db: Database, clock: ManualClock) -> None:
    await _set_up(sqlite_db, clock)
    answer = await preferences.overview(sqlite_db, clock, TG)
    assert answer is not None
    before = Overview(
        zone="Europe/Berlin",
        morning=time(8, 30),
        evening=time(20, 30),
        morning_on=True,
        evening_on=True,
        weekdays_only=False,
        memories_on=True,
        paused_until=None,
        stopped=False,
        locale="en",
    )
    assert answer.result == before
    assert await _press(sqlite_db, clock, Setting.DAYS) == Overview(
        **{**before.__dict__, "weekdays_only": True}
    )
    switched = await _press(sqlite_db, clock, Setting.MORNING_TOGGLE)
    assert isinstance(switched, Overview)
    assert not switched.morning_on
    paused = await _press(sqlite_db, clock, Setting.PAUSE)
    assert isinstance(paused, Overview)
    assert paused.paused_until == date(2026, 3, 2) + timedelta(days=7)
    resumed = await _press(sqlite_db, clock, Setting.RESUME)
    assert isinstance(resumed, Overview)
    assert resumed.paused_until is None
    # Memories: each button sets what it says, so one pressed on an older menu never flips.
    for pressed, on in [
        (Setting.MEMORIES_OFF, False),
        (Setting.MEMORIES_OFF, False),
        (Setting.MEMORIES_ON, True),
        (Setting.MEMORIES_ON, True),
    ]:
        memories = await _press(sqlite_db, clock, pressed)
        assert isinstance(memories, Overview)
        assert memories.memories_on is on
        assert (await _person(sqlite_db)).memories is on


async def test_menu_questions_and_stale_items(sqlite_db: Database, clock: ManualClock) -> None:
    await _start(sqlite_db, clock, language_code="de")
    assert await _press(sqlite_db, clock, Setting.LANGUAGE) == LanguageChoice(Result.SHOWN, "de")
    assert await _press(sqlite_db, clock, Setting.ZONE) is Said.ASK_ZONE
    for forged in ("volume", "mem", "mem_onoff", "MEM_ON"):
        stale = await preferences.change(sqlite_db, clock, Press(TG, None, forged))
        assert stale is not None
        assert stale.result is Refusal.OUT_OF_DATE
    assert (await _person(sqlite_db)).memories is True


async def test_someone_unknown_gets_none(sqlite_db: Database, clock: ManualClock) -> None:
    press = Press(TG, None, Setting.DAYS.value)
    assert await preferences.overview(sqlite_db, clock, TG) is None
    assert await preferences.set_timezone(sqlite_db, clock, TG, "Berlin") is None
    assert await preferences.set_time(sqlite_db, clock, TG, Slot.MORNING, "8") is None
    assert await preferences.location(sqlite_db, clock, TG, 52.5, 13.4) is None
    assert await preferences.pause(sqlite_db, clock, TG, "") is None
    assert await preferences.resume(sqlite_db, clock, TG) is None
    assert await preferences.stop(sqlite_db, clock, TG) is None
    assert await preferences.change(sqlite_db, clock, press) is None
    assert await preferences.choose_zone(sqlite_db, clock, press) is None
    assert await preferences.other_zone(sqlite_db, clock, press) is None
    assert await preferences.confirm_times(sqlite_db, clock, press) is None
    assert await language.choose(sqlite_db, clock, TG, "de") is None


# --- /language and crisis ----------------------------------------------------------------------


async def test_language_choice(sqlite_db: Database, clock: ManualClock) -> None:
    await _start(sqlite_db, clock)

    async def choose(requested: str) -> tuple[LanguageChoice, str | None]:
        answer = await language.choose(sqlite_db, clock, TG, requested)
        assert answer is not None
        return answer.result, answer.language

    assert await choose("") == (LanguageChoice(Result.SHOWN, "en"), "en")
    assert await choose("klingon") == (LanguageChoice(Result.UNKNOWN, "en"), "en")
    assert await choose("Deutsch") == (LanguageChoice(Result.SET, "de"), "de")
    assert await choose("pt-br") == (LanguageChoice(Result.SET, "pt_BR"), "pt_BR")
    assert await language.current(sqlite_db, TG) == "pt_BR"


async def test_crisis_closes_the_step_but_not_onboardings_zone_question(
    sqlite_db: Database, clock: ManualClock
) -> None:
    await _start(sqlite_db, clock)
    await crisis.stop_flow(sqlite_db, clock, TG)
    person = await _person(sqlite_db)
    assert person.pending_step == "onb_zone"
    assert person.gentle_until == datetime(2026, 3, 3, tzinfo=UTC)  # still UTC while onboarding
    await preferences.set_timezone(sqlite_db, clock, TG, "Europe/Berlin")
    await _press(sqlite_db, clock, Setting.EVENING)
    await crisis.stop_flow(sqlite_db, clock, TG)
    person = await _person(sqlite_db)
    assert (person.pending_step, person.pending_payload) == (None, None)
    assert person.gentle_until == datetime(2026, 3, 2, 23, 0, tzinfo=UTC)
    await crisis.stop_flow(sqlite_db, clock, TG + 1)  # someone unknown: nothing to do
