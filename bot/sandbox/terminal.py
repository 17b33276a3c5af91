"""`make run` without a token: the real bot, the fake Bot API over loopback, a terminal chat.

Typed lines go to the bot as messages from one sandbox person; the bot's messages are printed
with their buttons numbered, and typing a number presses that button. Piped input works one
message per line: each line waits for the bot to finish answering, and EOF ends the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from bot.config import SANDBOX_DATABASE_URL, Settings
from bot.runner import Runtime, serve
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.http_server import FakeTelegramServer
from bot.sandbox.models import StoredMessage
from bot.sandbox.users import SimulatedUser

SANDBOX_TOKEN = "1000000001:SANDBOX-local-fake-telegram-token"  # noqa: S105 - not a secret
SANDBOX_USER_ID = 424242  # fixed, so the sandbox database recognises you on the next run
# A shared location from the sandbox lands in Berlin; type "!location LAT LON" for elsewhere.
DEFAULT_LOCATION = (52.52, 13.405)
FIRST_ANSWER_SECONDS = 15.0  # how long to wait for the bot to start answering a line
QUIET_SECONDS = 0.4  # the bot has finished answering once it has been quiet this long

BANNER = """\
────────────────────────────────────────────────────────────────────
 Kindling sandbox: no TELEGRAM_BOT_TOKEN is set, so this is a pretend
 Telegram on your machine. Nothing leaves it. Data: {database}
 Type a message and press Enter. Buttons show as [1], [2]...; type the
 number to press one. Try /start. Also: !location LAT LON, !sticker,
 !photo, !share NAME (answers a button asking you to pick people),
 !react EMOJI (on Kindling's last message; !react alone takes it
 back). Ctrl-D or Ctrl-C ends the session.
────────────────────────────────────────────────────────────────────"""


@dataclass
class _Shown:
    """What the terminal has printed of one bot message, to print only what changed."""

    edits: int
    text: str


@dataclass
class ChatPrinter:
    """Prints the bot's side of the chat and remembers which number is which button."""

    user: SimulatedUser
    out: TextIO
    shown: dict[int, _Shown] = field(default_factory=dict)
    answers_seen: int = 0
    reactions_shown: dict[int, list[str]] = field(default_factory=dict)
    # number -> ("inline", message_id, text) or ("reply", 0, text)
    numbered: dict[int, tuple[str, int, str]] = field(default_factory=dict)

    def print_changes(self) -> None:
        """Print new and edited bot messages and callback notifications."""
        for message in self.user.messages:
            before = self.shown.get(message.message_id)
            if before is not None and before.edits == message.edits:
                continue
            self.shown[message.message_id] = _Shown(message.edits, message.shown_text)
            self._print_message(message, edited=before is not None)
        answers = self.user.callback_answers
        for answer in answers[self.answers_seen :]:
            if answer.get("text"):
                self._write(f"  ({answer['text']})")
        self.answers_seen = len(answers)
        self._print_reactions()
        self.out.flush()

    def _print_reactions(self) -> None:
        # The bot's reactions, on its own messages and on the person's, show as notes.
        state = self.user.chat_state
        for message in state.messages.values() if state is not None else []:
            emoji = message.bot_reaction_emoji
            if emoji == self.reactions_shown.get(message.message_id, []):
                continue
            self.reactions_shown[message.message_id] = emoji
            about = message.shown_text or f"<{message.kind}>"
            if emoji:
                self._write(f"  (Kindling reacted {' '.join(emoji)} to: {about})")
            else:
                self._write(f"  (Kindling took back its reaction to: {about})")

    def _print_message(self, message: StoredMessage, *, edited: bool) -> None:
        label = "Kindling (edited)" if edited else "Kindling"
        body = message.shown_text or f"<{message.kind}>"
        self._write(f"{label}: {body}")
        buttons = message.buttons
        keyboard = self.user.reply_keyboard if message is self.user.messages[-1] else None
        if not buttons and not keyboard:
            return
        self.numbered = {}
        for row in buttons:
            self._write(
                "   " + "  ".join(self._number("inline", message.message_id, t) for t in row)
            )
        for row in keyboard or []:
            self._write("   " + "  ".join(self._number("reply", 0, t) for t in row))

    def _number(self, kind: str, message_id: int, text: str) -> str:
        number = len(self.numbered) + 1
        self.numbered[number] = (kind, message_id, text)
        return f"[{number}] {text}"

    def _write(self, line: str) -> None:
        self.out.write(line + "\n")


