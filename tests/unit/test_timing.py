"""The scheduler's time math, walked across the calendar: DST, odd offsets, the date line.

Expected instants are written as ``str()`` of aware UTC datetimes, so a failure reads like a
clock. Nothing sleeps; ``now`` is always passed in.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.timing import (
    EVENING_USEFUL_UNTIL,
    MORNING_GRACE,
    Planned,
    PromptDays,
    Slot,
    due_instant,
    is_paused,
    is_prompt_day,
    is_still_useful,
    local_date_of,
    plan_dates,
    start_of_local_date,
    useful_until,
)

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo("Asia/Kolkata")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
CHATHAM = ZoneInfo("Pacific/Chatham")
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")
PAGO_PAGO = ZoneInfo("Pacific/Pago_Pago")
NIUE = ZoneInfo("Pacific/Niue")
APIA = ZoneInfo("Pacific/Apia")

ONE_US = timedelta(microseconds=1)


def utc(text: str) -> datetime:
    """Parse an ISO instant written with its offset and return it in UTC."""
    return datetime.fromisoformat(text).astimezone(UTC)


def due_str(day: date, at: time, tz: ZoneInfo) -> str | None:
    due = due_instant(day, at, tz)
    return None if due is None else str(due)


def wall(instant: datetime, tz: ZoneInfo) -> datetime:
    return instant.astimezone(tz).replace(tzinfo=None)


# --- due_instant: table of hand-checked instants -------------------------------------------------

DUE_CASES = [
    # America/New_York 2026: spring forward Mar 8 02:00 -> 03:00, fall back Nov 1 02:00 -> 01:00.
    ("America/New_York", date(2026, 3, 8), time(0, 0), "2026-03-08 05:00:00+00:00"),
    ("America/New_York", date(2026, 3, 8), time(1, 30), "2026-03-08 06:30:00+00:00"),
    ("America/New_York", date(2026, 3, 8), time(2, 30), "2026-03-08 07:00:00+00:00"),  # gap
    ("America/New_York", date(2026, 3, 8), time(23, 59), "2026-03-09 03:59:00+00:00"),
    ("America/New_York", date(2026, 11, 1), time(0, 0), "2026-11-01 04:00:00+00:00"),
    ("America/New_York", date(2026, 11, 1), time(1, 30), "2026-11-01 05:30:00+00:00"),  # 1st
    ("America/New_York", date(2026, 11, 1), time(2, 30), "2026-11-01 07:30:00+00:00"),
    ("America/New_York", date(2026, 11, 1), time(23, 59), "2026-11-02 04:59:00+00:00"),
    # 2027: Mar 14 and Nov 7.
    ("America/New_York", date(2027, 3, 14), time(2, 30), "2027-03-14 07:00:00+00:00"),
    ("America/New_York", date(2027, 3, 14), time(1, 30), "2027-03-14 06:30:00+00:00"),
    ("America/New_York", date(2027, 11, 7), time(1, 30), "2027-11-07 05:30:00+00:00"),
    ("America/New_York", date(2027, 11, 7), time(0, 0), "2027-11-07 04:00:00+00:00"),
    # Europe/Berlin 2026: Mar 29 02:00 -> 03:00, Oct 25 03:00 -> 02:00.
    ("Europe/Berlin", date(2026, 3, 29), time(0, 0), "2026-03-28 23:00:00+00:00"),
    ("Europe/Berlin", date(2026, 3, 29), time(1, 30), "2026-03-29 00:30:00+00:00"),
    ("Europe/Berlin", date(2026, 3, 29), time(2, 30), "2026-03-29 01:00:00+00:00"),  # gap
    ("Europe/Berlin", date(2026, 3, 29), time(23, 59), "2026-03-29 21:59:00+00:00"),
    ("Europe/Berlin", date(2026, 10, 25), time(1, 30), "2026-10-24 23:30:00+00:00"),
    ("Europe/Berlin", date(2026, 10, 25), time(2, 30), "2026-10-25 00:30:00+00:00"),  # 1st
    ("Europe/Berlin", date(2026, 10, 25), time(23, 59), "2026-10-25 22:59:00+00:00"),
    # 2027: Mar 28 and Oct 31.
    ("Europe/Berlin", date(2027, 3, 28), time(2, 30), "2027-03-28 01:00:00+00:00"),
    ("Europe/Berlin", date(2027, 10, 31), time(2, 30), "2027-10-31 00:30:00+00:00"),
    ("Europe/Berlin", date(2027, 10, 31), time(0, 0), "2027-10-30 22:00:00+00:00"),
    # Asia/Kolkata, +05:30 all year.
    ("Asia/Kolkata", date(2026, 6, 1), time(0, 0), "2026-05-31 18:30:00+00:00"),
    ("Asia/Kolkata", date(2026, 6, 1), time(2, 30), "2026-05-31 21:00:00+00:00"),
    ("Asia/Kolkata", date(2026, 6, 1), time(23, 59), "2026-06-01 18:29:00+00:00"),
    # Australia/Lord_Howe: 30-minute DST. Oct 4 2026 02:00 -> 02:30, Apr 5 2026 02:00 -> 01:30.
    ("Australia/Lord_Howe", date(2026, 10, 4), time(2, 15), "2026-10-03 15:30:00+00:00"),  # gap
    ("Australia/Lord_Howe", date(2026, 10, 4), time(2, 30), "2026-10-03 15:30:00+00:00"),
    ("Australia/Lord_Howe", date(2026, 10, 4), time(1, 30), "2026-10-03 15:00:00+00:00"),
    ("Australia/Lord_Howe", date(2026, 4, 5), time(1, 45), "2026-04-04 14:45:00+00:00"),  # 1st
    ("Australia/Lord_Howe", date(2026, 4, 5), time(2, 30), "2026-04-04 16:00:00+00:00"),
    # Pacific/Chatham, +12:45 / +13:45: Sep 27 2026 02:45 -> 03:45, Apr 5 2026 03:45 -> 02:45.
    ("Pacific/Chatham", date(2026, 9, 27), time(3, 0), "2026-09-26 14:00:00+00:00"),  # gap
    ("Pacific/Chatham", date(2026, 9, 27), time(2, 30), "2026-09-26 13:45:00+00:00"),
    ("Pacific/Chatham", date(2026, 4, 5), time(3, 0), "2026-04-04 13:15:00+00:00"),  # 1st
    ("Pacific/Chatham", date(2026, 6, 1), time(0, 0), "2026-05-31 11:15:00+00:00"),
    ("Pacific/Chatham", date(2026, 6, 1), time(23, 59), "2026-06-01 11:14:00+00:00"),
    # The date line: Kiritimati (+14) and Pago Pago / Niue (-11) live 25 hours apart.
    ("Pacific/Kiritimati", date(2026, 1, 1), time(0, 0), "2025-12-31 10:00:00+00:00"),
    ("Pacific/Kiritimati", date(2026, 1, 1), time(23, 59), "2026-01-01 09:59:00+00:00"),
    ("Pacific/Pago_Pago", date(2026, 1, 1), time(0, 0), "2026-01-01 11:00:00+00:00"),
    ("Pacific/Pago_Pago", date(2026, 1, 1), time(23, 59), "2026-01-02 10:59:00+00:00"),
    ("Pacific/Niue", date(2026, 1, 1), time(1, 30), "2026-01-01 12:30:00+00:00"),
    # Midnight skipped: America/Havana Mar 8 2026 00:00 -> 01:00 (CST -5 -> CDT -4).
    ("America/Havana", date(2026, 3, 8), time(0, 0), "2026-03-08 05:00:00+00:00"),
    ("America/Havana", date(2026, 3, 8), time(0, 30), "2026-03-08 05:00:00+00:00"),
    ("America/Havana", date(2026, 3, 8), time(1, 30), "2026-03-08 05:30:00+00:00"),
    ("America/Havana", date(2026, 3, 7), time(23, 59), "2026-03-08 04:59:00+00:00"),
    # Midnight repeated: Africa/Cairo Oct 30 2026 00:00 -> Oct 29 23:00 (+3 -> +2).
    ("Africa/Cairo", date(2026, 10, 29), time(23, 30), "2026-10-29 20:30:00+00:00"),  # 1st
    ("Africa/Cairo", date(2026, 10, 30), time(0, 0), "2026-10-29 22:00:00+00:00"),
    # A gap that swallows the end of a date: America/Nuuk Mar 28 2026 23:00 -> Mar 29 00:00.
    ("America/Nuuk", date(2026, 3, 28), time(22, 59), "2026-03-29 00:59:00+00:00"),
    ("America/Nuuk", date(2026, 3, 28), time(23, 30), None),
    ("America/Nuuk", date(2026, 3, 29), time(0, 0), "2026-03-29 01:00:00+00:00"),
    # ...and one that spans midnight: America/Toronto Mar 30 1919 23:30 -> Mar 31 00:30.
    ("America/Toronto", date(1919, 3, 30), time(23, 45), None),
    ("America/Toronto", date(1919, 3, 31), time(0, 0), "1919-03-31 04:30:00+00:00"),
    # Whole local dates skipped at the date line: no prompt at all on them.
    ("Pacific/Apia", date(2011, 12, 29), time(23, 59), "2011-12-30 09:59:00+00:00"),
    ("Pacific/Apia", date(2011, 12, 30), time(0, 0), None),
    ("Pacific/Apia", date(2011, 12, 30), time(8, 30), None),
    ("Pacific/Apia", date(2011, 12, 30), time(23, 59), None),
    ("Pacific/Apia", date(2011, 12, 31), time(0, 0), "2011-12-30 10:00:00+00:00"),
    ("Pacific/Kiritimati", date(1994, 12, 31), time(8, 30), None),
    ("Pacific/Kiritimati", date(1995, 1, 1), time(0, 0), "1994-12-31 10:00:00+00:00"),
]


@pytest.mark.parametrize(("zone", "day", "at", "expected"), DUE_CASES)
def test_due_instant_table(zone: str, day: date, at: time, expected: str | None) -> None:
    assert due_str(day, at, ZoneInfo(zone)) == expected


def test_due_instant_is_utc_and_lands_on_its_date() -> None:
    due = due_instant(date(2026, 3, 8), time(2, 30), NEW_YORK)
    assert due is not None
    assert due.tzinfo is UTC
    assert str(due.astimezone(NEW_YORK)) == "2026-03-08 03:00:00-04:00"
    assert local_date_of(due, NEW_YORK) == date(2026, 3, 8)


def test_due_instant_ignores_fold_of_the_wall_time() -> None:
    """A wall time with fold=1 still means the first occurrence."""
    at = time(1, 30, fold=1)
    assert due_str(date(2026, 11, 1), at, NEW_YORK) == "2026-11-01 05:30:00+00:00"


def test_due_instant_rejects_an_aware_time() -> None:
    with pytest.raises(ValueError, match="naive"):
        due_instant(date(2026, 1, 1), time(8, 30, tzinfo=UTC), NEW_YORK)


def test_users_on_both_sides_of_the_date_line() -> None:
    """One instant, two local dates two days apart; each user's 08:30 is on their own date."""
    instant = utc("2026-01-01T10:30:00+00:00")
    assert local_date_of(instant, KIRITIMATI) == date(2026, 1, 2)
    assert local_date_of(instant, PAGO_PAGO) == date(2025, 12, 31)
    kiritimati = due_instant(date(2026, 1, 2), time(8, 30), KIRITIMATI)
    pago_pago = due_instant(date(2026, 1, 1), time(8, 30), PAGO_PAGO)
    assert str(kiritimati) == "2026-01-01 18:30:00+00:00"
    assert str(pago_pago) == "2026-01-01 19:30:00+00:00"


