"""The terminal sandbox: numbered buttons, special inputs, and a whole piped session."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.sandbox import terminal
from bot.sandbox.fake_api import FakeTelegram


async def bot_says(fake: FakeTelegram, chat_id: int, text: str, markup: object = None) -> None:
    params: dict[str, object] = {"chat_id": chat_id, "text": text}
    if markup is not None:
        params["reply_markup"] = json.dumps(markup)
    status, body = await fake.call("sendMessage", params)
    assert status == 200, body


async def test_buttons_are_numbered_and_a_number_presses_one() -> None:
    fake = FakeTelegram(token=terminal.SANDBOX_TOKEN)
    user = fake.add_user("Sam")
    await user.send_text("hi")
    out = io.StringIO()
    printer = terminal.ChatPrinter(user, out)
    keyboard = {
        "inline_keyboard": [
            [{"text": "Yes", "callback_data": "a:yes"}],
            [{"text": "Not today", "callback_data": "a:no"}],
        ]
    }
    await bot_says(fake, user.id, "Pick one", keyboard)
    printer.print_changes()
    assert "Kindling: Pick one" in out.getvalue()
    assert "[1] Yes" in out.getvalue()
    assert "[2] Not today" in out.getvalue()

    assert await terminal._send(user, printer, "2") is None
    pressed = fake.pending_updates[-1]["callback_query"]
    assert pressed["data"] == "a:no"

    note = await terminal._send(user, printer, "7")
    assert note == "there is no button 7; the buttons are 1-2"


async def test_edits_are_printed_once_more_and_unchanged_messages_not_at_all() -> None:
    fake = FakeTelegram(token=terminal.SANDBOX_TOKEN)
    user = fake.add_user("Sam")
    await user.send_text("hi")
    out = io.StringIO()
    printer = terminal.ChatPrinter(user, out)
    await bot_says(fake, user.id, "First")
    printer.print_changes()
    printer.print_changes()
    assert out.getvalue().count("First") == 1
    message_id = user.last_message.message_id
    status, _ = await fake.call(
        "editMessageText", {"chat_id": user.id, "message_id": message_id, "text": "Second"}
    )
    assert status == 200
    printer.print_changes()
    assert "Kindling (edited): Second" in out.getvalue()


async def test_special_inputs_send_location_and_stickers() -> None:
    fake = FakeTelegram(token=terminal.SANDBOX_TOKEN)
    user = fake.add_user("Sam")
    printer = terminal.ChatPrinter(user, io.StringIO())
    await terminal._send(user, printer, "!location 40.7 -74.0")
    assert fake.pending_updates[-1]["message"]["location"]["latitude"] == pytest.approx(40.7)
    await terminal._send(user, printer, "!sticker")
    assert "sticker" in fake.pending_updates[-1]["message"]
    assert await terminal._send(user, printer, "!location north") == (
        "usage: !location 52.52 13.40"
    )
    await terminal._send(user, printer, "/start now")
    sent = fake.pending_updates[-1]["message"]
    assert sent["text"] == "/start now"
    assert sent["entities"][0]["type"] == "bot_command"


async def test_piped_session_runs_the_real_bot_and_ends_at_eof(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    settings = load_settings(None, telegram_bot_token=None)
    status = await asyncio.wait_for(
        terminal.run_sandbox(
            settings, asyncio.Event(), stdin=io.StringIO("/start\n\n/help\n"), stdout=out
        ),
        timeout=60,
    )
    text = out.getvalue()
    assert status == 0
    assert "Kindling sandbox" in text
    assert text.index("I'm Kindling") < text.index("Here is what I can do")
    assert (tmp_path / "data" / "sandbox.sqlite3").exists()