async def run_sandbox(
    settings: Settings,
    stop: asyncio.Event,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Run the sandbox until EOF on ``stdin`` or until ``stop`` is set; returns the exit status."""
    out = stdout or sys.stdout
    if "log_level" not in settings.model_fields_set:
        logging.getLogger().setLevel(logging.WARNING)  # keep the chat readable
    fake = FakeTelegram(token=SANDBOX_TOKEN)
    server = FakeTelegramServer(fake)
    await server.start()
    database_url = (
        settings.database_url
        if "database_url" in settings.model_fields_set
        else SANDBOX_DATABASE_URL
    )
    bot_settings = settings.model_copy(
        update={"telegram_base_url": server.base_url, "database_url": database_url}
    )
    user = fake.add_user(
        first_name=_first_name(), language_code=_language(), user_id=SANDBOX_USER_ID
    )
    printer = ChatPrinter(user, out)
    runtime = Runtime(token=SANDBOX_TOKEN)
    bot_stop = asyncio.Event()
    bot = asyncio.create_task(serve(bot_settings, bot_stop, runtime))
    try:
        if not await _first_done(runtime.ready.wait(), bot, stop.wait()):
            return 1 if bot.done() and bot.exception() else 0
        out.write(BANNER.format(database=database_url) + "\n")
        out.flush()
        await _chat(fake, user, printer, stop, stdin or sys.stdin)
        return 0
    finally:
        bot_stop.set()
        with contextlib.suppress(Exception):
            await bot
        await server.stop()
        printer.print_changes()


async def _chat(
    fake: FakeTelegram,
    user: SimulatedUser,
    printer: ChatPrinter,
    stop: asyncio.Event,
    stdin: TextIO,
) -> None:
    lines = _read_lines(stdin)
    watcher = asyncio.create_task(_watch(fake, printer))
    try:
        while True:
            line = await _first_result(lines.get(), stop.wait())
            if line is None or not isinstance(line, str):
                break  # EOF or stop
            if not line.strip():
                continue
            before = _activity(fake)
            note = await _send(user, printer, line.strip())
            if note:
                printer.out.write(f"  ({note})\n")
                printer.out.flush()
                continue
            await _settle(fake, before)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


async def _send(user: SimulatedUser, printer: ChatPrinter, line: str) -> str | None:
    """Send one typed line; returns a note for the person when nothing could be sent."""
    if line.isdigit():
        choice = printer.numbered.get(int(line))
        if choice is None:
            if printer.numbered:
                return f"there is no button {line}; the buttons are 1-{len(printer.numbered)}"
            await user.send_text(line)
            return None
        kind, message_id, text = choice
        if kind == "inline":
            note = _not_a_callback(user, message_id, text)
            if note is not None:
                return note
            await user.press(text, message_id=message_id)
        elif user.request_users_button(text) is not None:
            # On Telegram this button opens a contact picker rather than sending its text.
            return "this button asks you to pick people: type !share NAME"
        elif _requests_location(user, text):
            await user.share_location(*DEFAULT_LOCATION)
        else:
            await user.tap(text)
        return None
    if line.startswith("!"):
        return await _special(user, line)
    if line.startswith("/"):
        command, _, args = line.partition(" ")
        await user.send_command(command, args.strip())
        return None
    await user.send_text(line)
    return None


async def _special(user: SimulatedUser, line: str) -> str | None:
    name, *args = line[1:].split()
    if name == "location":
        try:
            latitude, longitude = (float(a) for a in args) if args else DEFAULT_LOCATION
        except ValueError:
            return "usage: !location 52.52 13.40"
        await user.share_location(latitude, longitude)
    elif name == "sticker":
        await user.send_sticker()
    elif name == "photo":
        await user.send_photo()
    elif name == "share":
        return await _share(user, args)
    elif name == "react":
        try:
            await user.react(args[0] if args else None)
        except (LookupError, ValueError) as error:
            return str(error)
    else:
        await user.send_text(line)
    return None


async def _share(user: SimulatedUser, args: list[str]) -> str | None:
    """Answer the shown request_users button with a made-up person named ``args``."""
    if not args:
        return "usage: !share NAME"
    button = user.request_users_button()
    if button is None:
        return "no button is asking you to pick people right now"
    # A new person each time, with a fresh id, as a different contact would have.
    contact = user.fake.add_user(args[0], language_code=None, last_name=" ".join(args[1:]) or None)
    try:
        await user.share_users(str(button["text"]), [contact])
    except ValueError as error:
        return str(error)
    return None


def _not_a_callback(user: SimulatedUser, message_id: int, text: str) -> str | None:
    """What an inline button that sends no callback would do on Telegram, as a note."""
    found = [m for m in user.messages if m.message_id == message_id]
    button = found[0].find_inline_button(text) if found else None
    if button is None or "callback_data" in button:
        return None
    chosen = button.get("switch_inline_query_chosen_chat")
    if isinstance(chosen, dict):
        query = chosen.get("query", "")
        return (
            "on Telegram this opens a chat picker, then Kindling's inline mode with ready "
            f"notes for {query!r}; the sandbox has only this chat"
        )
    return "on Telegram this button opens something outside the chat"


def _requests_location(user: SimulatedUser, text: str) -> bool:
    state = user.chat_state
    keyboard: dict[str, Any] = (state.reply_keyboard if state else None) or {}
    for row in keyboard.get("keyboard", []):
        for button in row:
            if isinstance(button, dict) and button.get("text") == text:
                return bool(button.get("request_location"))
    return False


Activity = tuple[int, int, int, int, int]


def _changed_since(fake: FakeTelegram, seen: Activity) -> Callable[[], bool]:
    return lambda: _activity(fake) != seen


def _activity(fake: FakeTelegram) -> Activity:
    # What the bot did to the chats: sends, edits, deletions, reactions, callback answers.
    # Read from the fake's state, which it updates before waking its waiters; its call log is
    # appended only after that, so counting calls would wake us one call (a long poll) late.
    sent = edits = shown = reactions = 0
    for state in fake.chats.values():
        sent += state.bot_messages_sent
        reactions += state.bot_reactions_set
        for message in state.messages.values():
            if message.from_bot:
                shown += 1
                edits += message.edits
    return sent, edits, shown, reactions, len(fake.callback_answers)


async def _settle(fake: FakeTelegram, before: Activity) -> None:
    """Wait until the bot has answered and then gone quiet (bounded)."""
    try:
        await fake.wait_until(_changed_since(fake, before), FIRST_ANSWER_SECONDS)
    except TimeoutError:
        return
    while True:
        seen = _activity(fake)
        try:
            await fake.wait_until(_changed_since(fake, seen), QUIET_SECONDS)
        except TimeoutError:
            return


async def _watch(fake: FakeTelegram, printer: ChatPrinter) -> None:
    """Print whatever the bot sends, whenever it sends it (prompts arrive unasked)."""
    while True:
        seen = _activity(fake)
        printer.print_changes()
        await fake.wait_until(_changed_since(fake, seen), None)


def _read_lines(stdin: TextIO) -> asyncio.Queue[str | None]:
    """Feed stdin lines into a queue from a daemon thread (None at EOF).

    A daemon thread, because a blocking read must not keep the process alive after Ctrl-C.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        for line in stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\n"))
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="sandbox-stdin", daemon=True).start()
    return queue


async def _first_result(*awaitables: Any) -> object:
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    first = next(t for t in tasks if t in done)
    return first.result() if not first.cancelled() else None


async def _first_done(ready: Any, bot: asyncio.Task[None], stopped: Any) -> bool:
    """Wait for the bot to be ready; False if it ended or we were stopped first."""
    ready_task = asyncio.ensure_future(ready)
    stop_task = asyncio.ensure_future(stopped)
    done, _ = await asyncio.wait({ready_task, bot, stop_task}, return_when=asyncio.FIRST_COMPLETED)
    for task in (ready_task, stop_task):
        task.cancel()
    return ready_task in done


def _first_name() -> str:
    name = os.environ.get("USER") or os.environ.get("USERNAME") or ""
    return name.capitalize() if name.isalpha() else "Friend"


def _language() -> str:
    lang = os.environ.get("LANG", "en").split(".", 1)[0].replace("_", "-")
    return lang if lang and lang not in {"C", "POSIX"} else "en"
