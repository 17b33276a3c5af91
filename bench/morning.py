"""Benchmark 5: load while people talk, 200 people tapping through their morning choice.

The drain of benchmark 2 (10,000 prompts due at one minute, ``SEND_RATE=25``, the fake
enforcing 30 messages/s overall and 1/s per chat), with a :class:`MorningCrowd` instead of the
single asker: people spread evenly through the queue, each starting at a random moment of the
drain. Someone whose prompt has arrived picks an act on it; someone still waiting for it opens
/today. Then, at a reader's pace (1-3 s between taps), they choose an act, confirm it, and a
while later press Done. Each reply's latency runs from the tap to the answer arriving in the
fake: the edited message, or the new one, that the person waits for.

The waits are real time (the benchmark measures real time) and drawn from an RNG seeded per
person, so two runs tap the same way.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Final

from bench.common import FIRST_TELEGRAM_ID, table
from bench.drain import (
    LEAD,
    DrainResult,
    Stage,
    drain,
    flood_rows,
    latency_rows,
    machine_rows,
    others,
    rate_rows,
)
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.models import StoredMessage
from bot.sandbox.users import SimulatedUser
from bot.ui.callbacks import Action, parse
from storage.models import PromptState

ON_DEMAND: Final = "Here are a few ideas for today"
"""How /today's ideas begin (``bot.ui.daily.morning_text``), unlike the scheduled prompt's."""


@dataclass(frozen=True)
class Pace:
    """How people move through the morning choice, in seconds.

    Attributes:
        window: People start at a uniformly random moment this long after the due instant.
        gap: The range of a reader's pause between two taps.
        later: The range of the wait between confirming an act and pressing Done.
    """

    window: float
    gap: tuple[float, float] = (1.0, 3.0)
    later: tuple[float, float] = (15.0, 45.0)


@dataclass(frozen=True)
class Walk:
    """One person's waits, drawn before they start."""

    start: float
    """Seconds after the due instant."""
    gaps: tuple[float, float]
    """Before choosing (after /today's ideas arrived, if they opened it) and before confirming."""
    later: float


def walk_for(rng: random.Random, pace: Pace) -> Walk:
    """Draw a person's waits from ``rng``."""
    return Walk(
        start=rng.uniform(0.0, pace.window),
        gaps=(rng.uniform(*pace.gap), rng.uniform(*pace.gap)),
        later=rng.uniform(*pace.later),
    )


