"""Remembering: which memory an evening brings back, when none, and how a batch reads them.

The words a person sees are ``tests/unit/ui/test_daily_render.py``; end to end through the
real Application, ``tests/flows/test_memories.py``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import event
from sqlmodel import select

from bot.services.memories import MONTH, YEAR, Memory, choose
from bot.services.prompts import compose_prompt, compose_prompts
from scheduler.clock import ManualClock
from storage.engine import Database
from storage.memories import MemorySource, WrittenWords, mark_remembered, words_on
from storage.models import ActDone, Reflection, ReflectionOutcome, User, UserStatus

NOW = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)  # the evening of DAY in UTC
DAY = date(2026, 3, 2)
YEAR_AGO = DAY - timedelta(days=YEAR)
MONTH_AGO = DAY - timedelta(days=MONTH)


async def _user(db: Database, n: int = 1, **fields: object) -> int:
    async with db.write() as session:
        values: dict[str, object] = {
            "telegram_user_id": n,
            "chat_id": n,
            "first_name": f"P{n}",
            "timezone": "UTC",
            "morning_time": time(8, 30),
            "evening_time": time(19, 30),
            "status": UserStatus.ACTIVE,
            "created_at": NOW,
            "updated_at": NOW,
        }
        user = User.model_validate({**values, **fields})
        session.add(user)
        await session.flush()
        assert user.id is not None
        return user.id


async def _received(db: Database, user_id: int, day: date, words: str | None) -> int:
    async with db.write() as session:
        at = datetime.combine(day, time(20, 0), tzinfo=UTC)
        row = Reflection(
            user_id=user_id,
            local_date=day,
            outcome=ReflectionOutcome.DID,
            received=words,
            completed=True,
            created_at=at,
            updated_at=at,
        )
        session.add(row)
        await session.flush()
        assert row.id is not None
        return row.id


async def _act(db: Database, user_id: int, day: date, text: str, hour: int = 12) -> int:
    async with db.write() as session:
        done_at = datetime.combine(day, time(hour, 0), tzinfo=UTC)
        row = ActDone(user_id=user_id, local_date=day, text=text, done_at=done_at)
        session.add(row)
        await session.flush()
        assert row.id is not None
        return row.id


async def _evening_memory(
    db: Database, user_id: int, day: date = DAY, now: datetime = NOW
) -> Memory | None:
    prompt = await compose_prompt(db, ManualClock(now), user_id, "evening", day)
    assert prompt is not None
    memory = getattr(prompt.result, "memory", "no memory field")
    assert memory is None or isinstance(memory, Memory)
    return memory


async def _remembered(db: Database) -> dict[tuple[str, int], date | None]:
    async with db.session() as session:
        reflections = (await session.exec(select(Reflection))).all()
        acts = (await session.exec(select(ActDone))).all()
    found: dict[tuple[str, int], date | None] = {}
    for r in reflections:
        assert r.id is not None
        found[("received", r.id)] = r.remembered_on
    for a in acts:
        assert a.id is not None
        found[("act", a.id)] = a.remembered_on
    return found


# --- the rule, on plain rows ------------------------------------------------------------------


def _words(
    source: MemorySource,
    row_id: int,
    day: date,
    words: str = "kind",
    remembered_on: date | None = None,
    hour: int = 12,
) -> WrittenWords:
    return WrittenWords(
        source=source,
        row_id=row_id,
        user_id=1,
        local_date=day,
        words=words,
        remembered_on=remembered_on,
        written_at=datetime.combine(day, time(hour), tzinfo=UTC),
    )


R, A = MemorySource.RECEIVED, MemorySource.ACT


def test_a_year_ago_comes_before_a_month_ago() -> None:
    month, year = _words(R, 1, MONTH_AGO), _words(A, 2, YEAR_AGO)
    assert choose([month, year], DAY, again_tonight=False) == year
    assert choose([year, month], DAY, again_tonight=False) == year
    assert choose([month], DAY, again_tonight=False) == month


def test_on_one_day_what_was_noticed_comes_before_the_acts_in_the_order_done() -> None:
    late, early = _words(A, 1, YEAR_AGO, hour=18), _words(A, 2, YEAR_AGO, hour=9)
    noticed = _words(R, 3, YEAR_AGO, hour=21)
    assert choose([late, early, noticed], DAY, again_tonight=False) == noticed
    assert choose([late, early], DAY, again_tonight=False) == early


def test_only_exactly_a_month_or_a_year_before_and_only_words() -> None:
    others = [
        _words(R, 1, DAY - timedelta(days=29)),
        _words(R, 2, DAY - timedelta(days=31)),
        _words(A, 3, DAY - timedelta(days=364)),
        _words(A, 4, DAY - timedelta(days=366)),
        _words(R, 5, DAY),
        _words(A, 6, YEAR_AGO, words=" \n\u3000 "),
    ]
    assert choose(others, DAY, again_tonight=True) is None


def test_words_shown_on_another_evening_never_come_back() -> None:
    shown = _words(R, 1, YEAR_AGO, remembered_on=MONTH_AGO + timedelta(days=1))
    fresh = _words(A, 2, MONTH_AGO)
    assert choose([shown, fresh], DAY, again_tonight=True) == fresh
    assert choose([shown], DAY, again_tonight=True) is None


def test_an_evening_has_one_memory_at_most() -> None:
    tonight = _words(R, 1, MONTH_AGO, remembered_on=DAY)
    fresh = _words(A, 2, YEAR_AGO)  # preferred, were tonight's not already shown
    # The scheduled prompt composed again (a retried send) shows the same one...
    assert choose([fresh, tonight], DAY, again_tonight=True) == tonight
    # ...and /reflect after it shows none, never a second memory.
    assert choose([fresh, tonight], DAY, again_tonight=False) is None


# --- storage ----------------------------------------------------------------------------------


async def test_words_on_reads_both_tables_and_marks_each(db: Database) -> None:
    ana = await _user(db)
    received = await _received(db, ana, YEAR_AGO, "a stranger held the door")
    await _received(db, ana, MONTH_AGO, None)  # a skipped question: no words
    await _received(db, ana, MONTH_AGO + timedelta(days=1), "")
    act = await _act(db, ana, MONTH_AGO, "Called Mum")
    async with db.write() as session:
        found = await words_on(session, user_ids=[ana], days=[YEAR_AGO, MONTH_AGO], shown_on=[DAY])
    assert sorted((w.source, w.row_id, w.local_date, w.words) for w in found) == [
        (A, act, MONTH_AGO, "Called Mum"),
        (R, received, YEAR_AGO, "a stranger held the door"),
    ]
    assert all(w.remembered_on is None and w.written_at.tzinfo is not None for w in found)
    async with db.write() as session:
        await mark_remembered(session, [(R, received, DAY), (A, act, DAY)])
    assert (await _remembered(db))[("received", received)] == DAY
    async with db.write() as session:
        later = await words_on(
            session, user_ids=[ana], days=[YEAR_AGO, MONTH_AGO], shown_on=[DAY + timedelta(1)]
        )
        again = await words_on(session, user_ids=[ana], days=[YEAR_AGO], shown_on=[DAY])
    assert later == []  # shown on another date: not even read
    assert [(w.row_id, w.remembered_on) for w in again] == [(received, DAY)]


# --- the scheduled evening prompt -------------------------------------------------------------


async def test_the_evening_brings_a_year_ago_first_and_marks_it(sqlite_db: Database) -> None:
    ana = await _user(sqlite_db)
    year = await _act(sqlite_db, ana, YEAR_AGO, "Carried a neighbour's shopping")
    month = await _received(sqlite_db, ana, MONTH_AGO, "my sister <3 called")
    assert await _evening_memory(sqlite_db, ana) == Memory(
        words="Carried a neighbour's shopping", noticed=False, days_ago=YEAR
    )
    assert await _remembered(sqlite_db) == {("act", year): DAY, ("received", month): None}
    # Composed again the same evening (a retried send): the same memory, nothing new marked.
    assert await _evening_memory(sqlite_db, ana) == Memory(
        words="Carried a neighbour's shopping", noticed=False, days_ago=YEAR
    )
    assert await _remembered(sqlite_db) == {("act", year): DAY, ("received", month): None}


async def test_a_memory_comes_back_on_one_evening_only(sqlite_db: Database) -> None:
    """Words from a month ago are a year old 335 days later: they do not come back then."""
    ana = await _user(sqlite_db)
    await _received(sqlite_db, ana, MONTH_AGO, "a stranger paid for my tea")
    assert await _evening_memory(sqlite_db, ana) == Memory(
        words="a stranger paid for my tea", noticed=True, days_ago=MONTH
    )
    later = DAY + timedelta(days=YEAR - MONTH)
    assert later - timedelta(days=YEAR) == MONTH_AGO
    assert await _evening_memory(sqlite_db, ana, later, NOW + timedelta(days=335)) is None


async def test_no_memory_when_switched_off_on_a_gentle_day_or_without_words(
    sqlite_db: Database,
) -> None:
    off = await _user(sqlite_db, 1, memories=False)
    gentle = await _user(sqlite_db, 2, gentle_until=NOW + timedelta(hours=4))
    wordless = await _user(sqlite_db, 3)
    for person in (off, gentle):
        await _received(sqlite_db, person, YEAR_AGO, "a kind word")
    await _received(sqlite_db, wordless, YEAR_AGO, "   ")
    await _received(sqlite_db, wordless, MONTH_AGO, None)
    assert await _evening_memory(sqlite_db, off) is None
    assert await _evening_memory(sqlite_db, wordless) is None
    clock = ManualClock(NOW)
    assert await compose_prompt(sqlite_db, clock, gentle, "evening", DAY) is None
    assert set((await _remembered(sqlite_db)).values()) == {None}  # nothing marked shown
    # The gentle day is over: the next evening looks back again (on its own dates).
    await _received(sqlite_db, gentle, YEAR_AGO + timedelta(days=1), "a hug")
    tomorrow = NOW + timedelta(days=1)
    assert await _evening_memory(sqlite_db, gentle, DAY + timedelta(days=1), tomorrow) == (
        Memory(words="a hug", noticed=True, days_ago=YEAR)
    )


async def test_mornings_bring_no_memory(sqlite_db: Database) -> None:
    ana = await _user(sqlite_db)
    await _received(sqlite_db, ana, YEAR_AGO, "a kind word")
    assert await compose_prompt(sqlite_db, ManualClock(NOW), ana, "morning", DAY)
    assert set((await _remembered(sqlite_db)).values()) == {None}


async def test_a_batch_gives_each_evening_its_own_memory(db: Database) -> None:
    ana, ben, cat, dan = [await _user(db, n) for n in (1, 2, 3, 4)]
    eve = await _user(db, 5, memories=False)
    await _received(db, ana, YEAR_AGO, "Ana's year")
    await _act(db, ana, MONTH_AGO, "Ana's month")
    await _act(db, ben, MONTH_AGO, "Ben's month")
    await _received(db, cat, YEAR_AGO - timedelta(days=1), "Cat, a day too early")
    await _received(db, eve, YEAR_AGO, "Eve's year")
    # Dan's evening of yesterday (late) and of today, in one batch: one memory each.
    await _received(db, dan, YEAR_AGO - timedelta(days=1), "Dan's year, for yesterday")
    await _received(db, dan, YEAR_AGO, "Dan's year, for today")
    keys = [
        (ana, "evening", DAY),
        (ben, "evening", DAY),
        (ben, "morning", DAY),
        (cat, "evening", DAY),
        (dan, "evening", DAY - timedelta(days=1)),
        (dan, "evening", DAY),
        (eve, "evening", DAY),
    ]
    prompts = await compose_prompts(db, ManualClock(NOW), keys)
    memories = [getattr(p.result, "memory", None) if p else "none" for p in prompts]
    assert memories == [
        Memory("Ana's year", noticed=True, days_ago=YEAR),
        Memory("Ben's month", noticed=False, days_ago=MONTH),
        None,
        None,
        Memory("Dan's year, for yesterday", noticed=True, days_ago=YEAR),
        Memory("Dan's year, for today", noticed=True, days_ago=YEAR),
        None,
    ]


async def test_a_batch_of_evenings_reads_the_same_few_statements_whatever_its_size(
    sqlite_db: Database,
) -> None:
    ids = [await _user(sqlite_db, n) for n in range(1, 41)]
    for n, user_id in enumerate(ids):
        # Half remember what they noticed a year ago, half the acts of a month ago (some did
        # several), so every batch marks rows in both tables.
        if n % 2:
            await _received(sqlite_db, user_id, YEAR_AGO, f"kindness {n}")
        for hour in range(n % 3 if n % 2 else 1 + n % 3):
            await _act(sqlite_db, user_id, MONTH_AGO, f"act {n}.{hour}", hour=hour + 8)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]).split()[0])

    async def compose(people: list[int]) -> list[str]:
        statements.clear()
        await compose_prompts(sqlite_db, ManualClock(NOW), [(i, "evening", DAY) for i in people])
        return list(statements)

    engine = sqlite_db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        small, large, again = await compose(ids[:4]), await compose(ids[4:]), await compose(ids)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # BEGIN, the people, plans, reflections, logged acts (as before), the memories (one
    # UNION ALL) and one UPDATE (executemany) per table with a memory shown: 8 at most.
    assert small == large
    assert large.count("SELECT") == 5
    assert large.count("UPDATE") == 2
    assert len(large) == 8
    # Composed again (retried sends): the same memories, already marked, so no UPDATE.
    assert again.count("UPDATE") == 0
    assert len(again) == 6
    assert set((await _remembered(sqlite_db)).values()) == {None, DAY}
