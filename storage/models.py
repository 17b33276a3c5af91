"""Every table Kindling stores, as SQLModel classes, in this one module.

Conventions:

* Timestamps are aware UTC (:class:`UTCDateTime`); naive datetimes are refused on write.
* Enumerated columns are :class:`enum.StrEnum` values stored as plain ``VARCHAR``
  (:class:`StrEnumType`), so adding a value never needs a database enum migration.
* Telegram ids are ``BIGINT``.
* ``created_at`` / ``updated_at`` have no Python default: the service passes ``clock.now()``,
  because the clock is injected, never read here.
* Constraint names follow :data:`NAMING_CONVENTION`, so migrations are deterministic.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any, ClassVar, Final, Generic, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    Dialect,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Field, SQLModel

__all__ = [
    "KINDNESS_DAY_MASKS",
    "NAMING_CONVENTION",
    "ActDone",
    "Checklist",
    "DailyPlan",
    "Days",
    "PlanStatus",
    "Prompt",
    "PromptSlot",
    "PromptState",
    "Reflection",
    "ReflectionOutcome",
    "SendLease",
    "StrEnumType",
    "UTCDateTime",
    "User",
    "UserStatus",
    "metadata",
]

NAMING_CONVENTION: Final[dict[str, str]] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# All tables live in SQLModel's shared MetaData; give it the naming convention before any
# table is declared.
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: Final = SQLModel.metadata

# Room for longer enum values later without an ALTER.
_ENUM_LENGTH: Final = 32


class UTCDateTime(TypeDecorator[datetime]):
    """``TIMESTAMP WITH TIME ZONE`` that only accepts and only returns aware UTC datetimes.

    PostgreSQL stores the instant natively. SQLite has no time zone support, so the value is
    stored as naive UTC text (which keeps ``ORDER BY`` and comparisons correct) and marked as
    UTC again on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes; convert aware ones to UTC."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected an aware datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: store aware UTC")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the stored instant as an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


E = TypeVar("E", bound=StrEnum)