# --- local dates and prompt days -----------------------------------------------------------------


def test_local_date_of_rejects_naive() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_date_of(datetime(2026, 1, 1), NEW_YORK)  # noqa: DTZ001 - the point of the test


def test_local_date_of_converts_any_aware_instant() -> None:
    instant = datetime.fromisoformat("2026-03-08T23:30:00-05:00")
    assert local_date_of(instant, BERLIN) == date(2026, 3, 9)
    assert local_date_of(instant, KOLKATA) == date(2026, 3, 9)
    assert local_date_of(instant, NIUE) == date(2026, 3, 8)


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (date(2026, 5, 4), "weekdays", True),  # Monday
        (date(2026, 5, 8), "weekdays", True),  # Friday
        (date(2026, 5, 9), "weekdays", False),  # Saturday
        (date(2026, 5, 10), "weekdays", False),  # Sunday
        (date(2026, 5, 9), "daily", True),
        (date(2026, 5, 10), PromptDays.DAILY, True),
        (date(2026, 5, 10), PromptDays.WEEKDAYS, False),
    ],
)
def test_is_prompt_day(day: date, days: str, expected: bool) -> None:
    assert is_prompt_day(day, days) is expected


def test_is_prompt_day_rejects_unknown_setting() -> None:
    with pytest.raises(ValueError, match="mondays"):
        is_prompt_day(date(2026, 5, 4), "mondays")


