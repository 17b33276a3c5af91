"""A reaction on the message showing today's act logs it, and taking it back undoes that."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.conversations.reactions import BOT_REACTION
from bot.sandbox.users import SimulatedUser
from storage.models import ActDone, DailyPlan, PlanStatus, User
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded


async def planned(
    bot: Harness, name: str = "Ana", *, premium: bool = False
) -> tuple[SimulatedUser, int]:
    """A person who chose today's act from /today; returns them and the message showing it."""
    if premium:  # several reactions on one message need Telegram Premium
        person = bot.fake.add_user(first_name=name, is_premium=True)
        await bot.say(person, "/start")
        await bot.say(person, "UTC")
        await bot.press(person, "Sounds good")
    else:
        person = await onboarded(bot, name)
    await bot.say(person, "/today")
    await bot.press(person, person.last_message.buttons[0][0])
    await bot.press(person, "Yes, I'll do it")
    shown = person.last_message
    assert "Today's act:" in (shown.text or "")
    return person, shown.message_id


async def plan_of(bot: Harness) -> DailyPlan:
    async with bot.db.session() as session:
        return (await session.exec(select(DailyPlan))).one()


async def acts(bot: Harness) -> list[ActDone]:
    async with bot.db.session() as session:
        return list((await session.exec(select(ActDone))).all())


def bot_reaction(bot: Harness, person: SimulatedUser, message_id: int) -> list[str]:
    [message] = [m for m in bot.fake.bot_messages(person.id) if m.message_id == message_id]
    return message.bot_reaction_emoji


async def test_a_reaction_logs_todays_act_and_kindling_answers_with_one(bot: Harness) -> None:
    ana, shown = await planned(bot)
    sent_before = len(bot.fake.calls_to("sendMessage"))
    await bot.deliver(await ana.react("👍", message_id=shown))
    [act] = await acts(bot)
    plan = await plan_of(bot)
    assert (plan.status, plan.reaction_log_id, act.act_id) == (
        PlanStatus.DONE,
        act.id,
        plan.act_id,
    )
    assert bot_reaction(bot, ana, shown) == [BOT_REACTION]
    assert len(bot.fake.calls_to("sendMessage")) == sent_before  # a reaction, no new message
    # No note was asked for, so the next words are not taken as one.
    async with bot.db.session() as session:
        assert (await session.exec(select(User))).one().pending_step is None


async def test_taking_the_reaction_back_the_same_day_undoes_the_log(bot: Harness) -> None:
    ana, shown = await planned(bot)
    await bot.deliver(await ana.react("❤", message_id=shown))
    await bot.deliver(await ana.react(None, message_id=shown))
    assert await acts(bot) == []
    plan = await plan_of(bot)
    assert (plan.status, plan.reaction_log_id) == (PlanStatus.PLANNED, None)
    assert bot_reaction(bot, ana, shown) == []
    # The act can be logged again afterwards, once.
    await bot.deliver(await ana.react("🔥", message_id=shown))
    assert len(await acts(bot)) == 1


async def test_several_reactions_and_quick_changes_log_once(bot: Harness) -> None:
    ana, shown = await planned(bot, premium=True)
    await bot.deliver(await ana.react(["👍", "❤"], message_id=shown))
    reactions_set = len(bot.fake.calls_to("setMessageReaction"))
    await bot.deliver(await ana.react("🔥", message_id=shown))
    await bot.deliver(await ana.react(["🔥", "👏"], message_id=shown))
    assert len(await acts(bot)) == 1
    assert len(bot.fake.calls_to("setMessageReaction")) == reactions_set  # one answer


async def test_a_log_made_with_done_is_not_undone_by_a_reaction(bot: Harness) -> None:
    ana, shown = await planned(bot)
    await bot.press(ana, "Done")
    await bot.deliver(await ana.react("👍", message_id=shown))
    await bot.deliver(await ana.react(None, message_id=shown))
    assert len(await acts(bot)) == 1
    assert (await plan_of(bot)).status is PlanStatus.DONE
    assert bot.fake.calls_to("setMessageReaction") == []


async def test_an_old_days_message_logs_nothing_and_gets_no_answer(bot: Harness) -> None:
    ana, shown = await planned(bot)
    bot.clock.advance(timedelta(days=1))
    await bot.deliver(await ana.react("👍", message_id=shown))
    assert await acts(bot) == []
    assert bot.fake.calls_to("setMessageReaction") == []


async def test_other_messages_and_other_people_log_nothing(bot: Harness) -> None:
    ana, _ = await planned(bot)
    ben, bens_act = await planned(bot, "Ben")
    await bot.say(ana, "/help")
    await bot.deliver(await ana.react("👍"))  # the help message, not today's act
    await bot.say(ben, "/help")
    await bot.deliver(await ben.react("👍"))
    assert await acts(bot) == []
    assert bot.fake.calls_to("setMessageReaction") == []
    # Ben's own act message logs Ben's act, not Ana's (message ids are per chat).
    await bot.deliver(await ben.react("👍", message_id=bens_act))
    [act] = await acts(bot)
    async with bot.db.session() as session:
        owner = await session.get(User, act.user_id)
    assert owner is not None
    assert owner.first_name == "Ben"


async def test_a_reaction_from_someone_who_never_started_is_ignored(bot: Harness) -> None:
    ana, shown = await planned(bot)
    async with bot.db.write() as session:
        for row in (await session.exec(select(User))).all():
            await session.delete(row)
    await bot.deliver(await ana.react("👍", message_id=shown))
    assert bot.fake.calls_to("setMessageReaction") == []


async def test_the_morning_prompt_edited_into_todays_act_counts(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/today")
    morning = ana.last_message.message_id
    await bot.press(ana, ana.last_message.buttons[0][0])
    await bot.press(ana, "Yes, I'll do it")
    assert ana.last_message.message_id == morning  # edited in place
    await bot.deliver(await ana.react("👍", message_id=morning))
    assert len(await acts(bot)) == 1


async def test_a_reaction_in_a_group_logs_nothing(bot: Harness) -> None:
    ana, shown = await planned(bot)
    group = bot.fake.add_group("Friends")
    # The same message id, but in a group: not the message showing Ana's act.
    update = {
        "update_id": 10_000,
        "message_reaction": {
            "chat": {"id": group.id, "type": "group", "title": "Friends"},
            "message_id": shown,
            "user": dict(ana.data),
            "date": int(bot.clock.now().timestamp()),
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}],
        },
    }
    await bot.deliver(update)
    assert await acts(bot) == []
