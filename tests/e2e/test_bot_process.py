"""``python -m bot`` as operators run it: against the fake Bot API over loopback HTTP."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from bot.app import bot_commands
from bot.i18n import translator_for
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.http_server import FakeTelegramServer
from bot.sandbox.models import StoredMessage
from bot.sandbox.users import SimulatedUser
from tests.e2e.conftest import TOKEN
from tests.fakes.process import TIMEOUT, run_sandbox, running_bot

pytestmark = pytest.mark.e2e

WELCOME = "Hi Ana, I'm Kindling."
HELP = "Here is what I can do:"


async def say(user: SimulatedUser, command: str, expect: str) -> StoredMessage:
    """Send ``command``; return the first new bot message containing ``expect``.

    Other messages of the answer (and late ones from the previous command) may come too.
    """
    seen = max((m.message_id for m in user.messages), default=0)

    def answered() -> StoredMessage | None:
        new = (m for m in user.messages if m.message_id > seen and expect in (m.text or ""))
        return next(new, None)

    await user.send_command(command)
    try:
        await user.fake.wait_until(lambda: answered() is not None, TIMEOUT)
    except TimeoutError:
        got = [m.text for m in user.messages if m.message_id > seen]
        raise AssertionError(
            f"no answer to {command} containing {expect!r}; got {got!r}"
        ) from None
    message = answered()
    assert message is not None
    return message


def user_count(database_path: Path) -> int:
    with closing(sqlite3.connect(database_path)) as connection:
        (count,) = connection.execute("SELECT count(*) FROM users").fetchone()
    return int(count)


def exists(path: Path) -> bool:
    return path.exists()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_polling_end_to_end(
    fake: FakeTelegram, bot_env: dict[str, str], tmp_path: Path, database_path: Path
) -> None:
    async with running_bot(tmp_path, bot_env) as bot:
        await bot.wait_for_log("Kindling is running as @kindling_bot")
        expected = [c.command for c in bot_commands(translator_for(None))]
        assert [c["command"] for c in fake.menu()] == expected
        assert {"start", "help"} <= set(expected)
        # The German menu: the same commands, described in German.
        german = fake.menu("de")
        assert [c["command"] for c in german] == expected
        assert german != fake.menu()

        ana = fake.add_user("Ana")
        await say(ana, "/start", WELCOME)
        await say(ana, "/help", HELP)

        assert await bot.terminate() == 0

    assert "Traceback" not in bot.stderr
    assert bot.matching("stopping")
    assert mode(database_path) == 0o600
    for extra in ("-wal", "-shm"):
        side = database_path.with_name(database_path.name + extra)
        assert not side.exists() or mode(side) == 0o600
    assert user_count(database_path) == 1


async def test_token_never_appears_in_debug_logs(
    fake: FakeTelegram, bot_env: dict[str, str], tmp_path: Path
) -> None:
    async with running_bot(tmp_path, bot_env) as bot:
        await bot.wait_for_log("Kindling is running")
        ana = fake.add_user("Ana")
        await say(ana, "/start", WELCOME)
        assert await bot.terminate() == 0

    log = bot.stderr
    secret = TOKEN.split(":", 1)[1]
    assert TOKEN not in log
    assert secret not in log
    assert secret[:12] not in log
    # DEBUG logging really was on, and URLs that carried the token show it redacted.
    assert bot.matching("DEBUG")
    assert bot.matching("Calling Bot API endpoint `sendMessage`")
    assert bot.matching("[REDACTED]")


async def test_bad_setting_exits_2_with_one_line(
    bot_env: dict[str, str], tmp_path: Path, database_path: Path
) -> None:
    async with running_bot(tmp_path, {**bot_env, "DEFAULT_MORNING_TIME": "25:61"}) as bot:
        assert await bot.wait() == 2

    assert len(bot.lines) == 1, bot.stderr
    [line] = bot.lines
    assert line.startswith("kindling: DEFAULT_MORNING_TIME: ")
    assert "25:61" in line
    assert "Traceback" not in line
    assert not exists(database_path)  # nothing was started


async def test_rejected_token_exits_2_with_one_line(
    bot_env: dict[str, str], tmp_path: Path
) -> None:
    other = FakeTelegram(token="7000000001:" + "Q" * 35)  # Telegram knows another token
    async with (
        FakeTelegramServer(other) as elsewhere,
        running_bot(tmp_path, {**bot_env, "TELEGRAM_BASE_URL": elsewhere.base_url}) as bot,
    ):
        assert await bot.wait() == 2

    assert "Traceback" not in bot.stderr
    naming = bot.matching("TELEGRAM_BOT_TOKEN")
    assert naming == [bot.lines[-1]], bot.stderr
    assert naming[0].startswith("kindling: TELEGRAM_BOT_TOKEN: Telegram rejected the token")
    assert [call.status for call in other.calls_to("getMe")] == [401]  # not retried


async def test_starts_after_an_outage(
    fake: FakeTelegram,
    bot_env: dict[str, str],
    tmp_path: Path,
) -> None:
    fake.faults.down = True
    async with running_bot(tmp_path, bot_env) as bot:
        # Three failed getMe calls: the first try, then backoff of 1 s and 1.5 s.
        await fake.wait_until(lambda: len(fake.calls_to("getMe")) >= 3, TIMEOUT)
        fake.faults.down = False
        await bot.wait_for_log("Kindling is running")

        await say(fake.add_user("Ana"), "/start", WELCOME)
        assert await bot.terminate() == 0

    # One line for the outage (the fake answers 502 like Telegram's nginx), one for its end,
    # and nothing louder in between: no error page, no traceback per retry.
    assert len(bot.matching("Telegram unreachable (HTTP 502)")) == 1, bot.stderr
    assert len(bot.matching("Telegram reachable again after")) == 1, bot.stderr
    assert bot.matching(" ERROR ") == []
    assert "Traceback" not in bot.stderr
    assert "<html>" not in bot.stderr


async def test_sandbox_with_piped_input(tmp_path: Path) -> None:
    status, out, err = await run_sandbox(tmp_path, {}, b"/start\n/help\n")

    assert status == 0, err
    assert "Kindling sandbox: no TELEGRAM_BOT_TOKEN is set" in out
    assert out.index("I'm Kindling.") < out.index(HELP)
    assert "not therapy" in out
    assert "Traceback" not in err
    assert (tmp_path / "data" / "sandbox.sqlite3").exists()


async def test_restart_keeps_people(
    fake: FakeTelegram, bot_env: dict[str, str], tmp_path: Path, database_path: Path
) -> None:
    ana = fake.add_user("Ana")
    async with running_bot(tmp_path, bot_env) as first:
        await first.wait_for_log("Kindling is running")
        await say(ana, "/start", WELCOME)
        assert await first.terminate() == 0

    async with running_bot(tmp_path, bot_env) as second:
        await second.wait_for_log("Kindling is running")
        await say(ana, "/start", "Hello again, Ana.")
        assert await second.terminate() == 0

    assert user_count(database_path) == 1
