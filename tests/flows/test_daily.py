"""The daily loop through the real Application: morning choice, logging, evening reflection."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.sandbox.users import SimulatedUser
from storage.models import (
    ActDone,
    DailyPlan,
    PlanStatus,
    Prompt,
    PromptSlot,
    PromptState,
    Reflection,
    ReflectionOutcome,
    User,
)
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded

DAY = date(2026, 3, 2)


async def started(bot: Harness, name: str = "Ana") -> SimulatedUser:
    return await onboarded(bot, name)


async def plans(bot: Harness) -> list[DailyPlan]:
    async with bot.db.session() as session:
        return list((await session.exec(select(DailyPlan))).all())


async def acts(bot: Harness) -> list[ActDone]:
    async with bot.db.session() as session:
        return list((await session.exec(select(ActDone))).all())


async def reflections(bot: Harness) -> list[Reflection]:
    async with bot.db.session() as session:
        return list((await session.exec(select(Reflection))).all())


async def user_row(bot: Harness) -> User:
    async with bot.db.session() as session:
        return (await session.exec(select(User))).one()


def first_act_button(person: SimulatedUser) -> str:
    return person.last_message.buttons[0][0]


async def test_today_offers_three_acts_and_other_ways(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    message = ana.last_message
    assert "Here are a few ideas for today, Ana." in (message.text or "")
    assert len(message.buttons) == 6
    assert message.buttons[3] == ["Other ideas", "My own idea"]
    assert message.buttons[4] == ["Later", "Not today"]
    assert message.buttons[5] == ["Choose someone", "Low energy today"]


async def test_choose_commit_and_done(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    label = first_act_button(ana)
    await bot.press(ana, label)
    assert "Tip:" in (ana.last_message.text or "")
    await bot.press(ana, "Yes, I'll do it")
    assert "Today's act:" in (ana.last_message.text or "")
    [plan] = await plans(bot)
    assert plan.status is PlanStatus.PLANNED
    assert plan.local_date == DAY
    assert plan.act_text in label

    await bot.press(ana, "Done")
    assert "Logged:" in (ana.last_message.text or "")
    [act] = await acts(bot)
    assert act.act_id == plan.act_id
    assert (await plans(bot))[0].status is PlanStatus.DONE

    await bot.say(ana, "It went really well 🌷")
    assert "kept that" in (ana.last_message.text or "")
    assert (await acts(bot))[0].note == "It went really well 🌷"


async def test_pick_another_shows_new_ideas(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    before = ana.last_message.buttons[:3]
    await bot.press(ana, "Other ideas")
    after = ana.last_message.buttons[:3]
    assert not {row[0][3:] for row in before} & {row[0][3:] for row in after}


async def test_double_press_commit_changes_nothing(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, first_act_button(ana))
    detail = ana.last_message
    data = [d for row in detail.button_data for d in row if d and d.startswith("mc:")]
    await bot.press(ana, "Yes, I'll do it")
    # A second tap of the same button (a slow connection, an impatient thumb).
    await bot.deliver(await ana.press_data(detail.message_id, data[0]))
    assert ana.callback_answers[-1].get("text") == "Already saved."
    assert len(await plans(bot)) == 1


async def test_own_idea_survives_a_restart(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "My own idea")
    assert "Write it in one line" in (ana.last_message.text or "")
    # A restart: the pending step lives in the database, not in memory.
    await bot.app.shutdown()
    await bot.app.initialize()
    await bot.say(ana, "Bake <cookies> for my neighbour")
    assert "Today's act: <b>Bake <cookies> for my neighbour</b>" in (
        ana.last_message.text or ""
    ).replace("&lt;", "<").replace("&gt;", ">") or "Bake <cookies>" in (
        ana.last_message.text or ""
    )
    [plan] = await plans(bot)
    assert plan.act_text == "Bake <cookies> for my neighbour"
    assert plan.act_id is None


async def test_not_today_is_kind_and_skips_nothing_in_the_evening(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "Not today")
    text = ana.last_message.text or ""
    assert "evening" in text
    assert "missed" not in text
    [plan] = await plans(bot)
    assert plan.status is PlanStatus.NOT_TODAY
    await bot.say(ana, "/reflect")
    assert "Nothing was planned today" in (ana.last_message.text or "")


async def test_later_records_a_snooze(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "Later")
    assert "11:00" in (ana.last_message.text or "")
    async with bot.db.session() as session:
        [row] = (await session.exec(select(Prompt).where(Prompt.slot == PromptSlot.SNOOZE))).all()
    assert (row.state, row.due_at) == (PromptState.PLANNED, bot.clock.now() + timedelta(hours=2))


@pytest.mark.parametrize("reply", ["done", "Done!", "I did it", "✅"])
async def test_done_replies_log_the_plan(bot: Harness, reply: str) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, first_act_button(ana))
    await bot.press(ana, "Yes, I'll do it")
    await bot.say(ana, reply)
    assert "Logged:" in (ana.last_message.text or "")
    assert len(await acts(bot)) == 1


async def test_done_with_words_logs_an_unplanned_act(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/done Helped a stranger with directions")
    assert "Helped a stranger with directions" in (ana.last_message.text or "")
    await bot.press(ana, "Skip")
    assert "No note needed" in (ana.last_message.text or "")
    await bot.say(ana, "/done Called my gran")
    assert len(await acts(bot)) == 2
    assert not await plans(bot)


async def test_done_without_a_plan_asks_what_happened(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/done")
    assert "What did you do?" in (ana.last_message.text or "")
    await bot.say(ana, "Made tea for my flatmate")
    [act] = await acts(bot)
    assert act.text == "Made tea for my flatmate"


async def test_celebrations_vary(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/done one")
    first = (ana.last_message.text or "").split("\n")[0]
    await bot.say(ana, "/done two")
    second = (ana.last_message.text or "").split("\n")[0]
    assert first != second


async def test_evening_reflection_step_by_step(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, first_act_button(ana))
    await bot.press(ana, "Yes, I'll do it")
    await bot.say(ana, "/reflect")
    assert "Let's look back on today, Ana." in (ana.last_message.text or "")
    assert "How did today's act go?" in (ana.last_message.text or "")
    await bot.press(ana, "I did it")
    [reflection] = await reflections(bot)
    assert reflection.outcome is ReflectionOutcome.DID
    assert (await plans(bot))[0].status is PlanStatus.DONE
    assert "1 is low, 5 is great" in (ana.last_message.text or "")
    await bot.press(ana, "4")
    assert (await reflections(bot))[0].feeling == 4
    await bot.app.shutdown()  # a restart between steps loses nothing
    await bot.app.initialize()
    await bot.say(ana, "My colleague brought me soup 🍲 ‏שלום‏ a\u200bb")
    [reflection] = await reflections(bot)
    assert reflection.received == "My colleague brought me soup 🍲 ‏שלום‏ a\u200bb"
    assert reflection.completed
    await bot.say(ana, "/reflect")
    assert "already reflected today" in (ana.last_message.text or "")


async def test_every_evening_step_can_be_skipped(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/reflect")
    await bot.press(ana, "Skip")
    await bot.press(ana, "Skip")
    await bot.press(ana, "Skip")
    [reflection] = await reflections(bot)
    assert reflection.outcome is ReflectionOutcome.SKIPPED
    assert reflection.feeling is None
    assert reflection.received is None
    assert reflection.completed


async def test_long_texts_are_stored_whole(bot: Harness) -> None:
    ana = await started(bot)
    long_text = ("kindness 💛 עברית \u200d" * 300)[:4096]
    await bot.say(ana, "/done")
    await bot.say(ana, long_text)
    [act] = await acts(bot)
    assert act.text == long_text
    assert "Logged:" in (ana.last_message.text or "")


async def test_buttons_from_yesterday_are_out_of_date(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    morning = ana.last_message
    bot.clock.advance(timedelta(days=1))
    await bot.press(ana, morning.buttons[0][0])
    assert "out of date" in (ana.callback_answers[-1].get("text") or "")
    assert not await plans(bot)


@pytest.mark.parametrize(
    "data", ["garbage", "pd:20260302:999", "ef:20260302:9", "mc:20260302:nope", "eo:20260302:x"]
)
async def test_forged_buttons_are_answered_and_change_nothing(bot: Harness, data: str) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    await bot.deliver(await ana.press_data(ana.last_message.message_id, data))
    assert "out of date" in (ana.callback_answers[-1].get("text") or "")
    assert not await plans(bot)
    assert not await reflections(bot)


async def test_someone_elses_done_button_does_nothing(bot: Harness) -> None:
    ana = await started(bot, "Ana")
    bo = await started(bot, "Bo")
    await bot.say(ana, "/today")
    await bot.press(ana, first_act_button(ana))
    await bot.press(ana, "Yes, I'll do it")
    [plan] = await plans(bot)
    await bot.say(bo, "/today")
    await bot.deliver(await bo.press_data(bo.last_message.message_id, f"pd:20260302:{plan.id}"))
    assert "out of date" in (bo.callback_answers[-1].get("text") or "")
    assert not await acts(bot)
    assert (await plans(bot))[0].status is PlanStatus.PLANNED


async def test_free_text_outside_a_step_gets_a_hint(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "hmm, what now?")
    assert "/today" in (ana.last_message.text or "")


async def test_sticker_during_a_step_keeps_the_step(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/reflect")
    await bot.press(ana, "Skip")
    await bot.press(ana, "3")
    await bot.deliver(await ana.send_sticker())
    assert "I can only read text" in (ana.last_message.text or "")
    await bot.say(ana, "A neighbour smiled at me")
    [reflection] = await reflections(bot)
    assert reflection.received == "A neighbour smiled at me"


async def test_a_button_on_a_message_too_old_to_edit_still_works(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    data = next(d for row in ana.last_message.button_data for d in row if d and d[:3] == "mp:")
    await bot.deliver(await ana.press_data(99_999, data))
    assert "Tip:" in (ana.last_message.text or "")


async def test_group_chats_store_nothing(bot: Harness) -> None:
    ana = bot.person()
    group = bot.fake.add_group("Friends")
    await bot.deliver(await group.send_command(ana, "/today"))
    assert "private chat" in (group.messages[-1].text or "")
    async with bot.db.session() as session:
        assert (await session.exec(select(User))).all() == []


async def test_done_and_evening_buttons_pressed_twice(bot: Harness) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, first_act_button(ana))
    await bot.press(ana, "Yes, I'll do it")
    plan_message = ana.last_message
    done_data = plan_message.button_data[0][0]
    assert done_data is not None
    await bot.press(ana, "Done")
    await bot.deliver(await ana.press_data(plan_message.message_id, done_data))
    assert ana.callback_answers[-1].get("text") == "Already saved."
    assert len(await acts(bot)) == 1

    await bot.say(ana, "/reflect")
    question = ana.last_message
    outcome_data = question.button_data[0][0]
    assert outcome_data is not None
    await bot.press(ana, "I did it")
    await bot.deliver(await ana.press_data(question.message_id, outcome_data))
    assert ana.callback_answers[-1].get("text") == "Already saved."
    await bot.press(ana, "2")
    await bot.deliver(await ana.press_data(question.message_id, "ef:20260302:5"))
    assert ana.callback_answers[-1].get("text") == "Already saved."
    [reflection] = await reflections(bot)
    assert reflection.feeling == 2
    assert len(await acts(bot)) == 1  # "I did it" after Done logs nothing twice


@pytest.mark.parametrize("send", ["send_photo", "send_voice", "send_document"])
async def test_files_during_the_own_idea_step(bot: Harness, send: str) -> None:
    ana = await started(bot)
    await bot.say(ana, "/today")
    await bot.press(ana, "My own idea")
    await bot.deliver(await getattr(ana, send)())
    assert "I can only read text" in (ana.last_message.text or "")
    await bot.say(ana, "Water the neighbour's plants")
    [plan] = await plans(bot)
    assert plan.act_text == "Water the neighbour's plants"
