"""Prompt metrics against the ledger: a day of deliveries, then the scrape and the rows agree."""

from __future__ import annotations

from collections import Counter
from datetime import time

from bot.metrics import Metrics
from storage.models import PromptState
from tests.fakes.scrape import value
from tests.integration.scheduler.rig import Rig, utc


def observed(rig: Rig) -> Metrics:
    metrics = Metrics(rig.clock)
    rig.delivery.observer = metrics
    rig.delivery.sender.observer = metrics
    return metrics


async def test_prompt_counts_delays_and_sends_match_the_ledger(any_rig: Rig) -> None:
    rig = any_rig
    metrics = observed(rig)
    rig.clock.set(utc(2026, 3, 2, 6))
    users = [
        await rig.add_user("UTC", time(8, 0), time(20, 0)),
        await rig.add_user("Europe/Berlin", time(9, 30), time(21, 15)),
        await rig.add_user("Asia/Kolkata", time(18, 0), time(22, 0)),
    ]
    blocked = await rig.add_user("UTC", time(10, 0), time(20, 0))
    rig.fake.users[50_003].block()
    rig.nothing_for.add(users[2])
    rig.broken_for.add(users[1])
    # One 429 on the way (waited out, then sent) and one 5xx (retried later).
    rig.fake.faults.fail_next("sendMessage", status=429, retry_after=1, chat_id=50_000)
    rig.fake.faults.fail_next("sendMessage", status=502, chat_id=50_000)
    await rig.walk(utc(2026, 3, 3, 6))

    rows = await rig.rows()
    final = Counter(
        (str(row.state), str(row.slot))
        for row in rows
        if row.state not in {PromptState.PLANNED, PromptState.CLAIMED}
    )
    assert final[("sent", "morning")] >= 1
    assert final[("blocked", "morning")] == 1
    assert final[("failed", "morning")] >= 1
    assert final[("cancelled", "evening")] >= 1
    text = metrics.exposition()
    for (state, slot), count in final.items():
        assert value(text, "kindling_prompts_total", state=state, slot=slot) == count, (
            state,
            slot,
        )
    sent = [row for row in rows if row.state is PromptState.SENT]
    assert value(text, "kindling_sends_total") == len(rig.sends()) == len(sent)
    assert value(text, "kindling_prompt_delay_seconds_count", slot="morning") == len(
        [row for row in sent if row.slot == "morning"]
    )
    delays = sum((row.sent_at - row.due_at).total_seconds() for row in sent if row.sent_at)
    total = sum(
        value(text, "kindling_prompt_delay_seconds_sum", slot=slot)
        for slot in ("morning", "evening")
    )
    assert total == delays
    assert value(text, "kindling_telegram_429_total", source="prompts") == 1
    assert value(text, "kindling_prompt_retries_total", slot="morning") == 1
    assert blocked in {row.user_id for row in rows if row.state is PromptState.BLOCKED}