def test_weekdays_are_the_users_weekdays_not_utcs() -> None:
    """Kiritimati's Monday 08:30 is Sunday in UTC; it is still a weekday prompt."""
    planned = plan_dates(
        utc("2026-05-03T18:00:00+00:00"),
        KIRITIMATI,
        time(8, 30),
        "weekdays",
        horizon=timedelta(hours=2),
        lookback=timedelta(0),
    )
    assert planned == [Planned(date(2026, 5, 4), utc("2026-05-03T18:30:00+00:00"))]
    assert planned[0].due.weekday() == 6  # Sunday in UTC


def test_slot_values_are_what_the_ledger_stores() -> None:
    assert [str(slot) for slot in Slot] == ["morning", "evening", "snooze"]
    assert [str(days) for days in PromptDays] == ["daily", "weekdays"]


# --- plan_dates ----------------------------------------------------------------------------------


def test_plan_dates_window_includes_both_ends() -> None:
    now = utc("2026-03-08T07:00:00+00:00")  # New York's 02:30 is due exactly now (03:00 EDT)
    # Mar 7 02:30 EST is 23.5 h before now, Mar 9 02:30 EDT 23.5 h after.
    edge = timedelta(hours=23, minutes=30)

    def plan(horizon: timedelta, lookback: timedelta) -> list[tuple[str, str]]:
        planned = plan_dates(
            now, NEW_YORK, time(2, 30), "daily", horizon=horizon, lookback=lookback
        )
        return [(str(p.local_date), str(p.due)) for p in planned]

    assert plan(edge, edge) == [
        ("2026-03-07", "2026-03-07 07:30:00+00:00"),
        ("2026-03-08", "2026-03-08 07:00:00+00:00"),
        ("2026-03-09", "2026-03-09 06:30:00+00:00"),
    ]
    assert plan(edge - ONE_US, edge - ONE_US) == [("2026-03-08", "2026-03-08 07:00:00+00:00")]
    assert plan(timedelta(0), timedelta(0)) == [("2026-03-08", "2026-03-08 07:00:00+00:00")]


