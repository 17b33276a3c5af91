"""Small repositories over one :class:`AsyncSession`.

A repository reads and stages changes; it never commits. The service that opened the unit of
work (``Database.session()`` / ``Database.write()``) decides when it ends.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ActDone, Checklist, DailyPlan, Days, Reflection, User, UserStatus

__all__ = [
    "DEFAULT_EVENING_TIME",
    "DEFAULT_MORNING_TIME",
    "ActRepository",
    "ChecklistRepository",
    "PlanRepository",
    "ReflectionRepository",
    "UserRepository",
    "plan_of",
]

Row = TypeVar("Row", DailyPlan, Reflection, Checklist)

DEFAULT_MORNING_TIME = time(9, 0)
DEFAULT_EVENING_TIME = time(20, 0)


class UserRepository:
    """Users, looked up by our id or by their Telegram id.

    Args:
        session: The unit of work to read and stage changes in.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> User | None:
        """Return the user with our primary key ``user_id``, if any.

        Args:
            user_id: ``users.id``.

        Returns:
            The user, or ``None``.
        """
        return await self._session.get(User, user_id)

    async def get_by_telegram_id(self, telegram_user_id: int) -> User | None:
        """Return the user with this Telegram user id, if any.

        Args:
            telegram_user_id: Telegram's ``User.id``.

        Returns:
            The user, or ``None``.
        """
        result = await self._session.exec(
            select(User).where(User.telegram_user_id == telegram_user_id)
        )
        return result.first()

    def add(self, user: User) -> User:
        """Stage a new user; it is inserted at the next flush or at commit.

        Call ``await session.flush()`` when the ``id`` is needed before the unit of work ends.
        A user whose Telegram id already exists fails then with
        :class:`sqlalchemy.exc.IntegrityError`; :meth:`upsert_from_telegram` avoids that.

        Args:
            user: A transient user with ``created_at``/``updated_at`` set.

        Returns:
            The same object.
        """
        self._session.add(user)
        return user

    async def upsert_from_telegram(
        self,
        *,
        telegram_user_id: int,
        chat_id: int,
        first_name: str,
        language_code: str | None,
        now: datetime,
        timezone: str = "UTC",
        morning_time: time = DEFAULT_MORNING_TIME,
        evening_time: time = DEFAULT_EVENING_TIME,
        days: Days = Days.DAILY,
        status: UserStatus = UserStatus.ONBOARDING,
    ) -> tuple[User, bool]:
        """Find the user for a Telegram update, creating them on first contact.

        An existing user gets their ``chat_id``, ``first_name`` and ``language_code`` refreshed
        (and ``updated_at`` only when something changed); their preferences and status are
        left alone. The defaults apply to a new user only. Concurrent first contacts from
        the same person cannot create two users: the insert runs in a savepoint, and losing
        the race on the unique Telegram id falls back to updating the winner's row.

        Args:
            telegram_user_id: Telegram's ``User.id``.
            chat_id: The private chat to write to.
            first_name: Telegram's ``User.first_name``.
            language_code: Telegram's ``User.language_code`` (may be ``None``).
            now: The current aware-UTC instant (from the injected clock).
            timezone: IANA zone for a new user.
            morning_time: Local morning prompt time for a new user.
            evening_time: Local evening prompt time for a new user.
            days: Prompt days for a new user.
            status: Initial status for a new user.

        Returns:
            ``(user, created)``; ``created`` is true when the row was inserted now.
        """
        existing = await self.get_by_telegram_id(telegram_user_id)
        if existing is None:
            user = User(
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                first_name=first_name,
                language_code=language_code,
                timezone=timezone,
                morning_time=morning_time,
                evening_time=evening_time,
                days=days,
                status=status,
                created_at=now,
                updated_at=now,
            )
            try:
                async with self._session.begin_nested():
                    self._session.add(user)
            except IntegrityError:
                # Someone else inserted this Telegram user between our read and our write.
                existing = await self.get_by_telegram_id(telegram_user_id)
                if existing is None:
                    raise
            else:
                return user, True
        changed = False
        if existing.chat_id != chat_id:
            existing.chat_id = chat_id
            changed = True
        if existing.first_name != first_name:
            existing.first_name = first_name
            changed = True
        if existing.language_code != language_code:
            existing.language_code = language_code
            changed = True
        if changed:
            existing.updated_at = now
            await self._session.flush()
        return existing, False


class _PerDayRepository(Generic[Row]):
    """Rows kept once per user and local date (unique on both).

    Args:
        session: The unit of work to read and stage changes in.
    """

    model: type[Row]

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_for_date(self, user_id: int, local_date: date) -> Row | None:
        """Return the row of ``user_id`` for ``local_date``, if any.

        Args:
            user_id: ``users.id``.
            local_date: The day in the user's own time zone.

        Returns:
            The row, or ``None``.
        """
        result = await self._session.exec(
            select(self.model).where(
                col(self.model.user_id) == user_id, col(self.model.local_date) == local_date
            )
        )
        return result.first()

    def add(self, row: Row) -> Row:
        """Stage a new row; it is inserted at the next flush or at commit.

        Args:
            row: A transient row with its timestamps set.

        Returns:
            The same object. The flush raises :class:`sqlalchemy.exc.IntegrityError` when
            the user already has a row for that date.
        """
        self._session.add(row)
        return row


class PlanRepository(_PerDayRepository[DailyPlan]):
    """Daily plans, one per user and local date."""

    model = DailyPlan


class ChecklistRepository(_PerDayRepository[Checklist]):
    """Kindness days' checklists, one per user and local date."""

    model = Checklist


class ReflectionRepository(_PerDayRepository[Reflection]):
    """Evening reflections, one per user and local date."""

    model = Reflection


class ActRepository:
    """Acts a person logged (``acts_done``), read only on their behalf.

    Args:
        session: The unit of work to read and stage changes in.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, act: ActDone) -> ActDone:
        """Stage ``act`` and flush, so it has its id."""
        self._session.add(act)
        await self._session.flush()
        return act

    def stage(self, act: ActDone) -> None:
        """Stage ``act`` without flushing (written with the unit of work)."""
        self._session.add(act)

    async def remove(self, act: ActDone) -> None:
        """Stage the deletion of ``act`` (an undone log)."""
        await self._session.delete(act)

    async def get_of(self, user_id: int, act_id: int) -> ActDone | None:
        """The logged act ``act_id`` if it belongs to ``user_id``, else ``None``."""
        act = await self._session.get(ActDone, act_id)
        return act if act is not None and act.user_id == user_id else None

    async def count_of(self, user_id: int) -> int:
        """How many acts ``user_id`` has logged, ever."""
        found = await self._session.exec(
            select(func.count(col(ActDone.id))).where(col(ActDone.user_id) == user_id)
        )
        return found.one()


async def plan_of(session: AsyncSession, *, user_id: int, plan_id: int) -> DailyPlan | None:
    """The daily plan ``plan_id`` if it belongs to ``user_id``, else ``None``."""
    plan = await session.get(DailyPlan, plan_id)
    return plan if plan is not None and plan.user_id == user_id else None
