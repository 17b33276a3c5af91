"""The delivery ledger: prompt rows planned ahead, claimed when due, and resolved.

Every prompt is one ``prompts`` row, unique on (user, slot, local date). Its life:

``planned`` -> ``claimed`` (an instance took it for its next batch) -> ``sending`` (its own
request is about to start or is on the wire) -> one final state: ``sent``, ``skipped_late`` (no
longer useful when it could go out), ``blocked`` (the person blocked the bot or the chat is
gone), ``failed`` (gave up after retries, or a permanent error), ``unknown`` (the last attempt
may or may not have reached Telegram, and no further attempt was useful) or ``cancelled`` (the
person paused, stopped or turned the slot off, or there was nothing to send). A retryable error,
a timeout after sending included, puts the row back to ``planned`` with ``next_attempt_at``; so
does a crash: claimed rows that never started are sent normally, and the few ``sending`` ones
are sent again (a rare duplicate is a smaller harm than a lost morning).

All functions take the caller's session and never commit (one unit of work per service call).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, bindparam, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.timing import (
    Slot,
    due_instant,
    is_paused,
    is_still_useful,
    local_date_of,
    plan_start,
    prompt_weekdays,
    useful_until,
)
from storage.models import Prompt, PromptSlot, PromptState, SendLease, User, UserStatus

__all__ = [
    "FINAL_STATES",
    "HORIZON",
    "LOOKBACK",
    "ClaimedPrompt",
    "PlanCache",
    "PromptOutcome",
    "Recovered",
    "claim_due",
    "insert_planned",
    "mark_sending",
    "plan_users",
    "record_outcomes",
    "recover_claims",
    "replan_user",
    "state_counts",
    "today_counts",
    "touch_claims",
]

HORIZON: Final = timedelta(hours=36)
"""How far ahead rows are planned; far more than a full planning pass takes."""

LOOKBACK: Final = timedelta(hours=26)
"""How far back the planner looks for prompts that fell due while nobody planned them.