def test_plan_dates_skips_the_missing_apia_date() -> None:
    planned = plan_dates(
        utc("2011-12-29T00:00:00+00:00"),
        APIA,
        time(8, 30),
        "daily",
        horizon=timedelta(days=4),
        lookback=timedelta(0),
    )
    assert [(str(p.local_date), str(p.due)) for p in planned] == [
        ("2011-12-29", "2011-12-29 18:30:00+00:00"),
        ("2011-12-31", "2011-12-30 18:30:00+00:00"),
        ("2012-01-01", "2011-12-31 18:30:00+00:00"),
        ("2012-01-02", "2012-01-01 18:30:00+00:00"),
    ]


def test_plan_dates_fall_back_day_plans_the_first_occurrence_once() -> None:
    planned = plan_dates(
        utc("2026-10-24T12:00:00+00:00"),
        BERLIN,
        time(2, 30),
        "daily",
        horizon=timedelta(days=2),
        lookback=timedelta(0),
    )
    assert [(str(p.local_date), str(p.due)) for p in planned] == [
        ("2026-10-25", "2026-10-25 00:30:00+00:00"),
        ("2026-10-26", "2026-10-26 01:30:00+00:00"),
    ]


def test_plan_dates_weekdays_and_empty_window() -> None:
    friday_evening = utc("2026-05-08T22:00:00+00:00")  # Friday 18:00 in New York
    planned = plan_dates(
        friday_evening,
        NEW_YORK,
        time(8, 30),
        "weekdays",
        horizon=timedelta(days=3),
        lookback=timedelta(0),
    )
    assert [str(p.local_date) for p in planned] == ["2026-05-11"]
    assert (
        plan_dates(
            friday_evening,
            NEW_YORK,
            time(8, 30),
            "weekdays",
            horizon=timedelta(0),
            lookback=timedelta(0),
        )
        == []
    )


