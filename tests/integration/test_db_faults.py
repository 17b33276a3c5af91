"""Database faults meet the real Application: a kind reply, nothing half-written, recovery.

* SQLite locked by another process for longer than the busy timeout.
* SQLite unable to grow its files: a file-size limit (``RLIMIT_FSIZE``, in a subprocess, since
  it applies to a whole process) and a full database (``max_page_count``, which is what a
  full disk reports: "database or disk is full").
* PostgreSQL backends terminated with ``pg_terminate_backend`` between two messages.
* PostgreSQL unreachable while running and at start-up (a loopback proxy switched off), and a
  database that does not exist (exit status 2).

Every person's reply is checked in what the fake Bot API received; every "nothing was lost" is
checked on the rows; every log assertion checks that one outage gives one line and that no
driver message (which could quote what someone wrote) reaches the log.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sqlite3
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url

from bot import i18n
from bot.config import load_settings
from bot.i18n import translator_for
from bot.runner import Runtime, serve
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.request import FakeRequest
from bot.sandbox.users import SimulatedUser
from bot.ui import texts
from storage.availability import DatabaseOutage
from storage.engine import Database, sqlite_file_path
from storage.models import metadata
from tests.fakes import process
from tests.fakes.harness import TOKEN, Harness, running_bot
from tests.fakes.tcp_proxy import TcpProxy, free_port
from tests.flows.helpers import onboarded
from tests.integration.disk_full_child import ACT, table_rows

KIND = texts.could_not_save(translator_for(None))
KIND_DE = "Das konnte ich gerade nicht speichern, bitte versuch es gleich noch einmal."
GENERIC = texts.something_went_wrong(translator_for(None))
STARTED = "database unavailable ("
ENDED = "database answering again after "
WAIT = 20.0  # seconds; a bound on waits for events, never a timing assertion
SETTLE = timedelta(seconds=31)  # past DatabaseOutage's settle time


# -- helpers -----------------------------------------------------------------------------------


def outage_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "storage.availability"]


def assert_log_is_clean(caplog: pytest.LogCaptureFixture, *driver_words: str) -> None:
    """No per-update error line, and none of the driver's own words, anywhere in the log."""
    messages = [r.getMessage() for r in caplog.records]
    assert [m for m in messages if "failed:" in m and m.startswith("update ")] == []
    for word in driver_words:
        assert [m for m in messages if word in m] == []
    for record in caplog.records:
        assert record.exc_info is None


def text_of(person: SimulatedUser, message_id: int) -> str | None:
    return next(m.text for m in person.messages if m.message_id == message_id)


async def idea_details(bot: Harness, person: SimulatedUser) -> int:
    """Today's ideas, then the first one's details; the message the buttons edit in place."""
    await bot.say(person, "/today")
    await bot.press(person, person.last_message.buttons[0][0])
    assert "Shall we make it today's act?" in (person.last_message.text or "")
    return person.last_message.message_id


async def commit_idea(bot: Harness, person: SimulatedUser, detail: int) -> None:
    await bot.deliver(await person.press("Yes, I'll do it", message_id=detail))


def track_on_clock(bot: Harness) -> DatabaseOutage:
    """The database's outage tracker on the harness's manual clock."""
    outage = DatabaseOutage(lambda: bot.clock.now().timestamp())
    bot.db.outage = outage
    return outage


@pytest.fixture
def german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A German catalog that translates the kind reply (and nothing else)."""
    folder = tmp_path / "locales" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "kindling.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f"msgid {json.dumps(KIND, ensure_ascii=False)}\n"
        f"msgstr {json.dumps(KIND_DE, ensure_ascii=False)}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path / "locales")
    i18n._load.cache_clear()
    yield
    i18n._load.cache_clear()


LOCKER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
print("released", flush=True)
"""


@asynccontextmanager
async def locked_by_another_process(path: Path) -> AsyncIterator[None]:
    """Another process holds ``BEGIN EXCLUSIVE`` on the file for the duration of the block."""
    locker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        LOCKER,
        str(path),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert locker.stdin is not None
    assert locker.stdout is not None
    try:
        assert await asyncio.wait_for(locker.stdout.readline(), WAIT) == b"locked\n"
        yield
        locker.stdin.write(b"release\n")
        await locker.stdin.drain()
        assert await asyncio.wait_for(locker.stdout.readline(), WAIT) == b"released\n"
        assert await asyncio.wait_for(locker.wait(), WAIT) == 0
    finally:
        if locker.returncode is None:
            locker.kill()
            await locker.wait()