An evening prompt at 00:00 stays useful for a whole local date (25 h on a fall-back day), so
this covers every prompt that can still be useful; older ones are not planned at all."""

FINAL_STATES: Final = frozenset(
    {
        PromptState.SENT,
        PromptState.SKIPPED_LATE,
        PromptState.BLOCKED,
        PromptState.FAILED,
        PromptState.UNKNOWN,
        PromptState.CANCELLED,
    }
)

CLAIMED: Final = "claimed for the next batch"
"""``reason`` of a claimed row: its instance will send it soon; nothing has gone out yet."""
IN_FLIGHT: Final = "in flight"
"""``reason`` of a ``sending`` row: its request may have reached Telegram."""
MAY_REPEAT: Final = "(may arrive twice)"
"""Ends the ``reason`` of a row whose earlier attempt may have reached Telegram."""
NEVER_STARTED: Final = "claimed, never started (its instance stopped); sent normally"
RESENT: Final = f"in flight when its instance stopped; sent again {MAY_REPEAT}"

_T = Prompt.__table__  # type: ignore[attr-defined]  # SQLModel exposes the Core table
_U = User.__table__  # type: ignore[attr-defined]
_L = SendLease.__table__  # type: ignore[attr-defined]

# zone, time, weekdays, slot, not before
_PlanKey = tuple[str, time, frozenset[int], str, datetime | None]


@dataclass(frozen=True)
class ClaimedPrompt:
    """A prompt this instance claimed and must send now, with what the sender needs."""

    id: int
    user_id: int
    chat_id: int
    slot: PromptSlot
    local_date: date
    due_at: datetime
    attempts: int
    timezone: str
    may_repeat: bool = False
    """An earlier attempt may have reached Telegram (a crash or a timeout mid-send)."""


@dataclass(frozen=True)
class PromptOutcome:
    """What became of one claimed prompt, to be written back by :func:`record_outcomes`.

    ``state`` is a final state, or ``planned`` with ``next_attempt_at`` for a retry.
    """

    prompt_id: int
    state: PromptState
    reason: str
    user_id: int | None = None
    message_id: int | None = None
    sent_at: datetime | None = None
    next_attempt_at: datetime | None = None
    block_user: bool = False


class PlanCache:
    """Remembers due instants and expiry per (zone, wall time, local date) across ticks.

    Many people share a zone and a time, and a local date keeps its due instant, so after the
    first pass planning is mostly dictionary lookups. Call :meth:`at` with each tick's ``now``.

    Args:
        now: The current instant.
        horizon: How far ahead to plan.
    """

    _MAX_ENTRIES: Final = 1_000_000  # then start afresh (old dates pile up otherwise)

    def __init__(self, now: datetime, horizon: timedelta = HORIZON) -> None:
        self.horizon = horizon
        self._zones: dict[str, ZoneInfo | None] = {}
        self._due: dict[tuple[str, time, date], tuple[datetime, datetime, datetime] | None] = {}
        self.at(now)

    def at(self, now: datetime) -> PlanCache:
        """Move to ``now`` (a new tick); returns self."""
        self.now = now
        self._start = now - LOOKBACK
        self._end = now + self.horizon
        self._window: dict[str, list[date]] = {}
        self._plans: dict[_PlanKey, list[tuple[date, datetime]]] = {}
        if len(self._due) > self._MAX_ENTRIES:
            self._due.clear()
        return self

    def zone(self, name: str) -> ZoneInfo | None:
        """The zone called ``name``, or None if tzdata does not know it."""
        if name not in self._zones:
            try:
                self._zones[name] = ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                self._zones[name] = None
        return self._zones[name]

    def _dates(self, tz_name: str, tz: ZoneInfo) -> list[date]:
        found = self._window.get(tz_name)
        if found is None:
            first = local_date_of(self._start, tz) - timedelta(days=1)
            last = local_date_of(self._end, tz) + timedelta(days=1)
            found = [first + timedelta(days=n) for n in range((last - first).days + 1)]
            self._window[tz_name] = found
        return found

    def _instants(
        self, tz_name: str, tz: ZoneInfo, at: time, day: date
    ) -> tuple[datetime, datetime, datetime] | None:
        """(due, morning expiry, evening expiry) of one local date, or None if it has none."""
        key = (tz_name, at, day)
        if key in self._due:
            return self._due[key]
        due = due_instant(day, at, tz)
        value = None
        if due is not None:
            value = (
                due,
                useful_until(Slot.MORNING, due, tz),
                useful_until(Slot.EVENING, due, tz),
            )
        self._due[key] = value
        return value

    def dates(
        self,
        tz_name: str,
        at: time,
        weekdays: frozenset[int],
        slot: str,
        not_before: datetime | None,
    ) -> list[tuple[date, datetime]]:
        """The (local date, due) pairs to plan: in the window, still useful, not too early.

        The same rules as :func:`~scheduler.timing.plan_dates` and
        :func:`~scheduler.timing.is_still_useful`, memoized.

        Args:
            tz_name: The person's zone.
            at: The slot's wall time.
            weekdays: The weekdays the slot goes out on
                (:func:`~scheduler.timing.prompt_weekdays`).
            slot: A :class:`~scheduler.timing.Slot` value.
            not_before: No due instant before this one (:func:`~scheduler.timing.plan_start`:
                the end of a pause, or when the person's prompts start), or None.

        Returns:
            The pairs, by local date.
        """
        if not_before is not None and not_before <= self._start:
            not_before = None  # keeps nothing out of the window; share the memo entry
        key = (tz_name, at, weekdays, slot, not_before)
        found = self._plans.get(key)
        if found is not None:
            return found
        tz = self.zone(tz_name)
        result: list[tuple[date, datetime]] = []
        if tz is not None:
            evening = slot == Slot.EVENING
            for day in self._dates(tz_name, tz):
                if day.weekday() not in weekdays:
                    continue
                instants = self._instants(tz_name, tz, at, day)
                if instants is None:
                    continue
                due, morning_expiry, evening_expiry = instants
                if not self._start <= due <= self._end:
                    continue
                if self.now >= (evening_expiry if evening else morning_expiry):
                    continue
                if not_before is not None and due < not_before:
                    continue
                result.append((day, due))
        self._plans[key] = result
        return result


_USER_COLUMNS: Final = (
    _U.c.id,
    _U.c.timezone,
    _U.c.morning_time,
    _U.c.evening_time,
    _U.c.morning_enabled,
    _U.c.evening_enabled,
    _U.c.days,
    _U.c.kindness_days,
    _U.c.quiet_evenings,
    _U.c.paused_until,
    _U.c.prompts_from,
)


def _weekdays(row: Any, slot: str) -> frozenset[int]:
    """The weekdays ``slot`` goes out on for the person of ``row`` (their rhythm and days)."""
    return _slot_weekdays(str(slot), str(row.days), row.kindness_days, row.quiet_evenings)


@lru_cache(maxsize=1024)
def _slot_weekdays(slot: str, days: str, kindness_days: int, quiet: bool) -> frozenset[int]:
    # Planning asks this for every person and slot; the answers are a handful of sets.
    return prompt_weekdays(slot, days, kindness_days=kindness_days, quiet_evenings=quiet)


def _rows_for(user: Any, cache: PlanCache) -> list[dict[str, Any]]:
    now = cache.now
    # Nothing inside a pause, and nothing before the person's prompts start: the ideas shown
    # when onboarding finished were that day's start (scheduler.timing.prompts_start).
    not_before = plan_start(user.paused_until, user.prompts_from, now)
    rows: list[dict[str, Any]] = []
    for slot, at, enabled in (
        (PromptSlot.MORNING, user.morning_time, user.morning_enabled),
        (PromptSlot.EVENING, user.evening_time, user.evening_enabled),
    ):
        if not enabled:
            continue
        weekdays = _weekdays(user, slot)
        for local_date, due in cache.dates(user.timezone, at, weekdays, slot, not_before):
            rows.append(
                {
                    "user_id": user.id,
                    "slot": slot,
                    "local_date": local_date,
                    "due_at": due,
                    "state": PromptState.PLANNED,
                    "attempts": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    return rows


async def _insert_absent(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert ``rows`` into the ledger, skipping every (user, slot, date) already there."""
    if not rows:
        return 0
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(_T).on_conflict_do_nothing(index_elements=["user_id", "slot", "local_date"])
    # One compiled statement, executed for many parameter sets (the driver's executemany):
    # cheaper than rendering a multi-row VALUES statement of a new size every time.
    result = await (await session.connection()).execute(statement, list(rows))
    return max(0, int(getattr(result, "rowcount", 0) or 0))


async def plan_users(
    session: AsyncSession, cache: PlanCache, *, after_id: int, limit: int
) -> tuple[int | None, list[dict[str, Any]]]:
    """Work out the missing ledger rows of the next page of active people (keyset by id).

    Only reads: insert the result with :func:`insert_planned` in a short write unit of work,
    so the write lock is never held while planning (SQLite has one writer).

    Args:
        session: A read unit of work.
        cache: Due instants, moved to this tick's ``now``.
        after_id: Plan people whose id is greater than this.
        limit: At most this many people.

    Returns:
        ``(last id of the page, or None when this page ends the pass; rows to insert)``.
    """
    connection = await session.connection()
    result = await connection.execute(
        select(*_USER_COLUMNS)
        .where(_U.c.id > after_id, _U.c.status == UserStatus.ACTIVE)
        .order_by(_U.c.id)
        .limit(limit)
    )
    users = result.all()
    rows: list[dict[str, Any]] = []
    for user in users:
        rows.extend(_rows_for(user, cache))
    if rows:
        # Most rows already exist after the first pass: read their keys (an index range scan)
        # instead of writing conflicting inserts, so a steady-state pass writes nothing.
        existing = await connection.execute(
            select(_T.c.user_id, _T.c.slot, _T.c.local_date).where(
                _T.c.user_id.between(users[0].id, users[-1].id),
                _T.c.local_date >= min(row["local_date"] for row in rows),
            )
        )
        known = {(r.user_id, str(r.slot), r.local_date) for r in existing}
        rows = [r for r in rows if (r["user_id"], str(r["slot"]), r["local_date"]) not in known]
    last = users[-1].id if len(users) == limit else None
    return last, rows


async def insert_planned(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows from :func:`plan_users`; keys that appeared meanwhile are skipped.

    People who erased their data (/delete) between planning and this write are skipped too:
    their rows would break the foreign key and fail the whole page. On PostgreSQL the people
    kept are share-locked (FOR KEY SHARE) until the insert commits, so a deletion waits.

    Args:
        session: A write unit of work (not committed here).
        rows: The rows to insert.

    Returns:
        How many rows the database reports inserted (0 where the driver cannot tell).
    """
    if not rows:
        return 0
    wanted = {row["user_id"] for row in rows}
    connection = await session.connection()
    present = set(
        (
            await connection.execute(
                select(_U.c.id)
                .where(_U.c.id.in_(wanted))
                .with_for_update(read=True, key_share=True)
            )
        ).scalars()
    )
    return await _insert_absent(session, [row for row in rows if row["user_id"] in present])


async def replan_user(session: AsyncSession, user_id: int, now: datetime) -> int:
    """Forget a person's prompts that are planned but not yet claimed, and plan them anew.

    Called in the same unit of work as any change to the person's timezone, prompt times,
    days, pause or stop. Rows already claimed or finished stay: with the unique key
    (user, slot, local_date) the planner cannot create a second prompt for a local date that
    was already sent, so a change never sends a slot twice for the same date. Like the
    planner, it plans nothing due before ``users.prompts_from`` (the first day). A snooze
    ("Later") is asked for by hand, not planned from settings, so it stays
    (``scheduler.snoozes``).

    Args:
        session: The caller's unit of work (not committed here); pending changes to the
            person are flushed first, so the new settings are what gets planned.
        user_id: The person whose settings changed.
        now: The current instant.

    Returns:
        How many planned rows were dropped.
    """
    await session.flush()
    result = await session.exec(
        delete(Prompt).where(
            col(Prompt.user_id) == user_id,
            col(Prompt.state) == PromptState.PLANNED,
            col(Prompt.slot) != PromptSlot.SNOOZE,
        )
    )
    dropped = int(result.rowcount or 0)
    found = await (await session.connection()).execute(
        select(*_USER_COLUMNS).where(_U.c.id == user_id, _U.c.status == UserStatus.ACTIVE)
    )
    user = found.first()
    if user is not None:
        await _insert_absent(session, _rows_for(user, PlanCache(now)))
    return dropped


def _cancel_reason(row: Any, now: datetime) -> str | None:
    """Why a due row must not go out any more, or None if it still should."""
    if row.status != UserStatus.ACTIVE:
        return f"person is {row.status}"
    if is_paused(row.paused_until, now):
        return "person paused prompts"
    if row.slot == PromptSlot.SNOOZE:
        return None  # asked for today, by hand: the slot settings and days do not apply
    enabled = row.morning_enabled if row.slot == PromptSlot.MORNING else row.evening_enabled
    if not enabled:
        return f"{row.slot} prompt turned off"
    if row.local_date.weekday() not in _weekdays(row, row.slot):
        return "not a prompt day any more"
    return None


async def claim_due(
    session: AsyncSession,
    now: datetime,
    *,
    instance: str,
    limit: int,
    on_resolved: Callable[[str, str, datetime], None] | None = None,
) -> tuple[list[ClaimedPrompt], int]:
    """Claim up to ``limit`` due rows for sending; resolve the ones that must not go out.

    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED`` so concurrent instances
    claim disjoint rows; on SQLite the caller's ``BEGIN IMMEDIATE`` makes this instance the
    only writer. A due row of a person who is no longer active, is paused, turned the slot
    off or moved it off their days is ``cancelled``; one no longer useful is ``skipped_late``.

    Args:
        session: A write unit of work (``Database.write()``), not committed here.
        now: The current instant.
        instance: This process's id, stored in ``claimed_by``.
        limit: The most rows to look at.
        on_resolved: Called with (slot, state, due instant) of each row resolved here.

    Returns:
        ``(claimed prompts to send, rows resolved without sending)``.
    """
    picked = (
        select(_T.c.id)
        .where(
            _T.c.state == PromptState.PLANNED,
            _T.c.due_at <= now,
            or_(_T.c.next_attempt_at.is_(None), _T.c.next_attempt_at <= now),
        )
        .order_by(_T.c.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True, of=_T)
    )
    ids = list((await (await session.connection()).execute(picked)).scalars())
    if not ids:
        return [], 0
    result = await (await session.connection()).execute(
        select(
            _T.c.id,
            _T.c.user_id,
            _T.c.slot,
            _T.c.local_date,
            _T.c.due_at,
            _T.c.attempts,
            _T.c.reason,
            _U.c.chat_id,
            _U.c.timezone,
            _U.c.status,
            _U.c.paused_until,
            _U.c.morning_enabled,
            _U.c.evening_enabled,
            _U.c.days,
            _U.c.kindness_days,
            _U.c.quiet_evenings,
        )
        .join(_U, _U.c.id == _T.c.user_id)
        .where(_T.c.id.in_(ids))
        .order_by(_T.c.due_at)
    )
    claimed: list[ClaimedPrompt] = []
    resolved: list[PromptOutcome] = []
    zones: dict[str, ZoneInfo | None] = {}
    cache = PlanCache(now)
    rows = result.all()
    for row in rows:
        reason = _cancel_reason(row, now)
        if reason is not None:
            resolved.append(PromptOutcome(row.id, PromptState.CANCELLED, reason))
            continue
        tz = zones.get(row.timezone) or cache.zone(row.timezone)
        zones[row.timezone] = tz
        if tz is None:
            resolved.append(
                PromptOutcome(row.id, PromptState.FAILED, f"unknown zone {row.timezone}")
            )
            continue
        if not is_still_useful(row.slot, row.due_at, now, tz):
            resolved.append(
                PromptOutcome(
                    row.id, PromptState.SKIPPED_LATE, "no longer useful when it could go out"
                )
            )
            continue
        claimed.append(
            ClaimedPrompt(
                id=row.id,
                user_id=row.user_id,
                chat_id=row.chat_id,
                slot=PromptSlot(row.slot),
                local_date=row.local_date,
                due_at=row.due_at,
                attempts=row.attempts + 1,
                timezone=row.timezone,
                may_repeat=(row.reason or "").endswith(MAY_REPEAT),
            )
        )
    if claimed:
        await (await session.connection()).execute(
            update(_T)
            .where(_T.c.id.in_([c.id for c in claimed]))
            .values(
                state=PromptState.CLAIMED,
                claimed_by=instance,
                claimed_at=now,
                attempts=_T.c.attempts + 1,
                reason=CLAIMED,
                updated_at=now,
            )
        )
    await record_outcomes(session, resolved, now)
    if on_resolved is not None:  # metrics: (slot, final state, due instant) of each
        due = {row.id: (str(row.slot), row.due_at) for row in rows}
        for outcome in resolved:
            slot, due_at = due[outcome.prompt_id]
            on_resolved(slot, str(outcome.state), due_at)
    return claimed, len(resolved)


async def record_outcomes(
    session: AsyncSession, outcomes: Iterable[PromptOutcome], now: datetime
) -> None:
    """Write outcomes back in one statement per kind; mark people who blocked the bot.

    Args:
        session: The unit of work (not committed here).
        outcomes: What happened to each prompt.
        now: The current instant (``updated_at``).
    """
    items = list(outcomes)
    if not items:
        return
    statement = (
        update(_T)
        .where(_T.c.id == bindparam("b_id"))
        .values(
            state=bindparam("b_state"),
            reason=bindparam("b_reason"),
            message_id=bindparam("b_message_id"),
            sent_at=bindparam("b_sent_at"),
            next_attempt_at=bindparam("b_next"),
            updated_at=now,
        )
    )
    connection = await session.connection()
    await connection.execute(
        statement,
        [
            {
                "b_id": o.prompt_id,
                "b_state": o.state,
                "b_reason": o.reason,
                "b_message_id": o.message_id,
                "b_sent_at": o.sent_at,
                "b_next": o.next_attempt_at,
            }
            for o in items
        ],
    )
    await mark_blocked(
        session, [o.user_id for o in items if o.block_user and o.user_id is not None], now
    )


async def mark_blocked(session: AsyncSession, user_ids: Sequence[int], now: datetime) -> None:
    """Mark people who blocked the bot (or whose chat is gone) as BLOCKED until they /start.

    Args:
        session: A write unit of work (not committed here).
        user_ids: ``users.id`` of the people Telegram refused to deliver to.
        now: The current instant.
    """
    blocked = sorted(set(user_ids))
    if blocked:
        connection = await session.connection()
        await connection.execute(
            update(_U)
            .where(_U.c.id.in_(blocked), _U.c.status == UserStatus.ACTIVE)
            .values(status=UserStatus.BLOCKED, updated_at=now)
        )


async def mark_sending(
    session: AsyncSession,
    prompt_ids: Sequence[int],
    *,
    instance: str,
    now: datetime,
    lease: str | None = None,
) -> set[int]:
    """Mark claimed rows as in flight, just before their requests start.

    Only rows this instance still holds are marked: a row another instance took over (this
    one stalled past the lease) must not be sent by both. With ``lease``, only while this
    instance also holds that sender lease unexpired (``scheduler.lease``): a holder that
    stalled past it finds every mark refused and sends nothing beside the new holder.

    Args:
        session: A write unit of work (not committed here).
        prompt_ids: Rows about to be sent.
        instance: This process's id (``claimed_by``, and the lease's ``holder``).
        now: The current instant.
        lease: The ``send_lease`` row this instance must hold; None: no lease (SQLite).

    Returns:
        The ids that were marked, which are the ones this instance may send.
    """
    if not prompt_ids:
        return set()
    conditions = [
        _T.c.id.in_(prompt_ids),
        _T.c.state == PromptState.CLAIMED,
        _T.c.claimed_by == instance,
    ]
    if lease is not None:  # the fence: checked in the same statement as the mark
        conditions.append(
            exists().where(_L.c.name == lease, _L.c.holder == instance, _L.c.expires_at > now)
        )
    result = await (await session.connection()).execute(
        update(_T)
        .where(*conditions)
        .values(state=PromptState.SENDING, reason=IN_FLIGHT, updated_at=now)
        .returning(_T.c.id)
    )
    return set(result.scalars())


async def touch_claims(session: AsyncSession, *, instance: str, now: datetime) -> None:
    """Renew this instance's claims (``claimed_at``) so other instances see it is alive.

    Args:
        session: A write unit of work (not committed here).
        instance: This process's id.
        now: The current instant.
    """
    await (await session.connection()).execute(
        update(_T)
        .where(
            _T.c.state.in_([PromptState.CLAIMED, PromptState.SENDING]),
            _T.c.claimed_by == instance,
        )
        .values(claimed_at=now)
    )


@dataclass(frozen=True)
class Recovered:
    """Rows given back to the dispatcher by :func:`recover_claims`."""

    never_started: int = 0
    """Claimed but never started: sent normally."""
    in_flight: int = 0
    """Their request may have reached Telegram: sent again, so they may arrive twice."""

    @property
    def total(self) -> int:
        """Both kinds."""
        return self.never_started + self.in_flight


async def recover_claims(
    session: AsyncSession,
    now: datetime,
    *,
    older_than: datetime | None = None,
    instance: str | None = None,
) -> Recovered:
    """Give the claims of an instance that stopped back to the dispatcher (``planned``).

    Rows that were claimed but never started are sent normally. Rows marked ``sending`` may
    have reached Telegram; Telegram has no idempotency key, and a rare duplicate morning
    message is a smaller harm than a lost one, so they are sent again too (see
    docs/scheduler.md). Whether each is still useful is decided when it is claimed again.

    Args:
        session: A write unit of work (not committed here).
        now: The current instant.
        older_than: Only claims not renewed since this instant (PostgreSQL, where other live
            instances renew theirs every tick); None takes every claim (SQLite, where this
            process holds the single-instance lock, at start-up).
        instance: Only this instance's claims (its own, left by a round the database
            interrupted).

    Returns:
        How many rows of each kind went back to ``planned``.
    """
    counts: dict[PromptState, int] = {}
    for state, reason in ((PromptState.CLAIMED, NEVER_STARTED), (PromptState.SENDING, RESENT)):
        condition = _T.c.state == state
        if older_than is not None:
            condition = and_(condition, _T.c.claimed_at < older_than)
        if instance is not None:
            condition = and_(condition, _T.c.claimed_by == instance)
        result = await (await session.connection()).execute(
            update(_T)
            .where(condition)
            .values(
                state=PromptState.PLANNED,
                reason=reason,
                claimed_by=None,
                next_attempt_at=None,
                updated_at=now,
            )
        )
        counts[state] = max(0, int(getattr(result, "rowcount", 0) or 0))
    return Recovered(counts[PromptState.CLAIMED], counts[PromptState.SENDING])


async def state_counts(
    session: AsyncSession, start: datetime, end: datetime
) -> dict[PromptState, int]:
    """Count ledger rows due in ``[start, end)`` by state.

    Args:
        session: A unit of work.
        start: The first due instant counted.
        end: The first due instant not counted.

    Returns:
        A count for every state (zero included).
    """
    result = await (await session.connection()).execute(
        select(_T.c.state, func.count())
        .where(_T.c.due_at >= start, _T.c.due_at < end)
        .group_by(_T.c.state)
    )
    counts = dict.fromkeys(PromptState, 0)
    for state, count in result.all():
        counts[PromptState(state)] = int(count)
    return counts


async def today_counts(session: AsyncSession, now: datetime) -> dict[PromptState, int]:
    """Count the rows of each person's local today by state, whatever their timezone.

    At any instant the local dates on Earth span at most three calendar dates around the UTC
    one, so rows are grouped by (timezone, local date, state) within those three dates, and a
    group counts when its local date is today in its timezone.

    Args:
        session: A unit of work.
        now: The current instant (aware).

    Returns:
        A count for every state (zero included).
    """
    utc_today = now.astimezone(ZoneInfo("UTC")).date()
    result = await (await session.connection()).execute(
        select(_U.c.timezone, _T.c.local_date, _T.c.state, func.count())
        .join(_U, _U.c.id == _T.c.user_id)
        .where(
            _T.c.local_date.between(utc_today - timedelta(days=1), utc_today + timedelta(days=1))
        )
        .group_by(_U.c.timezone, _T.c.local_date, _T.c.state)
    )
    counts = dict.fromkeys(PromptState, 0)
    today_in: dict[str, date] = {}
    for timezone, local_date, state, count in result.all():
        today = today_in.get(timezone)
        if today is None:
            today = today_in[timezone] = local_date_of(now, _zone_or_utc(timezone))
        if local_date == today:
            counts[PromptState(state)] += int(count)
    return counts


def _zone_or_utc(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