@pytest.mark.parametrize(
    ("now", "horizon", "lookback", "days", "message"),
    [
        (datetime(2026, 1, 1), timedelta(0), timedelta(0), "daily", "aware"),  # noqa: DTZ001
        (utc("2026-01-01T00:00:00+00:00"), timedelta(-1), timedelta(0), "daily", "negative"),
        (utc("2026-01-01T00:00:00+00:00"), timedelta(0), timedelta(-1), "daily", "negative"),
        (utc("2026-01-01T00:00:00+00:00"), timedelta(0), timedelta(0), "often", "often"),
    ],
)
def test_plan_dates_rejects_bad_input(
    now: datetime, horizon: timedelta, lookback: timedelta, days: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        plan_dates(now, NEW_YORK, time(8), days, horizon=horizon, lookback=lookback)


def test_a_zone_change_can_replan_a_date_and_the_ledger_key_keeps_the_first() -> None:
    """Moving from New York to Berlin gives the same local date a new instant.

    This is the only way a date comes back with a different instant; the ledger's unique
    (user, slot, local_date) key keeps the row that was planned first.
    """
    ledger: dict[date, datetime] = {}
    window = {"horizon": timedelta(days=2), "lookback": timedelta(0)}
    now = utc("2026-06-01T00:00:00+00:00")
    for item in plan_dates(now, NEW_YORK, time(8, 30), "daily", **window):
        ledger.setdefault(item.local_date, item.due)
    after_move = plan_dates(now, BERLIN, time(8, 30), "daily", **window)
    replanned = {p.local_date: p.due for p in after_move if p.local_date in ledger}
    assert {str(d): str(due) for d, due in replanned.items()} == {
        "2026-06-01": "2026-06-01 06:30:00+00:00",
        "2026-06-02": "2026-06-02 06:30:00+00:00",
    }
    assert str(ledger[date(2026, 6, 2)]) == "2026-06-02 12:30:00+00:00"


# --- usefulness after downtime -------------------------------------------------------------------


def test_morning_is_useful_for_three_hours() -> None:
    assert timedelta(hours=3) == MORNING_GRACE
    due = utc("2026-03-08T12:30:00+00:00")  # 08:30 EDT
    assert is_still_useful("morning", due, due - timedelta(hours=1), NEW_YORK)  # not due yet
    assert is_still_useful("morning", due, due, NEW_YORK)
    assert is_still_useful("morning", due, due + MORNING_GRACE - ONE_US, NEW_YORK)
    assert not is_still_useful("morning", due, due + MORNING_GRACE, NEW_YORK)
    assert str(useful_until(Slot.MORNING, due, NEW_YORK)) == "2026-03-08 15:30:00+00:00"


def test_late_morning_time_never_spills_into_the_next_date() -> None:
    due = due_instant(date(2026, 6, 1), time(22, 30), KOLKATA)
    assert due is not None
    assert str(useful_until("morning", due, KOLKATA)) == "2026-06-01 18:30:00+00:00"


def test_evening_is_useful_until_its_local_midnight() -> None:
    assert time(0) == EVENING_USEFUL_UNTIL
    due = due_instant(date(2026, 6, 1), time(20, 30), BERLIN)
    assert str(due) == "2026-06-01 18:30:00+00:00"
    assert due is not None
    midnight = utc("2026-06-01T22:00:00+00:00")  # 00:00 CEST on June 2
    assert is_still_useful("evening", due, midnight - ONE_US, BERLIN)
    assert not is_still_useful("evening", due, midnight, BERLIN)
    assert not is_still_useful(Slot.EVENING, due, midnight + timedelta(hours=5), BERLIN)


def test_evening_before_a_skipped_midnight_lasts_until_the_jump() -> None:
    """In Havana the evening of Mar 7 2026 ends at 01:00 CDT on Mar 8, there is no 00:00."""
    havana = ZoneInfo("America/Havana")
    due = due_instant(date(2026, 3, 7), time(20, 30), havana)
    assert due is not None
    assert str(useful_until("evening", due, havana)) == "2026-03-08 05:00:00+00:00"
    assert str(start_of_local_date(date(2026, 3, 8), havana)) == "2026-03-08 05:00:00+00:00"


def test_evening_before_a_repeated_hour_at_midnight_lasts_the_longer_date() -> None:
    """Cairo's Oct 29 2026 has 25 hours: 23:00-24:00 happens twice."""
    cairo = ZoneInfo("Africa/Cairo")
    due = due_instant(date(2026, 10, 29), time(20, 30), cairo)
    assert due is not None
    assert str(useful_until("evening", due, cairo)) == "2026-10-29 22:00:00+00:00"


def test_evening_on_the_day_before_apia_skipped_a_date() -> None:
    due = due_instant(date(2011, 12, 29), time(20, 30), APIA)
    assert due is not None
    assert str(useful_until("evening", due, APIA)) == "2011-12-30 10:00:00+00:00"


def test_usefulness_rejects_bad_input() -> None:
    due = utc("2026-01-01T12:00:00+00:00")
    with pytest.raises(ValueError, match="noon"):
        is_still_useful("noon", due, due, NEW_YORK)
    with pytest.raises(ValueError, match="aware"):
        is_still_useful("morning", due, datetime(2026, 1, 1), NEW_YORK)  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        is_still_useful("morning", datetime(2026, 1, 1), due, NEW_YORK)  # noqa: DTZ001


# --- pauses --------------------------------------------------------------------------------------


def test_is_paused() -> None:
    now = utc("2026-05-04T12:00:00+00:00")
    assert not is_paused(None, now)
    assert is_paused(now + ONE_US, now)
    assert not is_paused(now, now)
    monday = start_of_local_date(date(2026, 5, 11), KOLKATA)
    assert str(monday) == "2026-05-10 18:30:00+00:00"
    assert is_paused(monday, now)
    with pytest.raises(ValueError, match="aware"):
        is_paused(datetime(2026, 5, 5), now)  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        is_paused(None, datetime(2026, 5, 5))  # noqa: DTZ001


# --- properties over every zone ------------------------------------------------------------------

ZONES = st.sampled_from(sorted(available_timezones())).map(ZoneInfo)
# 1900-2100 covers LMT leftovers, wartime double summer time, date-line moves and the POSIX
# rules zoneinfo extrapolates beyond its last explicit transition.
DATES = st.dates(min_value=date(1900, 1, 2), max_value=date(2100, 12, 30))
TIMES = st.one_of(
    st.sampled_from([time(0, 0), time(1, 30), time(2, 30), time(23, 59), time(8, 30)]),
    st.times(),
)
PROPERTY = settings(max_examples=300, deadline=None)
# The zones whose offsets a sampled instant could have: anything in between is a transition.
SCAN_STEP = timedelta(minutes=15)
SCAN_REACH = timedelta(hours=27)


def occurrences(target: datetime, tz: ZoneInfo) -> list[datetime]:
    """Every instant whose wall time is ``target``, found without the code under test.

    Collects the offsets the zone uses within a day either side and keeps the instants
    ``target - offset`` that really read ``target`` on the wall.
    """
    center = target.replace(tzinfo=UTC)
    offsets = set()
    probe = center - SCAN_REACH
    while probe <= center + SCAN_REACH:
        offset = probe.astimezone(tz).utcoffset()
        assert offset is not None
        offsets.add(offset)
        probe += SCAN_STEP
    return sorted({center - offset for offset in offsets if wall(center - offset, tz) == target})


def assert_due_instant_is_right(tz: ZoneInfo, day: date, at: time) -> None:
    """Check ``due_instant(day, at, tz)`` against :func:`occurrences`."""
    target = datetime.combine(day, at)
    due = due_instant(day, at, tz)
    found = occurrences(target, tz)
    if due is None:
        # Nothing at or after `at` exists on this date: the clock jumped past the date's end.
        assert not found
        next_date = start_of_local_date(day + timedelta(days=1), tz)
        assert wall(next_date - ONE_US, tz) < target
        return
    assert due.tzinfo is UTC
    assert local_date_of(due, tz) == day  # holds without exception
    if found:
        assert due == found[0]  # the first occurrence
        assert wall(due, tz) == target
    else:
        # In a gap: the first instant after it, i.e. the moment the clock jumps over `at`.
        assert wall(due, tz) > target
        assert wall(due - ONE_US, tz) < target
    # The neighbouring dates' prompts come strictly before and after.
    for neighbour, before in ((day - timedelta(days=1), True), (day + timedelta(days=1), False)):
        other = due_instant(neighbour, at, tz)
        assert other is None or (other < due if before else other > due)


def transitions(tz: ZoneInfo, year: int) -> list[datetime]:
    """The instants in ``year`` where ``tz`` changes its UTC offset, found by probing.

    Probes every 6 hours and bisects each change down to the microsecond; two changes less
    than 6 hours apart are missed, which is fine for a sample.
    """
    found = []
    probe = datetime(year, 1, 1, tzinfo=UTC)
    step = timedelta(hours=6)
    while probe.year == year:
        low, high = probe, probe + step
        if low.astimezone(tz).utcoffset() != high.astimezone(tz).utcoffset():
            while high - low > ONE_US:
                middle = low + (high - low) // 2
                if middle.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high)
        probe += step
    return found


