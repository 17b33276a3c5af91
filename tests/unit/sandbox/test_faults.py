"""Fault injection: flood control on the injected clock, scripted errors, hangs, outages."""

from __future__ import annotations

from typing import Any

import pytest

from bot.sandbox.errors import RequestHung, ServiceDown
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.users import SimulatedUser
from tests.unit.sandbox.conftest import Ticker


async def send(fake: FakeTelegram, chat_id: int, text: str = "hi") -> tuple[int, dict[str, Any]]:
    return await fake.call("sendMessage", {"chat_id": chat_id, "text": text})


async def test_per_chat_limit_answers_429_until_the_window_slides(
    fake: FakeTelegram, ana: SimulatedUser, clock: Ticker
) -> None:
    fake.faults.enforce_limits(global_per_second=30, per_chat_per_second=1)
    assert (await send(fake, ana.id))[0] == 200
    status, body = await send(fake, ana.id)
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    assert len(ana.messages) == 1
    clock.advance(1.0)
    assert (await send(fake, ana.id))[0] == 200
    assert fake.faults.stats.rate_limited == 1


async def test_global_limit_counts_all_chats(fake: FakeTelegram, clock: Ticker) -> None:
    users = [fake.add_user(f"U{i}") for i in range(4)]
    for user in users:
        await user.send_text("hi")
    fake.faults.enforce_limits(global_per_second=3, per_chat_per_second=1)
    statuses = [(await send(fake, user.id))[0] for user in users]
    assert statuses == [200, 200, 200, 429]
    clock.advance(0.5)
    assert (await send(fake, users[3].id))[0] == 429
    clock.advance(0.5)
    assert (await send(fake, users[3].id))[0] == 200
    assert fake.faults.stats.rate_limited == 2
    assert fake.faults.stats.by_status[429] == 2


async def test_group_limit_is_per_minute(fake: FakeTelegram, clock: Ticker) -> None:
    group = fake.add_group("Friends")
    fake.faults.enforce_limits(per_group_per_minute=2)
    assert (await send(fake, group.id))[0] == 200
    clock.advance(2)
    assert (await send(fake, group.id))[0] == 200
    clock.advance(2)
    status, body = await send(fake, group.id)
    assert status == 429
    assert body["parameters"]["retry_after"] == 56
    clock.advance(56)
    assert (await send(fake, group.id))[0] == 200


async def test_failed_sends_do_not_count_toward_limits(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    fake.faults.enforce_limits(per_chat_per_second=1)
    assert (await send(fake, ana.id, ""))[0] == 400
    assert (await send(fake, ana.id))[0] == 200


async def test_non_sending_methods_are_not_limited(fake: FakeTelegram) -> None:
    fake.faults.enforce_limits(global_per_second=1)
    for _ in range(3):
        assert (await fake.call("getMe", {}))[0] == 200


async def test_fail_next_scripts_errors_without_effect(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    fake.faults.fail_next("sendMessage", count=2, status=502)
    assert (await send(fake, ana.id))[0] == 502
    status, body = await send(fake, ana.id)
    assert (status, body["description"]) == (502, "Bad Gateway")
    assert ana.messages == []
    assert (await send(fake, ana.id))[0] == 200
    assert fake.faults.stats.scripted == 2


async def test_fail_next_429_and_chat_filter(fake: FakeTelegram, ana: SimulatedUser) -> None:
    ben = fake.add_user("Ben")
    await ben.send_text("hi")
    fake.faults.fail_next("SENDMESSAGE", status=429, retry_after=7, chat_id=ben.id)
    assert (await send(fake, ana.id))[0] == 200
    status, body = await send(fake, ben.id)
    assert (status, body["parameters"]) == (429, {"retry_after": 7})
    assert fake.faults.stats.rate_limited == 1


async def test_fail_next_blocked(fake: FakeTelegram, ana: SimulatedUser) -> None:
    fake.faults.fail_next("sendMessage", status=403)
    status, body = await send(fake, ana.id)
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")


async def test_hang_next_leaves_the_request_unanswered(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    fake.faults.hang_next("sendMessage")
    with pytest.raises(RequestHung):
        await send(fake, ana.id)
    assert ana.messages == []
    assert fake.calls[-1].status == 0
    assert (await send(fake, ana.id))[0] == 200
    assert fake.faults.stats.hung == 1


async def test_hang_after_effect_sends_but_loses_the_answer(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    fake.faults.hang_next("sendMessage", after_effect=True)
    with pytest.raises(RequestHung):
        await send(fake, ana.id, "maybe")
    assert [m.text for m in ana.messages] == ["maybe"]


async def test_down_raises_for_the_transport(fake: FakeTelegram) -> None:
    fake.faults.down = True
    with pytest.raises(ServiceDown):
        await fake.call("getMe", {})
    fake.faults.down = False
    assert (await fake.call("getMe", {}))[0] == 200


async def test_reset_clears_faults(fake: FakeTelegram, ana: SimulatedUser) -> None:
    fake.faults.enforce_limits(per_chat_per_second=1)
    fake.faults.fail_next("sendMessage", count=5)
    fake.faults.reset()
    for _ in range(3):
        assert (await send(fake, ana.id))[0] == 200
