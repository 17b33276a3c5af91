"""Settings through the real Application: the menu, the direct commands and bad input."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlmodel import select

from bot.i18n import translator_for
from storage.models import Days, Prompt, PromptSlot, PromptState, User, UserStatus
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded


async def user_row(bot: Harness) -> User:
    async with bot.db.session() as session:
        return (await session.exec(select(User))).one()


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/morning 7:15", time(7, 15)),
        ("/morning 08.30", time(8, 30)),
        ("/morning 8am", time(8, 0)),
        ("/morning 0630", time(6, 30)),
    ],
)
async def test_morning_time_formats(bot: Harness, command: str, expected: time) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, command)
    assert "Morning ideas will come at" in (ana.last_message.text or "")
    assert (await user_row(bot)).morning_time == expected


@pytest.mark.parametrize("command", ["/evening 20h", "/evening 8pm", "/evening 20:00"])
async def test_evening_time_formats(bot: Harness, command: str) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, command)
    assert (await user_row(bot)).evening_time == time(20, 0)


@pytest.mark.parametrize("command", ["/morning 25:61", "/morning", "/evening soon", "/evening"])
async def test_bad_times_keep_the_setting(bot: Harness, command: str) -> None:
    ana = await onboarded(bot)
    before = await user_row(bot)
    await bot.say(ana, command)
    text = ana.last_message.text or ""
    assert "I couldn't read that time" in text
    assert "8:30" in text
    after = await user_row(bot)
    assert (after.morning_time, after.evening_time) == (before.morning_time, before.evening_time)


@pytest.mark.parametrize("argument", ["", "Xyzzy", "Mars/Olympus"])
async def test_bad_time_zones_keep_the_setting(bot: Harness, argument: str) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, f"/timezone {argument}".strip())
    text = ana.last_message.text or ""
    assert "/timezone Berlin" in text
    assert "It stays at UTC" in text
    assert (await user_row(bot)).timezone == "UTC"


async def test_timezone_command(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/timezone asia/kolkata")
    assert (await user_row(bot)).timezone == "Asia/Kolkata"
    await bot.say(ana, "/timezone Springfield")
    await bot.press(ana, "Springfield, Illinois, United States")
    assert (await user_row(bot)).timezone == "America/Chicago"


async def test_a_change_replans_the_ledger(bot: Harness) -> None:
    ana = await onboarded(bot)
    now = bot.clock.now()
    old_due = datetime(2026, 3, 2, 20, 30, tzinfo=UTC)
    async with bot.db.write() as session:
        user = (await session.exec(select(User))).one()
        assert user.id is not None
        row = (
            await session.exec(
                select(Prompt).where(Prompt.user_id == user.id, Prompt.slot == PromptSlot.EVENING)
            )
        ).first()
        if row is None:
            row = Prompt(
                user_id=user.id,
                slot=PromptSlot.EVENING,
                local_date=now.date(),
                due_at=old_due,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
        row.state = PromptState.PLANNED
        row.due_at = old_due
    await bot.say(ana, "/evening 21:00")
    async with bot.db.session() as session:
        planned = (await session.exec(select(Prompt))).all()
    assert all(p.due_at != old_due for p in planned)


async def test_pause_resume_and_stop(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/pause 3")
    assert "I'll be back on Thursday, March 5" in (ana.last_message.text or "")
    assert (await user_row(bot)).paused_until == datetime(2026, 3, 5, tzinfo=UTC)
    await bot.say(ana, "/resume")
    assert "on again" in (ana.last_message.text or "")
    assert (await user_row(bot)).paused_until is None
    await bot.say(ana, "/resume")
    assert "already on" in (ana.last_message.text or "")
    await bot.say(ana, "/pause")
    assert (await user_row(bot)).paused_until == datetime(2026, 3, 9, tzinfo=UTC)
    await bot.say(ana, "/stop")
    assert "Everything you shared is kept" in (ana.last_message.text or "")
    assert (await user_row(bot)).status is UserStatus.STOPPED


@pytest.mark.parametrize("argument", ["soon", "0", "-2", "1000", "٣"])
async def test_bad_pause_changes_nothing(bot: Harness, argument: str) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, f"/pause {argument}")
    assert "like /pause 3" in (ana.last_message.text or "")
    assert (await user_row(bot)).paused_until is None


async def test_settings_menu(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/settings")
    menu = ana.last_message
    assert "Time zone: UTC" in (menu.text or "")
    assert "Days: every day" in (menu.text or "")
    await bot.press(ana, "Weekdays only")
    assert (await user_row(bot)).days is Days.WEEKDAYS
    assert "Days: weekdays only" in (ana.last_message.text or "")
    await bot.press(ana, "Morning off")
    assert not (await user_row(bot)).morning_enabled
    assert "Morning ideas: 8:30\u202fAM (off)" in (ana.last_message.text or "")
    await bot.press(ana, "Evening off")
    assert not (await user_row(bot)).evening_enabled
    await bot.press(ana, "Pause for a week")
    assert "Paused until Monday, March 9, 2026." in (ana.last_message.text or "")
    await bot.press(ana, "Resume")
    assert (await user_row(bot)).paused_until is None
    assert menu.edits >= 5


async def test_settings_menu_time_and_zone_steps(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/settings")
    await bot.press(ana, "Evening time")
    await bot.say(ana, "21:15")
    assert (await user_row(bot)).evening_time == time(21, 15)
    await bot.say(ana, "/settings")
    await bot.press(ana, "Time zone")
    await bot.app.shutdown()  # the open step survives a restart
    await bot.app.initialize()
    await bot.say(ana, "Lisbon")
    assert (await user_row(bot)).timezone == "Europe/Lisbon"
    await bot.say(ana, "/settings")
    await bot.press(ana, "Morning time")
    await bot.say(ana, "whenever")
    assert "I couldn't read that time" in (ana.last_message.text or "")
    assert (await user_row(bot)).pending_step is None


async def test_help_lists_every_command(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/help")
    text = ana.last_message.text or ""
    for command in ("/today", "/done", "/reflect", "/settings", "/timezone", "/morning"):
        assert command in text
    for command in ("/evening", "/pause", "/resume", "/stop", "/start", "/help"):
        assert command in text
    assert "not therapy" in text


async def test_commands_before_start_point_to_start(bot: Harness) -> None:
    ana = bot.person()
    for command in ("/today", "/done", "/reflect", "/settings", "/morning 8:00", "/stop"):
        await bot.say(ana, command)
        assert "Send /start to begin" in (ana.last_message.text or "")
    async with bot.db.session() as session:
        assert (await session.exec(select(User))).all() == []


async def test_times_and_dates_are_formatted_for_the_person(bot: Harness) -> None:
    lena = bot.person("Lena", language_code="de")
    await bot.say(lena, "/start")
    await bot.say(lena, "Berlin")
    await bot.press(lena, translator_for("de")("Sounds good"))
    await bot.say(lena, "/morning 7:15")
    assert "07:15" in (lena.last_message.text or "")
    await bot.say(lena, "/pause 3")
    # German words and German order for the weekday and the date, 24-hour times.
    assert "Donnerstag, 5. März" in (lena.last_message.text or "")
