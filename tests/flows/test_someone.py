"""Choose someone: Telegram's contact picker, ideas for a message, a ready note, no trace kept."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect, text
from sqlmodel import select

from bot.sandbox.users import SimulatedUser
from storage.models import DailyPlan, PlanStatus
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded

PICKER = "Choose from my contacts"


async def picked(bot: Harness, ana: SimulatedUser, friend: SimulatedUser) -> None:
    await bot.say(ana, "/today")
    await bot.press(ana, "Choose someone")
    await bot.deliver(await ana.share_users(PICKER, [friend]))


async def test_choose_someone_opens_the_contact_picker_then_offers_ideas(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "Choose someone")
    button = ana.request_users_button(PICKER)
    assert button is not None
    request = button["request_users"]
    assert request["request_name"] is True
    assert request["user_is_bot"] is False
    assert request.get("max_quantity", 1) == 1
    assert "keeps neither their name nor their account" in (ana.last_message.text or "")

    bea = bot.person("Bea")
    await bot.deliver(await ana.share_users(PICKER, [bea]))
    ideas = ana.last_message
    assert "Ideas for a message to Bea:" in (ideas.text or "")
    assert {"type": "bold", "offset": 23, "length": 3} in [
        {k: e[k] for k in ("type", "offset", "length")} for e in ideas.entities
    ]
    labels = [label for row in ideas.buttons for label in row]
    assert labels[-2:] == ["I'll write to them today", "Open a ready note"]
    assert len(labels) == 5  # three ideas
    keyboard = (ideas.reply_markup or {})["inline_keyboard"]
    [draft] = [b for row in keyboard for b in row if "switch_inline_query_chosen_chat" in b]
    assert draft["switch_inline_query_chosen_chat"]["query"] == "encourage"
    assert draft["switch_inline_query_chosen_chat"]["allow_user_chats"] is True


async def test_writing_to_them_becomes_todays_act_without_their_name(bot: Harness) -> None:
    ana = await onboarded(bot)
    bea = bot.person("Bea")
    await picked(bot, ana, bea)
    await bot.press(ana, "I'll write to them today")
    assert "Today's act: A message to someone you chose" in (ana.last_message.text or "")
    async with bot.db.session() as session:
        [plan] = (await session.exec(select(DailyPlan))).all()
    assert (plan.act_text, plan.act_id, plan.status) == (
        "A message to someone you chose",
        None,
        PlanStatus.PLANNED,
    )
    # Logged like any plan, here with a reaction on the message that shows it.
    await bot.deliver(await ana.react("👍"))
    async with bot.db.session() as session:
        assert (await session.exec(select(DailyPlan))).one().status is PlanStatus.DONE


async def test_one_of_the_ideas_is_chosen_like_a_morning_act(bot: Harness) -> None:
    ana = await onboarded(bot)
    await picked(bot, ana, bot.person("Bea"))
    await bot.press(ana, ana.last_message.buttons[0][0])
    await bot.press(ana, "Yes, I'll do it")
    assert "Today's act:" in (ana.last_message.text or "")


async def test_no_table_keeps_the_chosen_persons_id_or_name(bot: Harness) -> None:
    ana = await onboarded(bot)
    friend = bot.fake.add_user(
        first_name="Zephyrine", last_name="Quillfeather", user_id=987_654_321
    )
    await picked(bot, ana, friend)
    await bot.press(ana, "I'll write to them today")
    await bot.deliver(await ana.react("🔥"))
    needles = ("987654321", "Zephyrine", "Quillfeather")
    async with bot.db.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        assert "daily_plans" in tables
        for table in tables:
            query = text(f'SELECT * FROM "{table}"')  # noqa: S608  # names from the schema
            rows = (await connection.execute(query)).all()
            for row in rows:
                for value in row:
                    assert not any(n in str(value) for n in needles), (table, value)


async def test_a_share_without_a_name_or_from_another_day_is_answered_kindly(
    bot: Harness,
) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "Choose someone")
    request_id = ana.request_users_button(PICKER)["request_users"]["request_id"]  # type: ignore[index]
    # An id but no name (a client that left it out): ideas for "them".
    await bot.deliver(await ana.share_users_data(request_id, [{"user_id": 42}]))
    assert "Ideas for a message to them:" in (ana.last_message.text or "")
    # Nobody asked for this one (or it is yesterday's picker): out of date, nothing changes.
    await bot.deliver(await ana.share_users_data(request_id - 1, [{"user_id": 42}]))
    assert "out of date" in (ana.last_message.text or "").lower()
    bot.clock.advance(timedelta(days=1))
    await bot.deliver(await ana.share_users_data(request_id, [{"user_id": 43}]))
    assert "out of date" in (ana.last_message.text or "").lower()
    async with bot.db.session() as session:
        assert (await session.exec(select(DailyPlan))).all() == []


async def test_an_old_choose_someone_button_is_out_of_date(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    bot.clock.advance(timedelta(days=1))
    await bot.press(ana, "Choose someone")
    assert ana.request_users_button(PICKER) is None
    assert "out of date" in (ana.callback_answers[-1].get("text") or "").lower()


async def test_privacy_says_the_chosen_person_is_not_kept(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/privacy")
    assert "I keep neither their name nor their account" in (ana.last_message.text or "")
