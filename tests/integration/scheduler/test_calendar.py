"""Walk the calendar with a manual clock: one prompt per slot per local date, on time."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduler.timing import due_instant, is_still_useful
from storage.models import PromptState
from tests.integration.scheduler.rig import Rig, utc

TIMES = [time(0, 0), time(1, 30), time(2, 30), time(23, 59)]

# (zone, UTC start of a 3-day walk around an offset change, or an ordinary stretch)
WINDOWS = [
    ("America/New_York", utc(2026, 3, 7, 0)),  # spring forward 2026-03-08 02:00
    ("America/New_York", utc(2026, 10, 31, 0)),  # fall back 2026-11-01 02:00
    ("Europe/Berlin", utc(2026, 3, 28, 0)),  # spring forward 2026-03-29 02:00
    ("Europe/Berlin", utc(2026, 10, 24, 0)),  # fall back 2026-10-25 03:00
    ("Asia/Kolkata", utc(2026, 3, 2, 0)),
    ("Australia/Lord_Howe", utc(2026, 4, 3, 0)),  # 30-minute fall back 2026-04-05 02:00
    ("Australia/Lord_Howe", utc(2026, 10, 2, 0)),  # 30-minute spring forward 2026-10-04
    ("Pacific/Chatham", utc(2026, 4, 3, 0)),  # +13:45 -> +12:45 on 2026-04-05
    ("Pacific/Chatham", utc(2026, 9, 25, 0)),  # +12:45 -> +13:45 on 2026-09-27
    ("Pacific/Kiritimati", utc(2026, 3, 2, 0)),  # +14
    ("Pacific/Pago_Pago", utc(2026, 3, 2, 0)),  # -11, the other side of the date line
]


def expected(
    tz: ZoneInfo, at: time, slot: str, start: datetime, end: datetime
) -> dict[date, tuple[datetime, datetime]]:
    """(due, sent) per local date: on time, or at ``start`` if still useful then (catch-up)."""
    found: dict[date, tuple[datetime, datetime]] = {}
    day = start.astimezone(tz).date() - timedelta(days=2)
    while day <= end.astimezone(tz).date() + timedelta(days=1):
        due = due_instant(day, at, tz)
        if due is not None and start < due <= end:
            found[day] = (due, due)
        elif due is not None and due <= start and is_still_useful(slot, due, start, tz):
            found[day] = (due, start)
        day += timedelta(days=1)
    return found


@pytest.mark.parametrize(("zone", "start"), WINDOWS, ids=[f"{z}-{s:%m%d}" for z, s in WINDOWS])
async def test_one_prompt_per_slot_and_local_date_at_its_time(
    rig: Rig, zone: str, start: datetime
) -> None:
    rig.clock.set(start)
    tz = ZoneInfo(zone)
    users = {at: await rig.add_user(zone, at, at) for at in TIMES}
    end = start + timedelta(days=3)
    await rig.cycle()
    await rig.walk(end)

    rows = await rig.rows()
    for at, user_id in users.items():
        total = 0
        for slot in ("morning", "evening"):
            want = expected(tz, at, slot, start, end)
            total += len(want)
            sent = [r for r in rows if r.user_id == user_id and r.slot == slot]
            sent = [r for r in sent if r.state == PromptState.SENT]
            dates = Counter(r.local_date for r in sent)
            assert all(n == 1 for n in dates.values())
            assert sorted(dates) == sorted(want), (zone, at, slot)
            for row in sent:
                assert row.sent_at is not None
                assert str(row.due_at) == str(want[row.local_date][0])
                # Slots sharing a time (or caught up together) go out a second apart:
                # the chat limit of 1 message/s.
                on_time = want[row.local_date][1]
                assert on_time <= row.sent_at <= on_time + timedelta(seconds=3)
        # The person saw exactly one message per slot and local date.
        texts = Counter(rig.sent_texts(50_000 + list(users).index(at)))
        assert set(texts.values()) == {1}
        assert len(texts) == total >= 4


async def test_spring_forward_gap_goes_out_at_the_jump(rig: Rig) -> None:
    rig.clock.set(utc(2026, 3, 7, 12))
    user = await rig.add_user("America/New_York", time(2, 30), time(20, 0))
    await rig.walk(utc(2026, 3, 9, 0))
    morning = next(r for r in await rig.rows(user) if r.local_date == date(2026, 3, 8))
    assert morning.state == PromptState.SENT
    assert str(morning.sent_at) == "2026-03-08 07:00:00+00:00"  # 03:00 EDT


async def test_fall_back_overlap_goes_out_once_at_the_first_occurrence(rig: Rig) -> None:
    rig.clock.set(utc(2026, 10, 31, 12))
    user = await rig.add_user("America/New_York", time(1, 30), time(20, 0))
    await rig.walk(utc(2026, 11, 2, 12))
    mornings = [r for r in await rig.rows(user) if r.local_date == date(2026, 11, 1)]
    assert [(str(r.slot), str(r.sent_at)) for r in mornings if r.slot == "morning"] == [
        ("morning", "2026-11-01 05:30:00+00:00")  # 01:30 EDT, not 01:30 EST
    ]


async def test_weekdays_only_skip_the_weekend(rig: Rig) -> None:
    rig.clock.set(utc(2026, 3, 6, 0))  # a Friday
    user = await rig.add_user("Asia/Kolkata", time(8, 0), time(20, 0), days="weekdays")
    await rig.walk(utc(2026, 3, 10, 0))
    sent_dates = {r.local_date for r in await rig.rows(user) if r.state == PromptState.SENT}
    assert sent_dates == {date(2026, 3, 6), date(2026, 3, 9)}
