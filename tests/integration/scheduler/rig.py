"""A delivery pipeline on the in-process fake Bot API, a database and a manual clock."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import select as model_select

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.request import fake_bot
from scheduler.clock import ManualClock
from scheduler.delivery import Delivery, one_by_one
from scheduler.sender import RateLimiter, Sender
from storage.engine import Database
from storage.models import Prompt, PromptState, User, UserStatus

TOKEN = "123456:" + "S" * 35
PROMPTS: Any = Prompt.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Content:
    """What the stub composer renders."""

    text: str
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)


class ManualTime:
    """Monotonic seconds and a sleep that moves the manual clocks instead of waiting."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.slept = 0.0

    def monotonic(self) -> float:
        return self.clock.now().timestamp()

    async def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.clock.advance(timedelta(seconds=seconds))


@dataclass
class Rig:
    db: Database
    clock: ManualClock
    fake: FakeTelegram
    delivery: Delivery
    manual: ManualTime
    nothing_for: set[int] = field(default_factory=set)
    broken_for: set[int] = field(default_factory=set)

    async def add_user(
        self,
        tz: str = "UTC",
        morning: time = time(8, 30),
        evening: time = time(20, 30),
        **fields: Any,
    ) -> int:
        """A person who started the bot in the fake and is active in the database."""
        telegram_id = 50_000 + len(self.fake.users)
        self.fake.add_user(first_name="P", user_id=telegram_id)
        self.fake.private_chat({"id": telegram_id, "first_name": "P"}).started = True
        now = self.clock.now()
        values: dict[str, Any] = {
            "telegram_user_id": telegram_id,
            "chat_id": telegram_id,
            "first_name": "P",
            "timezone": tz,
            "morning_time": morning,
            "evening_time": evening,
            "status": UserStatus.ACTIVE,
            "created_at": now,
            "updated_at": now,
        }
        values.update(fields)
        async with self.db.session() as session:
            user = User(**values)
            session.add(user)
            await session.flush()
            assert user.id is not None
            return user.id

    async def cycle(self) -> None:
        """One tick (a whole planning pass for these few people) and everything due now."""
        await self.delivery.plan_all()
        await self.delivery.tick()
        await self.delivery.deliver_due()

    async def walk(self, until: datetime, step: timedelta = timedelta(hours=1)) -> None:
        """Move the clock to ``until``, stopping at every planned due instant (and each step)."""
        while self.clock.now() < until:
            now = self.clock.now()
            async with self.db.session() as session:
                upcoming = (
                    await (await session.connection()).execute(
                        select(PROMPTS.c.due_at)
                        .where(PROMPTS.c.state == PromptState.PLANNED, PROMPTS.c.due_at > now)
                        .order_by(PROMPTS.c.due_at)
                        .limit(1)
                    )
                ).scalar()
            target = min(now + step, until)
            if upcoming is not None:
                target = min(target, upcoming)
            self.clock.set(target)
            await self.cycle()

    async def rows(self, user_id: int | None = None) -> list[Prompt]:
        async with self.db.session() as session:
            query = model_select(Prompt).order_by(Prompt.due_at)  # type: ignore[arg-type]
            if user_id is not None:
                query = query.where(Prompt.user_id == user_id)
            return list((await session.exec(query)).all())

    async def user(self, user_id: int) -> User:
        async with self.db.session() as session:
            found = await session.get(User, user_id)
            assert found is not None
            return found

    def sends(self) -> list[dict[str, Any]]:
        return [c.params for c in self.fake.calls_to("sendMessage") if c.status == 200]

    def sent_texts(self, chat_id: int) -> list[str]:
        return [str(p["text"]) for p in self.sends() if p["chat_id"] == chat_id]

    async def states(self) -> Counter[str]:
        return Counter(str(row.state) for row in await self.rows())


def build_rig(
    db: Database, start: datetime, *, rate: float | None = None, paid_broadcast: bool = False
) -> Rig:
    clock = ManualClock(start)
    fake = FakeTelegram(token=TOKEN, clock=lambda: clock.now().timestamp())
    manual = ManualTime(clock)
    limiter = RateLimiter(rate, monotonic=manual.monotonic, sleep=manual.sleep)
    bot = fake_bot(fake)
    sender = Sender(bot, limiter, paid_broadcast=paid_broadcast)
    rig_holder: list[Rig] = []

    async def compose(user_id: int, slot: str, local_date: date) -> Content | None:
        if user_id in rig_holder[0].nothing_for:
            return None
        if user_id in rig_holder[0].broken_for:
            raise RuntimeError("a bug in rendering this person's prompt")
        return Content(f"{slot} {local_date.isoformat()} u{user_id}", [[("Later", "p:later")]])

    delivery = Delivery(db, clock, sender, one_by_one(compose), instance="test")
    rig = Rig(db=db, clock=clock, fake=fake, delivery=delivery, manual=manual)
    rig_holder.append(rig)
    return rig


async def add_started_people(
    db: Database,
    fake: FakeTelegram,
    count: int,
    now: datetime,
    *,
    first_id: int,
    timezone: str = "UTC",
    morning: time = time(8, 0),
) -> list[int]:
    """``count`` active people (Telegram ids from ``first_id``) who pressed Start in the fake.

    Inserted in one session; their evening is at 20:00.
    """
    ids = [first_id + n for n in range(count)]
    async with db.session() as session:
        for telegram_id in ids:
            fake.add_user(first_name="P", user_id=telegram_id)
            fake.private_chat({"id": telegram_id, "first_name": "P"}).started = True
            session.add(
                User(
                    telegram_user_id=telegram_id,
                    chat_id=telegram_id,
                    first_name="P",
                    timezone=timezone,
                    morning_time=morning,
                    evening_time=time(20, 0),
                    status=UserStatus.ACTIVE,
                    created_at=now,
                    updated_at=now,
                )
            )
    return ids


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
