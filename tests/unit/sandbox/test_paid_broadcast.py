"""Paid broadcasts in the fake: ``allow_paid_broadcast`` sends count against a limit of their own.

Telegram lets a bot send about 30 messages a second for free; ``allow_paid_broadcast=true``
raises that to 1000 a second for 0.1 Stars per message (Bot API ``sendMessage``). The fake keeps
the two apart the same way, and checks the parameter's type (Boolean) like the schema says.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.request import fake_bot
from tests.unit.sandbox.conftest import Ticker

BOOLEAN_ERROR = 'Bad Request: field "allow_paid_broadcast" must be of type Boolean'


def started_chats(fake: FakeTelegram, count: int) -> list[int]:
    """``count`` private chats whose person has pressed Start (so the bot may write first)."""
    ids = []
    for index in range(count):
        chat_id = 70_000 + index
        fake.private_chat({"id": chat_id, "first_name": "P"}).started = True
        ids.append(chat_id)
    return ids


async def send(
    fake: FakeTelegram, chat_id: int, paid: object = None, method: str = "sendMessage"
) -> tuple[int, dict[str, Any]]:
    params: dict[str, object] = {"chat_id": chat_id, "text": "hi"}
    if paid is not None:
        params["allow_paid_broadcast"] = paid
    return await fake.call(method, params)


async def statuses(fake: FakeTelegram, chats: list[int], paid: object = None) -> list[int]:
    return [(await send(fake, chat, paid))[0] for chat in chats]


async def test_without_the_flag_the_31st_message_in_a_second_gets_429(
    fake: FakeTelegram, clock: Ticker
) -> None:
    fake.faults.enforce_limits()
    chats = started_chats(fake, 31)
    assert await statuses(fake, chats[:30]) == [200] * 30
    status, body = await send(fake, chats[30])
    assert (status, body["parameters"]) == (429, {"retry_after": 1})
    clock.advance(1.0)
    assert (await send(fake, chats[30]))[0] == 200
    assert fake.faults.stats.rate_limited == 1


async def test_with_the_flag_1000_messages_a_second_pass_and_the_1001st_gets_429(
    fake: FakeTelegram, clock: Ticker
) -> None:
    fake.faults.enforce_limits()
    chats = started_chats(fake, 1001)
    assert await statuses(fake, chats[:1000], "true") == [200] * 1000
    status, body = await send(fake, chats[1000], "true")
    assert (status, body["parameters"]) == (429, {"retry_after": 1})
    clock.advance(1.0)
    assert (await send(fake, chats[1000], "true"))[0] == 200
    assert fake.faults.stats.rate_limited == 1


@pytest.mark.parametrize("paid", ["true", True, "1"])
async def test_the_paid_limit_is_configurable(
    fake: FakeTelegram, clock: Ticker, paid: object
) -> None:
    fake.faults.enforce_limits(global_per_second=2, paid_per_second=5)
    chats = started_chats(fake, 6)
    assert await statuses(fake, chats, paid) == [200] * 5 + [429]
    clock.advance(0.5)
    assert (await send(fake, chats[5], paid))[0] == 429  # the window slides, it does not reset
    clock.advance(0.5)
    assert (await send(fake, chats[5], paid))[0] == 200


async def test_paid_and_free_sends_count_against_separate_limits(
    fake: FakeTelegram,
) -> None:
    fake.faults.enforce_limits(global_per_second=3, paid_per_second=4)
    chats = started_chats(fake, 12)
    # The free limit used up: paid sends still go, and do not free room for unpaid ones.
    assert await statuses(fake, chats[:3]) == [200] * 3
    assert await statuses(fake, chats[3:8], "true") == [200] * 4 + [429]
    assert await statuses(fake, chats[8:10]) == [429, 429]
    assert await statuses(fake, chats[10:12], "false") == [429, 429]  # false is unpaid


async def test_paid_sends_leave_the_free_limit_to_replies(fake: FakeTelegram) -> None:
    fake.faults.enforce_limits(global_per_second=3, paid_per_second=10)
    chats = started_chats(fake, 13)
    assert await statuses(fake, chats[:10], "true") == [200] * 10
    assert await statuses(fake, chats[10:13]) == [200] * 3


async def test_the_per_chat_limit_still_applies_to_paid_sends(
    fake: FakeTelegram, clock: Ticker
) -> None:
    fake.faults.enforce_limits()
    [chat] = started_chats(fake, 1)
    assert (await send(fake, chat, "true"))[0] == 200
    assert (await send(fake, chat, "true"))[0] == 429
    clock.advance(1.0)
    assert (await send(fake, chat, "true"))[0] == 200


async def test_a_paid_limit_of_zero_is_off(fake: FakeTelegram) -> None:
    fake.faults.enforce_limits(global_per_second=1, paid_per_second=0)
    chats = started_chats(fake, 50)
    assert await statuses(fake, chats, "true") == [200] * 50


async def test_enforcing_again_and_reset_forget_the_paid_window(fake: FakeTelegram) -> None:
    fake.faults.enforce_limits(paid_per_second=2)
    chats = started_chats(fake, 6)
    assert await statuses(fake, chats[:2], "true") == [200, 200]
    fake.faults.enforce_limits(paid_per_second=2)
    assert await statuses(fake, chats[2:4], "true") == [200, 200]
    fake.faults.reset()
    fake.faults.enforce_limits(paid_per_second=2)
    assert await statuses(fake, chats[4:6], "true") == [200, 200]


@pytest.mark.parametrize("value", ["yes", "maybe", "", 1, 0, "2", ["true"], {"a": 1}])
async def test_the_flag_must_be_a_boolean(fake: FakeTelegram, value: object) -> None:
    fake.faults.enforce_limits(global_per_second=1, paid_per_second=1)
    [chat, other] = started_chats(fake, 2)
    status, body = await send(fake, chat, value)
    assert (status, body["description"]) == (400, BOOLEAN_ERROR)
    assert fake.bot_messages(chat) == []
    # Refused before flood control: it counted in neither limit.
    assert (await send(fake, other))[0] == 200
    assert (await send(fake, chat, "true"))[0] == 200


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("sendPhoto", {"photo": "https://example.org/a.jpg"}),
        ("sendDocument", {"document": "https://example.org/a.pdf"}),
    ],
)
async def test_other_sending_methods_check_the_flag_too(
    fake: FakeTelegram, method: str, params: dict[str, object]
) -> None:
    [chat] = started_chats(fake, 1)
    status, body = await fake.call(
        method, {"chat_id": chat, "allow_paid_broadcast": "often", **params}
    )
    assert (status, body["description"]) == (400, BOOLEAN_ERROR)


async def test_methods_without_the_parameter_ignore_it_like_telegram(fake: FakeTelegram) -> None:
    [chat] = started_chats(fake, 1)
    sent = (await send(fake, chat))[1]["result"]
    status, _ = await fake.call(
        "editMessageText",
        {
            "chat_id": chat,
            "message_id": sent["message_id"],
            "text": "edited",
            "allow_paid_broadcast": "often",
        },
    )
    assert status == 200


async def test_python_telegram_bot_sends_the_flag_the_fake_reads(fake: FakeTelegram) -> None:
    fake.faults.enforce_limits(global_per_second=1, paid_per_second=3)
    chats = started_chats(fake, 4)
    bot = fake_bot(fake)
    async with bot:
        for chat in chats[:3]:
            await bot.send_message(chat, "hi", allow_paid_broadcast=True)
        await bot.send_message(chats[3], "hi")  # the free limit is untouched
    recorded = fake.calls_to("sendMessage")
    assert [call.params.get("allow_paid_broadcast") for call in recorded] == [True] * 3 + [None]
    assert [call.status for call in recorded] == [200] * 4