def spread(count: int, people: int) -> list[int]:
    """Telegram ids of ``people`` of the ``count`` prompted, evenly through the queue."""
    if not 0 < people <= count:
        raise ValueError(f"cannot pick {people} people of {count}")
    return [FIRST_TELEGRAM_ID + n * count // people for n in range(people)]


def buttons(message: StoredMessage, action: Action) -> list[str]:
    """The callback data of ``message``'s buttons that do ``action``."""
    found: list[str] = []
    for row in message.button_data:
        for data in row:
            parsed = parse(data)
            if data is not None and parsed is not None and parsed.action is action:
                found.append(data)
    return found


@dataclass
class MorningCrowd:
    """People among those prompted who tap through the morning choice.

    Attributes:
        ids: Their Telegram ids (see :func:`spread`).
        pace: How they move.
        seed: Seeds each person's RNG (with their id).
        taps: Taps (and /today) answered so far.
        finished: People who pressed Done and saw the answer.
        opened_today: People who opened /today because their prompt had not arrived.
    """

    ids: list[int]
    pace: Pace
    seed: int = 7
    taps: int = field(default=0, init=False)
    finished: int = field(default=0, init=False)
    opened_today: int = field(default=0, init=False)

    @property
    def chats(self) -> frozenset[int]:
        """Their private chats."""
        return frozenset(self.ids)

    def prepare(self, fake: FakeTelegram) -> None:
        """Nothing to add: they are among the people the fake already knows."""

    async def talk(self, stage: Stage) -> None:
        """Everyone walks through their morning at once, each at their own pace."""
        await asyncio.gather(*(self._walk(stage, telegram_id) for telegram_id in self.ids))

    async def _walk(self, stage: Stage, telegram_id: int) -> None:
        rng = random.Random(f"{self.seed}:{telegram_id}")
        walk = walk_for(rng, self.pace)
        user = stage.fake.users[telegram_id]
        await asyncio.sleep(walk.start)
        ideas = _with(user, Action.PICK)  # the morning prompt, if it has arrived
        if ideas is None:
            self.opened_today += 1
            ideas = await self._open_today(stage, user)
            if ideas is None:
                return
            await asyncio.sleep(walk.gaps[0])
        pick = rng.choice(buttons(ideas, Action.PICK))
        if not await self._tap(stage, user, ideas, pick, Action.COMMIT):
            return
        await asyncio.sleep(walk.gaps[1])
        [commit] = buttons(ideas, Action.COMMIT)  # the same message, edited
        if not await self._tap(stage, user, ideas, commit, Action.DONE):
            return
        await asyncio.sleep(walk.later)
        [done] = buttons(ideas, Action.DONE)
        if not await self._tap(stage, user, ideas, done, Action.NOTE_SKIP, new=True):
            return
        self.finished += 1

    async def _open_today(self, stage: Stage, user: SimulatedUser) -> StoredMessage | None:
        """Send /today; its answer is a new message of ideas (not the prompt arriving)."""
        state = user.chat_state
        assert state is not None
        after = state.last_message_id

        def answer() -> StoredMessage | None:
            return next(
                (
                    m
                    for m in user.messages
                    if m.message_id > after
                    and ON_DEMAND in m.shown_text
                    and buttons(m, Action.PICK)
                ),
                None,
            )

        if not await stage.exchange(
            user.send_command("/today"), stage.shows(lambda: answer() is not None)
        ):
            return None
        self.taps += 1
        return answer()

    async def _tap(
        self,
        stage: Stage,
        user: SimulatedUser,
        message: StoredMessage,
        data: str,
        then: Action,
        *,
        new: bool = False,
    ) -> bool:
        """Press ``data`` on ``message``; the answer shows a ``then`` button (edited or new)."""
        state = user.chat_state
        assert state is not None
        after = state.last_message_id

        def shown() -> bool:
            if new:
                return any(m.message_id > after and buttons(m, then) for m in user.messages)
            current = state.messages.get(message.message_id)
            return current is not None and bool(buttons(current, then))

        if not await stage.exchange(user.press_data(message.message_id, data), stage.shows(shown)):
            return False
        self.taps += 1
        return True


def _with(user: SimulatedUser, action: Action) -> StoredMessage | None:
    """The latest bot message in the person's chat with an ``action`` button."""
    return next((m for m in reversed(user.messages) if buttons(m, action)), None)


async def run(
    count: int,
    people: int,
    send_rate: float,
    global_limit: int,
    pace: Pace,
    *,
    lead: timedelta = LEAD,
    seed: int = 7,
) -> str:
    """Drain ``count`` prompts while ``people`` of them tap through the morning; the table."""
    crowd = MorningCrowd(spread(count, people), pace, seed)
    result = await drain(count, send_rate, global_limit, crowd, lead=lead)
    return table(
        f"5. Load while people talk: {people} people tapping through the morning choice "
        f"during a drain of {count} prompts, SEND_RATE={send_rate:g}, fake limits "
        f"{global_limit}/s and 1/s per chat",
        crowd_rows(crowd, result),
    )


def crowd_rows(crowd: MorningCrowd, result: DrainResult) -> list[tuple[str, str]]:
    """The rows of benchmark 5's table."""
    people = len(crowd.ids)
    return [
        *latency_rows(result),
        (
            "taps completed",
            f"{crowd.taps:7d}  ({crowd.finished} of {people} people pressed Done; "
            f"{crowd.opened_today} opened /today first; {result.replies.timeouts} replies "
            "later than 10 s)",
        ),
        *rate_rows(result),
        *flood_rows(result, "the people tapping"),
        (
            "prompts sent",
            f"{result.counts[PromptState.SENT]:7d}  {others(result)} (a person who chose "
            "before their prompt gets none)",
        ),
        *machine_rows(result),
    ]