class StrEnumType(TypeDecorator[E], Generic[E]):
    """A :class:`~enum.StrEnum` stored as its value in a plain ``VARCHAR``.

    Unknown values are refused on write; values read back are enum members.

    Args:
        enum_class: The enum whose values the column holds.
        length: The ``VARCHAR`` length (default 32).
    """

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[E], length: int = _ENUM_LENGTH) -> None:
        longest = max(len(member.value) for member in enum_class)
        if longest > length:
            raise ValueError(f"{enum_class.__name__} has a value longer than {length}")
        super().__init__(length=length)
        self.enum_class = enum_class
        self.length = length

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        """Store the enum's value; a plain string must be one of the enum's values."""
        if value is None:
            return None
        return self.enum_class(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        """Return the enum member for the stored value."""
        if value is None:
            return None
        return self.enum_class(value)

    def __repr__(self) -> str:
        # Alembic autogenerate renders the plain column type (see migrations/env.py).
        return f"StrEnumType({self.enum_class.__name__}, length={self.length})"


class Days(StrEnum):
    """Which days a person wants prompts on."""

    DAILY = "daily"
    WEEKDAYS = "weekdays"


KINDNESS_DAY_MASKS: Final = tuple(
    sorted(
        {0}
        | {1 << day for day in range(7)}
        | {(1 << a) | (1 << b) for a in range(7) for b in range(a + 1, 7)}
    )
)
"""Every value ``users.kindness_days`` may hold: 0 (a little most days), or one or two weekdays
(bit ``n`` is ``date.weekday() == n``). The database checks it too."""


class UserStatus(StrEnum):
    """Where a person is in their life with the bot."""

    ONBOARDING = "onboarding"
    ACTIVE = "active"
    STOPPED = "stopped"
    BLOCKED = "blocked"


class PlanStatus(StrEnum):
    """What became of the day's chosen act."""

    PLANNED = "planned"
    DONE = "done"
    NOT_TODAY = "not_today"


class ReflectionOutcome(StrEnum):
    """The evening answer to "did it happen?"."""

    DID = "did"
    PARTLY = "partly"
    NOT_TODAY = "not_today"
    SKIPPED = "skipped"


class PromptSlot(StrEnum):
    """What a ledger row sends: one of the two daily prompts, or the morning ideas again.

    ``snooze`` rows are never planned: "Later" on the morning ideas inserts one, due two hours
    on (at most one per person and local date; see docs/scheduler.md).
    """

    MORNING = "morning"
    EVENING = "evening"
    SNOOZE = "snooze"


class PromptState(StrEnum):
    """A delivery ledger row's state."""

    PLANNED = "planned"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    SKIPPED_LATE = "skipped_late"
    BLOCKED = "blocked"
    FAILED = "failed"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"


def _user_fk() -> Any:
    """A ``user_id`` column referencing ``users.id`` that cascades deletes."""
    return Field(foreign_key="users.id", ondelete="CASCADE", nullable=False)


class User(SQLModel, table=True):
    """A person who has talked to the bot, with their schedule preferences."""

    __tablename__: ClassVar[str] = "users"
    __table_args__ = (
        UniqueConstraint("telegram_user_id"),
        CheckConstraint(
            f"kindness_days IN ({', '.join(map(str, KINDNESS_DAY_MASKS))})", name="kindness_days"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_type=BigInteger, nullable=False)
    chat_id: int = Field(sa_type=BigInteger, nullable=False)
    first_name: str = Field(sa_type=Text, nullable=False)
    language_code: str | None = Field(default=None, sa_type=String(35))
    # The language chosen with /language (a shipped catalog code such as "pt_BR"); NULL
    # follows language_code. A later language_code never overrides a choice.
    language: str | None = Field(default=None, sa_type=String(16))
    timezone: str = Field(default="UTC", sa_type=String(64), nullable=False)
    morning_time: time = Field(sa_type=Time, nullable=False)
    evening_time: time = Field(sa_type=Time, nullable=False)
    morning_enabled: bool = Field(default=True, nullable=False)
    evening_enabled: bool = Field(default=True, nullable=False)
    days: Days = Field(default=Days.DAILY, sa_type=StrEnumType(Days), nullable=False)
    paused_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: UserStatus = Field(
        default=UserStatus.ONBOARDING, sa_type=StrEnumType(UserStatus), nullable=False
    )
    pending_step: str | None = Field(default=None, sa_type=String(64))
    pending_payload: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # Acts suggested lately, ``[{"d": "2026-03-02", "a": ["act_id", ...]}, ...]``, so the
    # next suggestions can avoid them. Reassign (never mutate in place): JSON is not tracked.
    offered_acts: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    # After crisis language: until the end of that local day, no evening nudge. Only this
    # time is kept, never what was written.
    gentle_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When onboarding finished: a prompt due before this instant is not planned, because the
    # onboarding ideas were that day's start (docs/scheduler.md, "The first day").
    prompts_from: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The weekly recap beside the Sunday evening prompt; people can switch it off in /week.
    weekly_recap: bool = Field(default=True, nullable=False)
    # A gentle memory from 30 or 365 days before in the evening; switchable in /settings.
    memories: bool = Field(default=True, nullable=False)
    # The rhythm: 0 is "a little most days"; otherwise one or two "kindness days" a week, as
    # a weekday bit mask (bit n: date.weekday() == n), with a short checklist on those days.
    kindness_days: int = Field(default=0, nullable=False)
    # Under kindness days: the other days' evenings ask only what kindness the person received
    # or witnessed (False: those evenings stay quiet too).
    quiet_evenings: bool = Field(default=True, nullable=False)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)

    @property
    def locale(self) -> str | None:
        """The language to write to this person in: their choice, else Telegram's."""
        return self.language or self.language_code


class DailyPlan(SQLModel, table=True):
    """The act a person chose for one local day."""

    __tablename__: ClassVar[str] = "daily_plans"
    __table_args__ = (UniqueConstraint("user_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk()
    local_date: date = Field(sa_type=Date, nullable=False)
    act_id: str | None = Field(default=None, sa_type=String(64))
    act_text: str = Field(sa_type=Text, nullable=False)
    status: PlanStatus = Field(
        default=PlanStatus.PLANNED, sa_type=StrEnumType(PlanStatus), nullable=False
    )
    # The message showing "Today's act: ..." in the person's chat: a reaction on it logs the
    # act. Only the last one counts; None until one is shown (or for plans from before).
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    # The ``acts_done`` row a reaction on that message logged; taking the reaction back the
    # same day undoes that log only (a Done press is not undone by a reaction).
    reaction_log_id: int | None = Field(default=None)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class Checklist(SQLModel, table=True):
    """A kindness day's short list of acts to tick off, and which were ticked.

    One per person and local date, made when the day's list is first shown; the acts stay
    the same all day (the message is edited in place as they are ticked).
    """

    __tablename__: ClassVar[str] = "checklists"
    __table_args__ = (UniqueConstraint("user_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk()
    local_date: date = Field(sa_type=Date, nullable=False)
    # Catalog act ids, in the order shown. Reassign (never mutate in place): JSON.
    act_ids: list[str] = Field(sa_type=JSON, nullable=False)
    # Ticked acts: act id -> the ``acts_done.id`` the tick logged (unticking removes that log).
    ticked: dict[str, int] = Field(default_factory=dict, sa_type=JSON, nullable=False)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class ActDone(SQLModel, table=True):
    """An act of kindness a person logged (from the catalog or in their own words)."""

    __tablename__: ClassVar[str] = "acts_done"
    __table_args__ = (Index(None, "user_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk()
    local_date: date = Field(sa_type=Date, nullable=False)
    act_id: str | None = Field(default=None, sa_type=String(64))
    text: str = Field(sa_type=Text, nullable=False)
    note: str | None = Field(default=None, sa_type=Text)
    done_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    # The local date this act was offered back as a memory; a memory comes back only once.
    remembered_on: date | None = Field(default=None, sa_type=Date)


class Reflection(SQLModel, table=True):
    """The evening check-in for one local day."""

    __tablename__: ClassVar[str] = "reflections"
    __table_args__ = (
        UniqueConstraint("user_id", "local_date"),
        CheckConstraint("feeling IS NULL OR (feeling >= 1 AND feeling <= 5)", name="feeling"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk()
    local_date: date = Field(sa_type=Date, nullable=False)
    outcome: ReflectionOutcome | None = Field(default=None, sa_type=StrEnumType(ReflectionOutcome))
    feeling: int | None = Field(default=None)
    received: str | None = Field(default=None, sa_type=Text)
    completed: bool = Field(default=False, nullable=False)
    # The local date these words were offered back as a memory; never twice.
    remembered_on: date | None = Field(default=None, sa_type=Date)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class Prompt(SQLModel, table=True):
    """One row of the delivery ledger: a (user, slot, local date) prompt and its fate."""

    __tablename__: ClassVar[str] = "prompts"
    __table_args__ = (
        UniqueConstraint("user_id", "slot", "local_date"),
        Index(None, "state", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk()
    slot: PromptSlot = Field(sa_type=StrEnumType(PromptSlot), nullable=False)
    local_date: date = Field(sa_type=Date, nullable=False)
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    state: PromptState = Field(
        default=PromptState.PLANNED, sa_type=StrEnumType(PromptState), nullable=False
    )
    attempts: int = Field(default=0, nullable=False)
    claimed_by: str | None = Field(default=None, sa_type=String(128))
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    reason: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class SendLease(SQLModel, table=True):
    """Which instance may send prompts now: one row per lease (``name``), renewed while held.

    Telegram's flood limit belongs to the bot, not to a process, so on PostgreSQL exactly one
    instance at a time claims and sends prompts (``scheduler.lease``); SQLite never uses it
    (one instance only).
    """

    __tablename__: ClassVar[str] = "send_lease"

    name: str = Field(sa_type=String(64), primary_key=True)
    holder: str = Field(sa_type=String(128), nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    renewed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