@PROPERTY
@given(tz=ZONES, day=DATES, at=TIMES)
def test_due_instant_reads_the_wall_time_or_the_end_of_its_gap(
    tz: ZoneInfo, day: date, at: time
) -> None:
    assert_due_instant_is_right(tz, day, at)


NEAR = [timedelta(seconds=s) for s in (0, 1, -1, 59, 1800, -1800, 3600, -3600, 5400)]


@settings(max_examples=200, deadline=None)
@given(
    tz=ZONES,
    year=st.integers(min_value=1900, max_value=2100),
    data=st.data(),
)
def test_due_instant_around_every_kind_of_transition(
    tz: ZoneInfo, year: int, data: st.DataObject
) -> None:
    """Wall times right at, inside and around real offset changes of random zones and years."""
    # Many zone-years have no change (no DST, or not any more): look a few years further.
    for later in range(year, year + 12):
        found = transitions(tz, later)
        if found:
            break
    else:
        return  # Etc/UTC and friends
    instant = data.draw(st.sampled_from(found), label="transition")
    before, after = wall(instant - ONE_US, tz), wall(instant, tz)
    walls = [base + delta for base in (before, after) for delta in NEAR]
    walls += [
        datetime.combine(base.date(), at) for base in walls for at in (time(0), time(23, 59))
    ]
    for target in data.draw(st.lists(st.sampled_from(walls), min_size=1, max_size=6)):
        assert_due_instant_is_right(tz, target.date(), target.time())


