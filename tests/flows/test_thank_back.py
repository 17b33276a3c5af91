"""Say thank you back: after naming kindness received, a ready thank-you, logged only if wanted."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.sandbox.users import SimulatedUser
from bot.services.prompts import compose_prompt
from storage.models import ActDone, DailyPlan, PlanStatus, User
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded

OFFER = "Would you like to thank them?"


async def reflected(bot: Harness, received: str | None) -> SimulatedUser:
    """A person who finished /reflect, naming ``received`` (None: skipped that question)."""
    ana = await onboarded(bot)
    await bot.say(ana, "/reflect")
    await bot.press(ana, "Yes")  # nothing was planned: did a moment of kindness happen?
    await bot.press(ana, "4")
    if received is None:
        await bot.press(ana, "Skip")
    else:
        await bot.say(ana, received)
    return ana


def draft_buttons(person: SimulatedUser) -> list[dict[str, object]]:
    keyboard = (person.last_message.reply_markup or {}).get("inline_keyboard", [])
    return [b for row in keyboard for b in row if "switch_inline_query_chosen_chat" in b]


async def thank_you_sent(bot: Harness, person: SimulatedUser) -> None:
    """The person sends one of inline mode's thank-you notes from another chat."""
    await bot.deliver(await person.inline_query("thanks"))
    result_id = bot.fake.inline_answers[-1]["results"][0]["id"]
    assert result_id.startswith("thx:")
    await bot.deliver(await person.choose_inline_result(result_id))


async def test_naming_kindness_received_offers_a_thank_you_once(bot: Harness) -> None:
    ana = await reflected(bot, "My neighbour carried my shopping up")
    assert OFFER in (ana.last_message.text or "")
    [draft] = draft_buttons(ana)
    chosen = draft["switch_inline_query_chosen_chat"]
    assert chosen == {"query": "thanks", "allow_user_chats": True, "allow_group_chats": True}
    # Skippable: the next words are not taken as anything about the thank-you.
    async with bot.db.session() as session:
        assert (await session.exec(select(User))).one().pending_step is None


async def test_no_offer_when_nothing_received_was_named(bot: Harness) -> None:
    ana = await reflected(bot, None)
    assert OFFER not in (ana.last_message.text or "")
    assert draft_buttons(ana) == []


async def test_a_thank_you_sent_after_the_reflection_can_count_for_tomorrow(bot: Harness) -> None:
    ana = await reflected(bot, "A colleague covered for me")
    await thank_you_sent(bot, ana)
    assert "tomorrow's act of kindness" in (ana.last_message.text or "")
    async with bot.db.session() as session:
        assert (await session.exec(select(ActDone))).all() == []  # only if the person says so
    await bot.press(ana, "Yes, log it")
    assert "tomorrow morning I'll leave you be" in (ana.last_message.text or "")
    tomorrow = bot.clock.now().date() + timedelta(days=1)
    async with bot.db.session() as session:
        [act] = (await session.exec(select(ActDone))).all()
        [plan] = (await session.exec(select(DailyPlan))).all()
        person = (await session.exec(select(User))).one()
    assert (act.local_date, act.text) == (tomorrow, "Sent a thank-you note")
    assert act.act_id == "thank_message"
    assert (plan.local_date, plan.status) == (tomorrow, PlanStatus.DONE)
    assert person.id is not None
    # Tomorrow's act is done, so tomorrow's morning prompt stays away.
    assert await compose_prompt(bot.db, bot.clock, person.id, "morning", tomorrow) is None
    # Pressing the same offer again (a forged repeat) logs nothing twice.
    offer = [m for m in ana.messages if "tomorrow's act of kindness" in (m.text or "")][-1]
    data = f"il:{tomorrow:%Y%m%d}:thx"
    await bot.deliver(await ana.press_data(offer.message_id, data))
    async with bot.db.session() as session:
        assert len((await session.exec(select(ActDone))).all()) == 1


async def test_before_the_reflection_a_thank_you_counts_for_today(bot: Harness) -> None:
    ana = await onboarded(bot)
    await thank_you_sent(bot, ana)
    assert "today's act of kindness" in (ana.last_message.text or "")
    assert "tomorrow" not in (ana.last_message.text or "")


async def test_a_forged_tomorrow_button_is_out_of_date(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/help")
    tomorrow = bot.clock.now().date() + timedelta(days=1)
    help_message = ana.last_message.message_id
    # Encouragement never counts for tomorrow; nor does a thank-you before the reflection.
    for kind in ("enc", "thx"):
        await bot.deliver(await ana.press_data(help_message, f"il:{tomorrow:%Y%m%d}:{kind}"))
        assert "out of date" in (ana.callback_answers[-1].get("text") or "").lower()
    async with bot.db.session() as session:
        assert (await session.exec(select(ActDone))).all() == []
