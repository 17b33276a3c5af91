"""Onboarding through the real Application: welcome, time zone, times, first idea."""

from __future__ import annotations

from datetime import time

import pytest
from sqlmodel import select

from bot.sandbox.users import SimulatedUser
from storage.models import User, UserStatus
from tests.fakes.harness import Harness


async def user_row(bot: Harness) -> User:
    async with bot.db.session() as session:
        return (await session.exec(select(User))).one()


async def started(bot: Harness) -> SimulatedUser:
    ana = bot.person("Ana")
    await bot.say(ana, "/start")
    return ana


async def test_welcome_then_time_zone_question_with_location_button(bot: Harness) -> None:
    ana = await started(bot)
    assert "not a therapist" in (ana.messages[-2].text or "")
    assert "where are you?" in (ana.last_message.text or "")
    assert ana.reply_keyboard == [["Share my location"]]
    user = await user_row(bot)
    assert user.status is UserStatus.ONBOARDING


async def test_whole_onboarding_by_location(bot: Harness) -> None:
    ana = await started(bot)
    await bot.deliver(await ana.share_location(52.52, 13.405))
    assert "Europe/Berlin" in (ana.messages[-2].text or "")
    assert "It's 10:00\u202fAM there now" in (ana.messages[-2].text or "")
    assert "Does that suit you?" in (ana.last_message.text or "")
    assert (await user_row(bot)).timezone == "Europe/Berlin"
    await bot.press(ana, "Sounds good")
    assert "All set" in (ana.messages[-2].text or "")
    assert "Here are a few ideas for today" in (ana.last_message.text or "")
    user = await user_row(bot)
    assert user.status is UserStatus.ACTIVE
    assert user.pending_step is None


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Berlin", "Europe/Berlin"),
        ("sao paulo", "America/Sao_Paulo"),
        ("New York", "America/New_York"),
        ("europe/berlin", "Europe/Berlin"),
    ],
)
async def test_time_zone_by_typing(bot: Harness, typed: str, zone: str) -> None:
    ana = await started(bot)
    await bot.say(ana, typed)
    assert (await user_row(bot)).timezone == zone
    assert "Does that suit you?" in (ana.last_message.text or "")


async def test_ambiguous_city_offers_buttons(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "Springfield")
    assert "Which one is yours?" in (ana.last_message.text or "")
    await bot.press(ana, "Springfield, Oregon, United States")
    assert (await user_row(bot)).timezone == "America/Los_Angeles"
    assert "Does that suit you?" in (ana.last_message.text or "")


async def test_unknown_place_then_the_clock_fallback(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "Xyzzy")
    assert "couldn't find that place" in (ana.last_message.text or "")
    assert (await user_row(bot)).timezone == "UTC"
    # Harness time is 09:00 UTC; 14:30 on their clock means UTC+5:30.
    await bot.say(ana, "14:30")
    assert "Asia/Kolkata" in str(ana.last_message.buttons)
    await bot.press(ana, "Asia/Kolkata")
    assert (await user_row(bot)).timezone == "Asia/Kolkata"


async def test_none_of_these_asks_again(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "Springfield")
    await bot.press(ana, "None of these")
    assert "Type your city" in (ana.last_message.text or "")
    await bot.say(ana, "Paris")
    assert (await user_row(bot)).timezone == "Europe/Paris"


async def test_changing_a_time_during_onboarding(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "Berlin")
    await bot.press(ana, "Change morning")
    assert "What time would you like the morning ideas?" in (ana.last_message.text or "")
    await bot.say(ana, "7am")
    assert "Does that suit you?" in (ana.last_message.text or "")
    assert (await user_row(bot)).morning_time == time(7, 0)
    await bot.press(ana, "Sounds good")
    assert (await user_row(bot)).status is UserStatus.ACTIVE


async def test_sticker_during_the_time_zone_step(bot: Harness) -> None:
    ana = await started(bot)
    await bot.deliver(await ana.send_sticker())
    assert "I can only read text" in (ana.last_message.text or "")
    await bot.say(ana, "Berlin")
    assert (await user_row(bot)).timezone == "Europe/Berlin"


async def test_restart_mid_onboarding_loses_nothing(bot: Harness) -> None:
    ana = await started(bot)
    await bot.app.shutdown()
    await bot.app.initialize()
    await bot.say(ana, "Berlin")
    await bot.app.shutdown()
    await bot.app.initialize()
    await bot.press(ana, "Sounds good")
    user = await user_row(bot)
    assert user.timezone == "Europe/Berlin"
    assert user.status is UserStatus.ACTIVE


async def test_sounds_good_twice_changes_nothing(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "Berlin")
    times = ana.last_message
    data = times.button_data[0][0]
    assert data is not None
    await bot.press(ana, "Sounds good")
    sent = len(ana.messages)
    await bot.deliver(await ana.press_data(times.message_id, data))
    assert ana.callback_answers[-1].get("text") == "Already saved."
    assert len(ana.messages) == sent


async def test_start_again_reactivates_a_stopped_person(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "Berlin")
    await bot.press(ana, "Sounds good")
    await bot.say(ana, "/stop")
    assert (await user_row(bot)).status is UserStatus.STOPPED
    await bot.say(ana, "/start")
    assert "prompts are on again" in (ana.last_message.text or "")
    user = await user_row(bot)
    assert user.status is UserStatus.ACTIVE
    assert user.timezone == "Europe/Berlin"