@PROPERTY
@given(tz=ZONES, start=DATES, at=TIMES)
def test_one_due_instant_per_date_strictly_increasing(tz: ZoneInfo, start: date, at: time) -> None:
    days = [start + timedelta(days=i) for i in range(8)]
    dues = [due_instant(day, at, tz) for day in days]
    present = [due for due in dues if due is not None]
    assert present == sorted(set(present))  # strictly increasing, no two dates share one
    for day, due in zip(days, dues, strict=True):
        if due is not None:
            assert local_date_of(due, tz) == day
            assert due_instant(day, at, tz) == due  # deterministic


@PROPERTY
@given(tz=ZONES, day=DATES, at=TIMES, slot=st.sampled_from(list(Slot)))
def test_useful_until_is_after_due_and_within_its_date(
    tz: ZoneInfo, day: date, at: time, slot: Slot
) -> None:
    due = due_instant(day, at, tz)
    if due is None:
        return
    until = useful_until(slot, due, tz)
    assert due < until
    assert is_still_useful(slot, due, due, tz)
    assert not is_still_useful(slot, due, until, tz)
    assert until <= start_of_local_date(day + timedelta(days=1), tz)
    if slot in {Slot.MORNING, Slot.SNOOZE}:  # a snooze brings the morning ideas back
        assert until <= due + MORNING_GRACE
    else:
        assert local_date_of(until, tz) > day


