"""The first day's planning rule: prompts start when onboarding finishes, plus a quiet hour."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.timing import (
    FIRST_DAY_QUIET,
    due_instant,
    honour_chosen_time,
    local_date_of,
    plan_start,
    prompts_start,
)

KOLKATA = ZoneInfo("Asia/Kolkata")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


# --- prompts_start ---------------------------------------------------------------------------


def test_prompts_start_an_hour_after_onboarding_finishes() -> None:
    finished = datetime(2026, 3, 2, 8, 53, tzinfo=KOLKATA)
    assert str(prompts_start(finished, KOLKATA)) == "2026-03-02 04:23:00+00:00"  # 09:53 IST


def test_the_quiet_hour_never_reaches_into_the_next_local_date() -> None:
    finished = datetime(2026, 3, 2, 23, 30, tzinfo=NEW_YORK)
    start = prompts_start(finished, NEW_YORK)
    assert str(start) == "2026-03-03 05:00:00+00:00"  # midnight EST, not 00:30
    # So tomorrow's 00:10 morning is that day's own start, and is planned.
    tomorrow = due_instant(date(2026, 3, 3), time(0, 10), NEW_YORK)
    assert tomorrow is not None
    assert tomorrow >= start


def test_the_quiet_hour_is_an_hour_of_real_time_across_spring_forward() -> None:
    # 01:30 EST on the spring-forward day; an hour later the wall reads 03:30 EDT.
    finished = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)
    assert str(prompts_start(finished, NEW_YORK)) == "2026-03-08 07:30:00+00:00"


def test_prompts_start_refuses_a_naive_instant() -> None:
    with pytest.raises(ValueError, match="aware"):
        prompts_start(datetime(2026, 3, 2, 9, 0), KOLKATA)  # noqa: DTZ001


ZONES = st.sampled_from(
    ["Asia/Kolkata", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "UTC"]
).map(ZoneInfo)
INSTANTS = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001  # hypothesis bounds are naive
    max_value=datetime(2028, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)
WALL_TIMES = st.times()


@given(finished=INSTANTS, tz=ZONES, at=WALL_TIMES)
def test_prompts_start_keeps_out_at_most_the_hour_and_never_the_next_date(
    finished: datetime, tz: ZoneInfo, at: time
) -> None:
    start = prompts_start(finished, tz)
    assert finished < start <= finished + FIRST_DAY_QUIET
    # Whatever the wall time, the next local date's prompt is at or after the start.
    due = due_instant(local_date_of(finished, tz) + timedelta(days=1), at, tz)
    assert due is None or due >= start


# --- honour_chosen_time ----------------------------------------------------------------------

FINISHED = datetime(2026, 3, 2, 8, 53, tzinfo=KOLKATA)
START = prompts_start(FINISHED, KOLKATA)  # 09:53 IST
AT_0854 = datetime(2026, 3, 2, 8, 54, tzinfo=KOLKATA)


def test_a_time_chosen_right_after_onboarding_still_ahead_today_is_honoured() -> None:
    moved = honour_chosen_time(START, time(8, 56), KOLKATA, AT_0854)
    assert moved is not None
    assert str(moved) == "2026-03-02 03:26:00+00:00"  # 08:56 IST


def test_a_time_chosen_for_right_now_is_honoured() -> None:
    moved = honour_chosen_time(START, time(8, 54), KOLKATA, AT_0854)
    assert moved == AT_0854


@pytest.mark.parametrize(
    "at",
    [
        time(8, 30),  # already past today: today's start was the onboarding ideas
        time(9, 53),  # exactly at the start: planned anyway
        time(20, 30),  # after the start: planned anyway
    ],
)
def test_a_time_that_is_past_or_after_the_start_changes_nothing(at: time) -> None:
    assert honour_chosen_time(START, at, KOLKATA, AT_0854) == START


def test_no_start_or_a_start_already_reached_stays_as_it_is() -> None:
    assert honour_chosen_time(None, time(9), KOLKATA, AT_0854) is None
    later = START + timedelta(minutes=1)
    assert honour_chosen_time(START, time(10), KOLKATA, later) == START


def test_honour_chosen_time_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        honour_chosen_time(START, time(9), KOLKATA, datetime(2026, 3, 2, 9))  # noqa: DTZ001


def test_a_chosen_time_on_the_skipped_half_hour_of_lord_howe_is_honoured_at_the_jump() -> None:
    # Lord Howe springs forward 02:00 -> 02:30 on 2026-10-04; 02:15 goes out at the jump.
    now = datetime(2026, 10, 4, 1, 50, tzinfo=LORD_HOWE)
    start = prompts_start(now - timedelta(minutes=5), LORD_HOWE)
    moved = honour_chosen_time(start, time(2, 15), LORD_HOWE, now)
    assert moved == due_instant(date(2026, 10, 4), time(2, 15), LORD_HOWE)
    assert moved is not None
    assert moved.astimezone(LORD_HOWE).time() == time(2, 30)


# --- plan_start ------------------------------------------------------------------------------


def test_plan_start_is_the_later_of_a_running_pause_and_the_start() -> None:
    now = utc(2, 12)
    assert plan_start(None, None, now) is None
    assert plan_start(utc(3, 0), None, now) == utc(3, 0)
    assert plan_start(None, utc(2, 13), now) == utc(2, 13)
    assert plan_start(utc(3, 0), utc(2, 13), now) == utc(3, 0)
    assert plan_start(utc(2, 12, 30), utc(2, 13), now) == utc(2, 13)


def test_a_pause_that_ended_is_ignored_but_a_start_in_the_past_still_counts() -> None:
    now = utc(2, 12)
    assert plan_start(utc(2, 11), None, now) is None
    # A start passed an hour ago still keeps out the morning due before it (3 h of grace).
    assert plan_start(utc(2, 11), utc(2, 11, 30), now) == utc(2, 11, 30)


def test_plan_start_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan_start(None, datetime(2026, 3, 2, 9), utc(2, 12))  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        plan_start(None, None, datetime(2026, 3, 2, 9))  # noqa: DTZ001