def file_of(db: Database) -> Path:
    path = sqlite_file_path(db.url)
    assert path is not None
    return path


# -- SQLite ------------------------------------------------------------------------------------


async def test_sqlite_locked_past_the_busy_timeout(
    sqlite_db: Database, german: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    # A second Database on the same file with a short busy timeout, so each write gives up
    # after 50 ms instead of 5 s; the lock is held throughout, so the outcome is certain.
    db = Database(sqlite_db.url, sqlite_busy_timeout_ms=50)
    path = file_of(db)
    try:
        async with running_bot(db) as bot:
            outage = track_on_clock(bot)
            ana = await onboarded(bot)
            lena = bot.person("Lena", language_code="de")
            await bot.say(lena, "/start")
            await bot.say(lena, "UTC")
            await bot.press(lena, "Sounds good")
            detail = await idea_details(bot, ana)
            before = table_rows(path)
            shown = text_of(ana, detail)
            answers = len(ana.callback_answers)

            async with locked_by_another_process(path):
                await bot.say(ana, f"/done {ACT}")
                assert ana.last_message.text == KIND
                await commit_idea(bot, ana, detail)
                assert len(ana.callback_answers) > answers  # the spinner stops
                assert ana.last_message.text == KIND
                assert text_of(ana, detail) == shown  # not edited: nothing was decided
                await bot.say(lena, "/done Tee für meine Mitbewohnerin gekocht")
                assert lena.last_message.text == KIND_DE
                assert table_rows(path) == before
                bot.clock.advance(timedelta(seconds=10))

            # The lock is gone: the same message and the same button work.
            await commit_idea(bot, ana, detail)
            assert "Today's act:" in (text_of(ana, detail) or "")
            await bot.say(ana, f"/done {ACT}")
            assert f"Logged: {ACT}" in (ana.last_message.text or "")
            after = table_rows(path)
            assert len(after["daily_plans"]) == 1
            assert [row for row in after["acts_done"] if ACT in row] != []
            assert outage.down_since is not None  # answering, but not yet for the settle time

            bot.clock.advance(SETTLE)
            await bot.say(ana, "/help")
            assert not outage.down
    finally:
        await db.dispose()

    started, ended = outage_lines(caplog)
    assert started == "database unavailable (SQLITE_BUSY); retrying until it answers"
    assert ended.startswith(ENDED)
    assert ended.endswith(" s (3 failed while it was away)")
    assert_log_is_clean(caplog, "locked", "Mitbewohnerin", ACT)


async def test_sqlite_database_or_disk_full(
    sqlite_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    path = file_of(sqlite_db)
    long_act = "é" * 4000  # 8 kB of text: needs pages the full database does not have
    async with running_bot(sqlite_db) as bot:
        outage = track_on_clock(bot)
        ana = await onboarded(bot)
        await bot.say(ana, "/done")
        assert "What did you do?" in (ana.last_message.text or "")

        # No free page left, and no new one allowed: SQLite's own SQLITE_FULL, the error a
        # full disk gives ("database or disk is full").
        await sqlite_db.dispose()
        with sqlite3.connect(path) as raw:
            raw.execute("VACUUM")
            pages = raw.execute("PRAGMA page_count").fetchone()[0]

        def cap(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.cursor().execute(f"PRAGMA max_page_count = {pages}")

        event.listen(sqlite_db.engine.sync_engine, "connect", cap)
        before = table_rows(path)
        await bot.say(ana, long_act)
        assert ana.last_message.text == KIND
        assert table_rows(path) == before

        event.remove(sqlite_db.engine.sync_engine, "connect", cap)
        await sqlite_db.dispose()
        bot.clock.advance(SETTLE)
        # The open step survived: the same answer is taken now.
        await bot.say(ana, long_act)
        assert "Logged:" in (ana.last_message.text or "")
        [act] = [row for row in table_rows(path)["acts_done"] if long_act in row]
        assert act
        assert outage.outages == 1

    assert outage_lines(caplog)[0] == (
        "database unavailable (SQLITE_FULL); retrying until it answers"
    )
    assert_log_is_clean(caplog, "full", long_act)


async def test_a_schema_bug_is_still_reported_as_a_bug(
    sqlite_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # "no such table" is an OperationalError too, but no amount of waiting fixes it: the
    # person gets the general apology and the operator one error line per update.
    caplog.set_level(logging.INFO)
    async with running_bot(sqlite_db) as bot:
        ana = await onboarded(bot)
        async with sqlite_db.session() as session:
            await (await session.connection()).exec_driver_sql("DROP TABLE acts_done")
        await bot.say(ana, f"/done {ACT}")
        assert ana.last_message.text == GENERIC
        assert sqlite_db.outage.outages == 0
    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.errors"]
    assert re.fullmatch(r"update \d+ failed: sqlalchemy\.exc\.OperationalError at .+", line)
    assert outage_lines(caplog) == []
    assert [r for r in caplog.records if "no such table" in r.getMessage()] == []
    assert [r for r in caplog.records if ACT in r.getMessage()] == []


async def test_sqlite_file_size_limit_in_a_subprocess(sqlite_db: Database) -> None:
    url = sqlite_db.url
    await sqlite_db.dispose()  # the child is the file's only user
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.integration.disk_full_child",
        url,
        cwd=process.REPO_ROOT,
        env=process.bot_env({"PTB_TIMEDELTA": "1"}),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(child.communicate(), 120)
    assert child.returncode == 0, err.decode()[-3000:]
    result = json.loads(out)

    assert result["press_reply"] == KIND
    assert result["press_answered"]
    assert result["detail_during"] == result["detail_before"]
    assert result["done_reply"] == KIND
    assert result["during"] == result["before"]
    assert "Today's act:" in result["press_after"]
    assert f"Logged: {ACT}" in result["done_after"]
    assert [line for line in result["logs"] if "storage.availability" in line] == [
        "WARNING storage.availability database unavailable (SQLITE_IOERR_WRITE); "
        "retrying until it answers"
    ]
    assert [line for line in result["logs"] if "I/O" in line or ACT in line] == []

    path = file_of(Database(url))
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = table_rows(path)
    assert len(rows["daily_plans"]) == 1
    assert len([row for row in rows["acts_done"] if ACT in row]) == 1


# -- PostgreSQL --------------------------------------------------------------------------------


def libpq(url: str | URL) -> str:
    parsed = make_url(url) if isinstance(url, str) else url
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def through(proxy: TcpProxy, url: str) -> str:
    proxied = make_url(url).set(host="127.0.0.1", port=proxy.port)
    return proxied.render_as_string(hide_password=False)


async def pg_rows(db: Database) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    async with db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            result = await connection.execute(text(f'SELECT * FROM "{table.name}"'))  # noqa: S608
            rows[table.name] = sorted(str(tuple(row)) for row in result)
    return rows


async def terminate_other_backends(url: str) -> int:
    connection = await asyncpg.connect(libpq(url))
    try:
        killed = await connection.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await connection.close()
    return len(killed)


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_terminated_backends_are_replaced_between_messages(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(db) as bot:
        ana = await onboarded(bot)
        detail = await idea_details(bot, ana)
        before = await pg_rows(db)
        assert await terminate_other_backends(db.url) >= 1  # the pool's idle connections

        # Right after the termination: handled normally (the pool's ping replaces the dead
        # connection), or at worst the kind reply; never the generic apology.
        await commit_idea(bot, ana, detail)
        committed = "Today's act:" in (text_of(ana, detail) or "")
        assert committed or ana.last_message.text == KIND
        if not committed:
            await commit_idea(bot, ana, detail)
            assert "Today's act:" in (text_of(ana, detail) or "")
        await bot.say(ana, f"/done {ACT}")
        assert f"Logged: {ACT}" in (ana.last_message.text or "")

        after = await pg_rows(db)
        # Everything stored before is still there (the user row itself moves on: its open
        # step changed).
        assert len(after["users"]) == len(before["users"]) == 1
        assert set(before["prompts"]) <= set(after["prompts"])
        assert len(after["daily_plans"]) == 1
        assert any(ACT in row for row in after["acts_done"])
    assert GENERIC not in [m.text for m in ana.messages]
    assert len(outage_lines(caplog)) <= 1
    assert_log_is_clean(caplog, ACT)


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_postgres_unreachable_while_running(
    db: Database, postgres_server_url: URL, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    proxy = TcpProxy(postgres_server_url.host or "127.0.0.1", postgres_server_url.port or 5432)
    await proxy.start()
    proxied = Database(through(proxy, db.url))
    try:
        async with running_bot(proxied) as bot:
            outage = track_on_clock(bot)
            ana = await onboarded(bot)
            detail = await idea_details(bot, ana)
            shown = text_of(ana, detail)
            before = await pg_rows(db)  # read directly, not through the proxy
            answers = len(ana.callback_answers)

            await proxy.stop()  # every connection cut, nothing listening
            await bot.say(ana, f"/done {ACT}")
            assert ana.last_message.text == KIND
            await commit_idea(bot, ana, detail)
            assert len(ana.callback_answers) > answers
            assert ana.last_message.text == KIND
            assert text_of(ana, detail) == shown
            await bot.say(ana, "/today")
            assert ana.last_message.text == KIND
            assert await pg_rows(db) == before

            bot.clock.advance(timedelta(seconds=5))
            await proxy.start()
            await commit_idea(bot, ana, detail)
            assert "Today's act:" in (text_of(ana, detail) or "")
            await bot.say(ana, f"/done {ACT}")
            assert f"Logged: {ACT}" in (ana.last_message.text or "")
            bot.clock.advance(SETTLE)
            await bot.say(ana, "/help")
            assert not outage.down
    finally:
        await proxied.dispose()
        await proxy.stop()

    started, ended = outage_lines(caplog)
    assert re.fullmatch(
        r"database unavailable \((ConnectionRefusedError|connection lost|SQLSTATE 08\w{3})\); "
        r"retrying until it answers",
        started,
    ), started
    assert ended == f"{ENDED}5 s (3 failed while it was away)"
    assert_log_is_clean(caplog, ACT, "Connect call failed")


@pytest.mark.postgres
async def test_startup_waits_for_postgres_with_backoff(
    postgres_database_url: str, postgres_server_url: URL, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    proxy = TcpProxy(postgres_server_url.host or "127.0.0.1", postgres_server_url.port or 5432)
    settings = load_settings(
        None, telegram_bot_token=TOKEN, database_url=through(proxy, postgres_database_url)
    )
    fake = FakeTelegram(token=TOKEN)
    delays: list[float] = []

    async def backoff(seconds: float) -> None:
        # Waits no real time; PostgreSQL comes back after the third wait.
        delays.append(seconds)
        if len(delays) == 3:
            await proxy.start()
        await asyncio.sleep(0)

    runtime = Runtime(request_factory=lambda: FakeRequest(fake), token=TOKEN, backoff=backoff)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop, runtime))
    try:
        ready = asyncio.ensure_future(runtime.ready.wait())
        done, _ = await asyncio.wait({ready, task}, timeout=WAIT, return_when="FIRST_COMPLETED")
        ready.cancel()
        if task in done:
            task.result()
        assert ready in done, "the bot did not start once PostgreSQL answered"
        assert delays == [1.0, 1.5, 2.25]
        assert proxy.connections >= 1
        ana = fake.add_user("Ana")
        await ana.send_command("/start")
        welcome, *_ = await ana.wait_for_messages(1, WAIT)
        # The session's database may already know Ana from an earlier test; either way the
        # answer came from the database.
        assert (welcome.text or "").startswith(("Hi Ana, I'm Kindling.", "Hello again, Ana."))
    finally:
        stop.set()
        await asyncio.wait_for(task, WAIT)
        await proxy.stop()

    started, ended = outage_lines(caplog)
    assert started == "database unavailable (ConnectionRefusedError); retrying until it answers"
    assert ended.startswith(ENDED)
    assert ended.endswith(" s (3 failed while it was away)")


async def test_cli_waits_for_an_unreachable_database_and_stops_cleanly(tmp_path: Path) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": f"http://127.0.0.1:{free_port()}/bot",
        "DATABASE_URL": f"postgresql://kindling:pw-d0nt-log@127.0.0.1:{free_port()}/kindling",
        "LOG_LEVEL": "INFO",
    }
    async with process.running_bot(tmp_path, env) as bot:
        await bot.wait_for_log(STARTED)
        status = await bot.terminate()
    assert status == 0
    assert "Traceback" not in bot.stderr
    assert "pw-d0nt-log" not in bot.stderr
    [line] = bot.matching(STARTED)
    assert line.endswith(
        "database unavailable (ConnectionRefusedError); retrying until it answers"
    )
    assert bot.matching("Kindling is running") == []


@pytest.mark.postgres
async def test_cli_exits_2_when_the_database_does_not_exist(
    tmp_path: Path, postgres_server_url: URL
) -> None:
    missing = postgres_server_url.set(database="kindling_no_such_database")
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": f"http://127.0.0.1:{free_port()}/bot",
        "DATABASE_URL": missing.render_as_string(hide_password=False),
        "LOG_LEVEL": "INFO",
    }
    async with process.running_bot(tmp_path, env) as bot:
        status = await bot.wait()
    assert status == 2
    assert "Traceback" not in bot.stderr
    assert bot.lines[-1] == (
        "kindling: DATABASE_URL: the PostgreSQL database does not exist (SQLSTATE 3D000); "
        "check the user, password and database name"
    )
