"""Pure time math of the prompt scheduler: when a prompt is due, and whether it is still useful.

Every function here is pure: no I/O, no wall clock (``now`` is always a parameter), and nothing
of ours is imported, so the rules can be walked across the calendar in tests.

Vocabulary:

* A *local date* is a calendar date in the user's IANA zone; a prompt is planned at most once
  per (user, slot, local date), which is the delivery ledger's unique key.
* A *wall time* is the ``time`` of day the user chose (naive, e.g. 08:30).
* A *due instant* is the aware UTC ``datetime`` at which the prompt should go out.

Daylight saving and other offset changes are resolved like this:

* **Gap** (spring forward, or any jump of the clock forward): a wall time the clock skips goes
  out at the first instant after the gap, i.e. the moment the clock jumps. 02:30 on the US
  spring-forward day in America/New_York goes out at 03:00 EDT (07:00 UTC); 02:15 on
  Australia/Lord_Howe's 30-minute spring-forward day goes out at 02:30. A skipped midnight
  (America/Havana, America/Santiago and others in some years) behaves the same: 00:00 goes out
  at 01:00.
* **Overlap** (fall back): a wall time that happens twice goes out at its FIRST occurrence
  (``fold=0``), so a prompt is never sent twice and never an hour "late".
* **Skipped local date** (Pacific/Apia 2011-12-30, Pacific/Kiritimati 1994-12-31, where the zone
  jumped across the date line): the date never happened there, so it has no prompt
  (:func:`due_instant` returns ``None``). The same holds, more generally, when the clock jumps
  from before the chosen wall time straight into the next local date: the prompt for that date
  would have to land on a different local date, so there is none, and the next date keeps its own
  prompt. Today this only happens in America/Nuuk and America/Scoresbysund, whose spring forward
  goes from 23:00 straight to 00:00: a 23:30 prompt is skipped on that one Saturday in March.
  Thanks to this rule ``local_date_of(due_instant(d, t, tz), tz) == d`` always holds, and an
  evening prompt is never due after its own date has ended.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final, NamedTuple
from zoneinfo import ZoneInfo

__all__ = [
    "EVENING_USEFUL_UNTIL",
    "FIRST_DAY_QUIET",
    "MORNING_GRACE",
    "Planned",
    "PromptDays",
    "Slot",
    "due_instant",
    "honour_chosen_time",
    "is_paused",
    "is_prompt_day",
    "is_still_useful",
    "local_date_of",
    "plan_dates",
    "plan_start",
    "prompt_weekdays",
    "prompts_start",
    "start_of_local_date",
    "useful_until",
]


class Slot(StrEnum):
    """What a ledger row sends; the value is what the ledger stores.

    ``morning`` and ``evening`` are planned from the person's settings; a ``snooze`` is the
    morning ideas again, asked for with "Later" (never planned), and useful like a morning.
    """

    MORNING = "morning"
    EVENING = "evening"
    SNOOZE = "snooze"


class PromptDays(StrEnum):
    """Which local dates get prompts; the value is what the user settings store."""

    DAILY = "daily"
    WEEKDAYS = "weekdays"  # Monday to Friday in the user's zone


MORNING_GRACE: Final = timedelta(hours=3)
"""A morning prompt is still useful for this long after its due instant.

It is also never sent after its local date has ended (see :func:`useful_until`)."""

EVENING_USEFUL_UNTIL: Final = time(0)
"""An evening prompt is useful until the local midnight that ends its local date.

Documentation constant: the rule is "until the next local date starts", which is not always a
wall-clock 00:00 (on a skipped midnight the next date starts at 01:00)."""

FIRST_DAY_QUIET: Final = timedelta(hours=1)
"""After onboarding shows the day's first ideas, no scheduled prompt follows for this long.