@settings(max_examples=40, deadline=None)
@given(
    tz=ZONES,
    start=st.datetimes(
        min_value=datetime(1970, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
        max_value=datetime(2060, 1, 1),  # noqa: DTZ001
    ),
    at=TIMES,
    days=st.sampled_from(list(PromptDays)),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_walking_the_tick_job_over_a_year_plans_each_date_once(
    tz: ZoneInfo, start: datetime, at: time, days: PromptDays, seed: int
) -> None:
    rng = random.Random(seed)
    horizon, lookback = timedelta(hours=36), timedelta(hours=12)
    now = start.replace(tzinfo=UTC)
    first_tick, end = now, now + timedelta(days=366)
    ledger: dict[date, datetime] = {}
    while True:
        planned = plan_dates(now, tz, at, days, horizon=horizon, lookback=lookback)
        assert planned == sorted(planned, key=lambda p: p.due)
        assert len({p.local_date for p in planned}) == len(planned)
        for item in planned:
            assert now - lookback <= item.due <= now + horizon
            # A date planned again always comes back with the same instant.
            assert ledger.setdefault(item.local_date, item.due) == item.due
        # Ticks a second to the whole window apart, so consecutive windows overlap or touch.
        step = timedelta(seconds=rng.randint(1, int((horizon + lookback).total_seconds())))
        if now + step > end:
            break
        now += step
    # The union of the windows is [first tick - lookback, last tick + horizon]: every prompt
    # date due in there was planned, and nothing else.
    covered_from, covered_to = first_tick - lookback, now + horizon
    expected: dict[date, datetime] = {}
    day = local_date_of(covered_from, tz) - timedelta(days=2)
    while day <= local_date_of(covered_to, tz) + timedelta(days=2):
        due = due_instant(day, at, tz)
        if is_prompt_day(day, days) and due is not None and covered_from <= due <= covered_to:
            expected[day] = due
        day += timedelta(days=1)
    assert ledger == expected
    assert len(ledger) >= (260 if days is PromptDays.WEEKDAYS else 364)
