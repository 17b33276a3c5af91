"""The pure parts of the drain benchmarks (bench/drain.py, bench/morning.py): counting, pacing,
the tables' figures. The benchmarks themselves run in real time and never in the tests."""

from __future__ import annotations

import itertools
import random
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from bench.common import FIRST_TELEGRAM_ID, percentile
from bench.drain import (
    DrainResult,
    Replies,
    Stage,
    busiest_second,
    drained,
    due_minute,
    flood_rows,
    latency_rows,
    machine_rows,
    rate_rows,
)
from bench.morning import Pace, buttons, spread, walk_for
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.models import RecordedCall, StoredMessage
from bot.ui.callbacks import Action, encode
from storage.models import PromptState

DUE = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def send(at: float, chat_id: int, status: int = 200) -> RecordedCall:
    return RecordedCall(method="sendMessage", params={"chat_id": chat_id}, status=status, at=at)


def result(**changes: object) -> DrainResult:
    fields: dict[str, object] = {
        "count": 101,
        "send_rate": 25.0,
        "global_limit": 30,
        "due": DUE,
        "counts": {**dict.fromkeys(PromptState, 0), PromptState.SENT: 101},
        "first_sent": DUE + timedelta(seconds=1),
        "last_sent": DUE + timedelta(seconds=5),
        "sends": [send(0.1, 1), send(0.2, 7, 429), send(0.3, 8, 429), send(0.9, 2)],
        "crowd_chats": frozenset({7}),
        "replies": Replies(latencies=[0.010, 0.020, 0.400], timeouts=1),
        "longest_pause": 0.25,
        "load": (1.5, 3.25, 2.0),
    }
    fields.update(changes)
    return DrainResult(**fields)  # type: ignore[arg-type]


def test_the_busiest_second_slides_like_telegrams_window() -> None:
    assert busiest_second([]) == 0
    assert busiest_second([0.0, 0.5, 0.99, 1.0, 1.5]) == 3  # 0.0 has left the window at 1.0
    assert busiest_second([0.0, 0.1, 0.2, 0.3, 2.0]) == 4


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 51.0
    assert percentile(values, 0.95) == 95.0
    assert percentile(list(reversed(values)), 1.0) == 100.0
    assert percentile([], 0.5) != percentile([], 0.5)  # NaN: no replies at all


def test_prompts_fall_due_at_a_whole_minute() -> None:
    now = datetime(2026, 3, 2, 6, 58, 50, 123, tzinfo=UTC)
    assert str(due_minute(now, timedelta(seconds=75))) == "2026-03-02 07:00:00+00:00"
    assert str(due_minute(now, timedelta(0))) == "2026-03-02 06:58:00+00:00"  # due at once


def test_a_drain_is_over_once_everyone_is_planned_and_settled() -> None:
    nothing = dict.fromkeys(PromptState, 0)
    assert not drained(nothing, 10)  # the planner has not got to them yet
    assert not drained({**nothing, PromptState.SENT: 6}, 10)
    assert not drained({**nothing, PromptState.SENT: 9, PromptState.SENDING: 1}, 10)
    assert not drained({**nothing, PromptState.SENT: 9, PromptState.PLANNED: 1}, 10)
    assert drained({**nothing, PromptState.SENT: 8, PromptState.CANCELLED: 2}, 10)


def test_the_drain_figures() -> None:
    figures = result()
    assert figures.span == 4.0
    assert figures.rate == 25.0  # 100 intervals between 101 prompts in 4 s
    assert [c.params["chat_id"] for c in figures.limited] == [7, 8]
    assert figures.limited_to_crowd == 1
    assert figures.busiest == 2  # only accepted sends count
    assert result(first_sent=None, last_sent=None).rate != 25.0


def test_the_table_rows() -> None:
    rows = dict(rate_rows(result()) + flood_rows(result(), "the people tapping"))
    assert rows["achieved rate"].split() == ["25.00", "msg/s", "=", "100.0%", "of", "SEND_RATE"]
    assert rows["429 answers"].split()[0] == "2"
    assert "1 to other chats, 1 to the people tapping" in rows["429 answers"]
    assert rows["busiest second at the fake"].split()[0] == "2"
    latency = dict(latency_rows(result()))
    assert [latency[f"reply latency {k}"].split()[0] for k in ("p50", "p95", "max")] == [
        "20",
        "400",
        "400",
    ]
    machine = dict(machine_rows(result()))
    assert machine["longest collection pause"].split()[0] == "250"
    assert "1.50 at the start, 3.25 at most, 2.00 at the end" in machine["load average (1 min)"]


async def test_an_exchange_records_the_latency_or_the_timeout() -> None:
    fake = FakeTelegram()
    stage = Stage(fake=fake, drained=threading.Event())
    user = fake.add_user("Ana")

    async def never() -> None:
        raise TimeoutError

    assert await stage.exchange(user.send_command("/help"), stage.shows(lambda: True))
    assert not await stage.exchange(user.send_command("/help"), never)
    assert len(stage.replies.latencies) == 1
    assert stage.replies.latencies[0] >= 0
    assert stage.replies.timeouts == 1
    assert len(fake.pending_updates) == 2  # both messages were sent


def test_people_are_spread_evenly_through_the_queue() -> None:
    ids = spread(10_000, 200)
    assert len(set(ids)) == 200
    assert ids[0] == FIRST_TELEGRAM_ID
    assert {b - a for a, b in itertools.pairwise(ids)} == {50}
    assert spread(3, 3) == [FIRST_TELEGRAM_ID + n for n in range(3)]
    with pytest.raises(ValueError, match="cannot pick"):
        spread(3, 4)


def test_a_walk_is_human_paced_and_the_same_for_the_same_seed() -> None:
    pace = Pace(window=320.0)
    walks = [walk_for(random.Random(f"7:{n}"), pace) for n in range(500)]
    assert walks[:5] == [walk_for(random.Random(f"7:{n}"), pace) for n in range(5)]
    assert len({w.start for w in walks}) == 500  # jitter: nobody moves in step
    assert all(0 <= w.start <= 320 for w in walks)
    assert all(1.0 <= gap <= 3.0 for w in walks for gap in w.gaps)
    assert all(15.0 <= w.later <= 45.0 for w in walks)
    assert min(w.start for w in walks) < 32
    assert max(w.start for w in walks) > 288


def test_buttons_are_found_by_what_they_do() -> None:
    day = date(2026, 3, 2)
    pick_a, pick_b = encode(Action.PICK, day, "a1"), encode(Action.PICK, day, "b2")
    others = encode(Action.OTHERS, day)
    keyboard = [
        [{"text": "1", "callback_data": pick_a}],
        [{"text": "2", "callback_data": pick_b}],
        [{"text": "More", "callback_data": others}, {"text": "Web", "url": "https://x.org"}],
    ]
    message = StoredMessage(
        message_id=3,
        chat={"id": 1, "type": "private"},
        date=0,
        sender=None,
        kind="text",
        from_bot=True,
        text="ideas",
        reply_markup={"inline_keyboard": keyboard},
    )
    assert buttons(message, Action.PICK) == [pick_a, pick_b]
    assert buttons(message, Action.OTHERS) == [others]
    assert buttons(message, Action.DONE) == []