A "Good morning" with three other acts, or an evening check-in about a day that has barely
started, right after those ideas would only be noise. See :func:`prompts_start`."""

_WEEKEND: Final = frozenset({5, 6})  # date.weekday(): Saturday, Sunday
_ALL_WEEK: Final = frozenset(range(7))
_ONE_DAY: Final = timedelta(days=1)
_TINY: Final = timedelta(microseconds=1)
# Wider than any UTC offset tzdata has ever had (LMT offsets reach about +-15:13), so a search
# window of this size around a wall time read as UTC always contains its instants.
_MAX_OFFSET: Final = timedelta(hours=26)
# How far beyond the window plan_dates looks for local dates. Because due instants are first
# occurrences, a due's date lies between the local dates of the window's ends; the spare days
# are a cheap guard for clocks that jump back across midnight.
_DATE_MARGIN: Final = 2


class Planned(NamedTuple):
    """One prompt occurrence: the local date it belongs to and its due instant (aware UTC)."""

    local_date: date
    due: datetime


def due_instant(local_date: date, at: time, tz: ZoneInfo) -> datetime | None:
    """Return the instant a prompt for ``local_date`` at wall time ``at`` is due.

    Args:
        local_date: The user's local date the prompt belongs to.
        at: The naive wall time of day the user chose.
        tz: The user's zone.

    Returns:
        The aware UTC instant whose local wall time in ``tz`` is ``local_date`` at ``at``; its
        first occurrence if the wall time happens twice (fall back); the first valid instant
        after the gap if the clock skips it (spring forward). ``None`` if that first valid
        instant is already on a later local date, which is the case for every wall time of a
        local date the zone skipped entirely (Pacific/Apia 2011-12-30): no prompt then.

    Raises:
        ValueError: If ``at`` carries a tzinfo (it must be a wall time).
    """
    if at.tzinfo is not None:
        raise ValueError("`at` must be a naive wall time")
    wall = datetime.combine(local_date, at.replace(fold=0))
    instant = _first_instant_at_or_after(wall, tz)
    if local_date_of(instant, tz) != local_date:
        return None
    return instant


def start_of_local_date(local_date: date, tz: ZoneInfo) -> datetime:
    """Return the first instant (aware UTC) whose local date in ``tz`` is ``local_date`` or later.

    Usually local midnight; on a skipped midnight the moment the clock jumps (01:00 in
    America/Havana's spring forward); for a skipped date the start of the next one.

    Args:
        local_date: The local date.
        tz: The zone.

    Returns:
        The instant the local date starts, in UTC.
    """
    return _first_instant_at_or_after(datetime.combine(local_date, time(0)), tz)


def local_date_of(instant: datetime, tz: ZoneInfo) -> date:
    """Return the local date of ``instant`` in ``tz``.

    Args:
        instant: An aware instant.
        tz: The zone.

    Returns:
        The calendar date on the wall in ``tz`` at ``instant``.

    Raises:
        ValueError: If ``instant`` is naive.
    """
    _require_aware(instant, "instant")
    return instant.astimezone(tz).date()


def is_prompt_day(local_date: date, days: str) -> bool:
    """Tell whether ``local_date`` gets prompts under the user's ``days`` setting.

    Args:
        local_date: The user's local date.
        days: A :class:`PromptDays` value ("daily" or "weekdays").

    Returns:
        True for every date under "daily", for Monday to Friday under "weekdays".

    Raises:
        ValueError: If ``days`` is not a :class:`PromptDays` value.
    """
    if PromptDays(days) is PromptDays.DAILY:
        return True
    return local_date.weekday() not in _WEEKEND


def prompt_weekdays(
    slot: str, days: str, *, kindness_days: int = 0, quiet_evenings: bool = True
) -> frozenset[int]:
    """Tell on which weekdays (``date.weekday()``) a slot's prompts go out.

    Under "a little most days" (``kindness_days`` 0) both prompts follow ``days``. Under
    kindness days (a bit mask of one or two weekdays, bit ``n`` for ``weekday() == n``) the
    morning list comes on those days only, and the evening on those days and, when
    ``quiet_evenings``, on the others too (it then asks only about kindness received); ``days``
    does not apply. A snooze was asked for by hand, so it goes out on any day.

    Args:
        slot: A :class:`Slot` value.
        days: A :class:`PromptDays` value.
        kindness_days: The weekday bit mask, 0 for most days.
        quiet_evenings: Evenings of the other days under kindness days.

    Returns:
        The weekdays.

    Raises:
        ValueError: An unknown slot or ``days`` value, or a mask outside 0 to 127.
    """
    slot_ = Slot(slot)
    every = PromptDays(days) is PromptDays.DAILY
    if not 0 <= kindness_days < 1 << 7:
        raise ValueError(f"kindness_days {kindness_days} is not a weekday mask")
    if slot_ is Slot.SNOOZE:
        return _ALL_WEEK
    if not kindness_days:
        return _ALL_WEEK if every else _ALL_WEEK - _WEEKEND
    chosen = frozenset(day for day in range(7) if kindness_days >> day & 1)
    if slot_ is Slot.EVENING and quiet_evenings:
        return _ALL_WEEK
    return chosen


def plan_dates(
    now: datetime,
    tz: ZoneInfo,
    at: time,
    days: str,
    *,
    horizon: timedelta,
    lookback: timedelta,
) -> list[Planned]:
    """List the prompts due in ``[now - lookback, now + horizon]`` (both ends included).

    This is what the tick job writes to the ledger. Calling it from successive ticks gives
    overlapping answers; a local date always comes with the same due instant as long as the
    user's zone, time and days are unchanged, so the ledger's unique key drops the repeats.

    Args:
        now: The current instant (aware).
        tz: The user's zone.
        at: The user's wall time for this slot.
        days: A :class:`PromptDays` value.
        horizon: How far ahead to plan (>= 0).
        lookback: How far back to plan (>= 0), so prompts that fell due during downtime are
            found; whether they are still worth sending is :func:`is_still_useful`'s call.

    Returns:
        One :class:`Planned` per local date at most, on prompt days only, sorted by due instant.
        Local dates the zone skipped have no entry.

    Raises:
        ValueError: If ``now`` is naive, ``horizon`` or ``lookback`` is negative, or ``days``
            is unknown.
    """
    _require_aware(now, "now")
    if horizon < timedelta(0) or lookback < timedelta(0):
        raise ValueError("horizon and lookback must not be negative")
    PromptDays(days)  # fail fast even when the window holds no date
    start, end = now - lookback, now + horizon
    first = local_date_of(start, tz) - timedelta(days=_DATE_MARGIN)
    last = local_date_of(end, tz) + timedelta(days=_DATE_MARGIN)
    planned: list[Planned] = []
    day = first
    while day <= last:
        if is_prompt_day(day, days):
            due = due_instant(day, at, tz)
            if due is not None and start <= due <= end:
                planned.append(Planned(day, due))
        day += _ONE_DAY
    planned.sort(key=lambda p: p.due)
    return planned


def useful_until(slot: str, due: datetime, tz: ZoneInfo) -> datetime:
    """Return the instant from which a prompt is no longer worth sending (exclusive).

    Morning: :data:`MORNING_GRACE` after its due instant, but never past the end of its local
    date (a late-night "morning" time must not land on the next date, which has its own).
    Snooze ("Later"): the same, since it brings the morning ideas back.
    Evening: the start of the next local date, see :data:`EVENING_USEFUL_UNTIL`.

    Args:
        slot: A :class:`Slot` value.
        due: The prompt's due instant (aware).
        tz: The user's zone; the local date is that of ``due`` in it.

    Returns:
        The expiry instant, in UTC.

    Raises:
        ValueError: If ``due`` is naive or ``slot`` is unknown.
    """
    end_of_date = start_of_local_date(local_date_of(due, tz) + _ONE_DAY, tz)
    if Slot(slot) is Slot.EVENING:
        return end_of_date
    return min(due.astimezone(UTC) + MORNING_GRACE, end_of_date)


def is_still_useful(slot: str, due: datetime, now: datetime, tz: ZoneInfo) -> bool:
    """Tell whether a prompt due at ``due`` is still worth sending at ``now``, e.g. after downtime.

    A prompt that is not due yet counts as useful.

    Args:
        slot: A :class:`Slot` value.
        due: The prompt's due instant (aware).
        now: The current instant (aware).
        tz: The user's zone.

    Returns:
        True while ``now`` is before :func:`useful_until`.

    Raises:
        ValueError: If a datetime is naive or ``slot`` is unknown.
    """
    _require_aware(now, "now")
    return now < useful_until(slot, due, tz)


def is_paused(paused_until: datetime | None, now: datetime) -> bool:
    """Tell whether a user who paused prompts until ``paused_until`` is still paused at ``now``.

    Args:
        paused_until: The aware instant the pause ends (exclusive), or None if not paused.
            To pause "until Monday", pass :func:`start_of_local_date` of that Monday.
        now: The current instant (aware).

    Returns:
        True if ``now`` is before ``paused_until``.

    Raises:
        ValueError: If a datetime is naive.
    """
    _require_aware(now, "now")
    if paused_until is None:
        return False
    _require_aware(paused_until, "paused_until")
    return now < paused_until


def prompts_start(finished: datetime, tz: ZoneInfo) -> datetime:
    """Return the instant from which the prompts of someone who just finished onboarding start.

    The ideas shown when onboarding finishes are that day's start, so no prompt due before
    ``finished`` is sent (a morning already past would arrive late and right after them), and
    none due within :data:`FIRST_DAY_QUIET` after it either. The quiet never reaches into the
    next local date, whose morning is a new day's start.

    Args:
        finished: When onboarding finished (aware).
        tz: The person's zone.

    Returns:
        The first due instant that may be planned, in UTC (``users.prompts_from``).

    Raises:
        ValueError: If ``finished`` is naive.
    """
    _require_aware(finished, "finished")
    next_date = start_of_local_date(local_date_of(finished, tz) + _ONE_DAY, tz)
    return min(finished.astimezone(UTC) + FIRST_DAY_QUIET, next_date)


def honour_chosen_time(
    prompts_from: datetime | None, at: time, tz: ZoneInfo, now: datetime
) -> datetime | None:
    """Return ``prompts_from`` after the person chose the wall time ``at`` for a slot at ``now``.

    A time chosen on purpose while prompts have not started yet, and still ahead today, is
    honoured: the start moves back to that time's due instant, so "/morning 08:56" typed at
    08:54 right after onboarding gives a prompt at 08:56. A time already past today changes
    nothing (today's start was the onboarding ideas), and neither does one at or after the
    start (it is planned anyway).

    Args:
        prompts_from: The current start (``users.prompts_from``), or None.
        at: The wall time just chosen.
        tz: The person's zone.
        now: The current instant (aware).

    Returns:
        The new start (unchanged, or earlier).

    Raises:
        ValueError: If ``now`` is naive.
    """
    _require_aware(now, "now")
    if prompts_from is None or prompts_from <= now:
        return prompts_from
    due = due_instant(local_date_of(now, tz), at, tz)
    if due is not None and now <= due < prompts_from:
        return due
    return prompts_from


def plan_start(
    paused_until: datetime | None, prompts_from: datetime | None, now: datetime
) -> datetime | None:
    """Return the earliest due instant the planner may plan at ``now``, or None for no limit.

    A prompt due before the end of a pause still running at ``now``, or before the person's
    prompts start (see :func:`prompts_start`; a start in the past still keeps out the prompts
    due before it), is not planned at all.

    Args:
        paused_until: The end of a pause (exclusive), or None.
        prompts_from: When the person's prompts start, or None.
        now: The current instant (aware).

    Returns:
        The later of the limits that apply; None if none does.

    Raises:
        ValueError: If a datetime is naive.
    """
    _require_aware(now, "now")
    limits: list[datetime] = []
    if prompts_from is not None:
        _require_aware(prompts_from, "prompts_from")
        limits.append(prompts_from)
    if paused_until is not None and is_paused(paused_until, now):
        limits.append(paused_until)
    return max(limits, default=None)


def _first_instant_at_or_after(wall: datetime, tz: ZoneInfo) -> datetime:
    """Return the first instant (UTC) whose local wall time in ``tz`` is ``wall`` or later.

    If ``wall`` occurs, that is its earliest occurrence; if the clock skips it, the instant the
    clock jumps over it.
    """
    occurrences = [
        instant
        for fold in (0, 1)
        if _wall(instant := wall.replace(tzinfo=tz, fold=fold).astimezone(UTC), tz) == wall
    ]
    if occurrences:
        return min(occurrences)
    # In a gap. zoneinfo reads the skipped wall time with the offset before the jump (fold=0)
    # or after it (fold=1), which gives two instants on either side of the jump.
    bounds = sorted(wall.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1))
    low, high = bounds
    if not (_wall(low, tz) < wall <= _wall(high, tz)):  # pragma: no cover - defensive
        # Several transitions close together; fall back to a window every offset fits in.
        naive_utc = wall.replace(tzinfo=UTC)
        low, high = naive_utc - _MAX_OFFSET, naive_utc + _MAX_OFFSET
    # Invariant: _wall(low) < wall <= _wall(high). Transitions are whole seconds, but a
    # microsecond bisection is only ~37 steps even for a skipped day.
    while high - low > _TINY:
        middle = low + (high - low) // 2
        if _wall(middle, tz) >= wall:
            high = middle
        else:
            low = middle
    return high


def _wall(instant: datetime, tz: ZoneInfo) -> datetime:
    """Return the naive local wall time of ``instant`` in ``tz``."""
    return instant.astimezone(tz).replace(tzinfo=None)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"`{name}` must be an aware datetime")
