"""Replies tell the prompts' limiter about every message they send, and only about those."""

from __future__ import annotations

from typing import Any

from bot.flood import WaitOutFloodControl


async def test_each_message_a_reply_sends_is_counted_against_the_prompts_rate() -> None:
    counted: list[str] = []
    limiter = WaitOutFloodControl(on_message=lambda: counted.append("message"))

    async def call(*_args: Any, **_kwargs: Any) -> bool:
        return True

    for endpoint in ("sendMessage", "answerCallbackQuery", "editMessageText", "sendPhoto"):
        assert await limiter.process_request(call, (), {}, endpoint, {}, None) is True
    assert counted == ["message", "message"]  # sendMessage and sendPhoto, not answers or edits
