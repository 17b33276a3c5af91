"""The rhythm's plain values: weekday masks, validity, the next kindness day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.kindness.rhythm import (
    MAX_KINDNESS_DAYS,
    MOST_DAYS,
    is_kindness_day,
    is_valid,
    next_kindness_day,
    toggled,
    weekdays_of,
)
from scheduler.timing import prompt_weekdays
from storage.models import KINDNESS_DAY_MASKS

MONDAY = date(2026, 3, 2)
MASKS = st.integers(min_value=0, max_value=127)


def test_the_valid_masks_are_the_ones_the_database_accepts() -> None:
    assert [mask for mask in range(128) if is_valid(mask)] == list(KINDNESS_DAY_MASKS)
    assert len(KINDNESS_DAY_MASKS) == 1 + 7 + 21
    assert not is_valid(-1)
    assert not is_valid(128)


@given(MASKS, st.integers(min_value=0, max_value=6))
def test_toggling_a_day_twice_gives_the_mask_back(mask: int, weekday: int) -> None:
    once = toggled(mask, weekday)
    assert (weekday in weekdays_of(once)) is (weekday not in weekdays_of(mask))
    assert toggled(once, weekday) == mask


def test_toggled_refuses_a_day_outside_the_week() -> None:
    with pytest.raises(ValueError, match="weekday 7"):
        toggled(0, 7)


@given(st.sampled_from(KINDNESS_DAY_MASKS[1:]), st.dates())
def test_the_next_kindness_day_is_the_first_one_from_the_day_on(mask: int, day: date) -> None:
    found = next_kindness_day(mask, day)
    assert found is not None
    assert day <= found < day + timedelta(days=7)
    assert is_kindness_day(mask, found)
    assert not any(
        is_kindness_day(mask, day + timedelta(days=n)) for n in range((found - day).days)
    )
    assert len(weekdays_of(mask)) <= MAX_KINDNESS_DAYS


def test_most_days_has_no_kindness_day() -> None:
    assert next_kindness_day(MOST_DAYS, MONDAY) is None
    assert not any(is_kindness_day(MOST_DAYS, MONDAY + timedelta(days=n)) for n in range(7))


def test_prompt_weekdays_under_each_rhythm() -> None:
    week = frozenset(range(7))
    assert prompt_weekdays("morning", "daily") == week
    assert prompt_weekdays("evening", "weekdays") == frozenset(range(5))
    wed_sat = 1 << 2 | 1 << 5
    # Kindness days: mornings on those days only, whatever "days" says.
    assert prompt_weekdays("morning", "weekdays", kindness_days=wed_sat) == {2, 5}
    assert prompt_weekdays("evening", "weekdays", kindness_days=wed_sat) == week
    assert prompt_weekdays("evening", "daily", kindness_days=wed_sat, quiet_evenings=False) == {
        2,
        5,
    }
    assert prompt_weekdays("snooze", "weekdays", kindness_days=wed_sat) == week
    with pytest.raises(ValueError, match="not a weekday mask"):
        prompt_weekdays("morning", "daily", kindness_days=128)
    with pytest.raises(ValueError, match="noon"):
        prompt_weekdays("noon", "daily")
