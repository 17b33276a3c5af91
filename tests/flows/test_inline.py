"""Inline mode through the real Application: notes from any chat, filtered by typed words,
and the offer to log a sent note as today's act."""

from __future__ import annotations

from sqlmodel import select

from storage.models import ActDone
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded


async def test_inline_query_offers_varied_encouragement_and_thanks(bot: Harness) -> None:
    ana = bot.person()
    await bot.deliver(await ana.inline_query(""))
    [answer] = bot.fake.inline_answers
    results = answer["results"]
    assert 20 <= len(results) <= 50
    assert all(r["type"] == "article" for r in results)
    assert {r["id"].split(":")[0] for r in results} == {"enc", "thx"}
    assert all(r["input_message_content"]["message_text"] for r in results)
    assert len({r["id"] for r in results}) == len(results)


async def test_typed_words_filter_the_notes(bot: Harness) -> None:
    ana = bot.person()
    await bot.deliver(await ana.inline_query("thank"))
    results = bot.fake.inline_answers[-1]["results"]
    assert results
    assert all(r["id"].startswith("thx:") for r in results)
    await bot.deliver(await ana.inline_query("exam"))
    texts = [
        r["input_message_content"]["message_text"] for r in bot.fake.inline_answers[-1]["results"]
    ]
    assert any("luck" in text.lower() or "got this" in text.lower() for text in texts)
    assert len(texts) < 10


async def test_choosing_a_note_offers_to_log_it_in_the_private_chat(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.deliver(await ana.inline_query("proud"))
    result_id = bot.fake.inline_answers[-1]["results"][0]["id"]
    await bot.deliver(await ana.choose_inline_result(result_id))
    assert "today's act of kindness" in (ana.last_message.text or "")
    await bot.press(ana, "Yes, log it")
    async with bot.db.session() as session:
        [act] = (await session.exec(select(ActDone))).all()
    assert act.text == "Sent an encouraging message"
    assert act.act_id == "encourage_colleague"
    assert ["Yes, log it"] not in ana.messages[-2].buttons  # the offer cannot log twice


async def test_no_offer_without_a_private_chat(bot: Harness) -> None:
    stranger = bot.person("Bo")
    await bot.deliver(await stranger.inline_query(""))
    result_id = bot.fake.inline_answers[-1]["results"][0]["id"]
    before = len(bot.fake.calls_to("sendMessage"))
    await bot.deliver(await stranger.choose_inline_result(result_id))
    assert len(bot.fake.calls_to("sendMessage")) == before


async def test_crisis_words_in_an_inline_query_lead_to_help(bot: Harness) -> None:
    ana = bot.person()
    await bot.deliver(await ana.inline_query("i want to die"))
    answer = bot.fake.inline_answers[-1]
    assert answer["results"] == []
    await bot.say(ana, "/start crisis")
    assert "findahelpline.com" in (ana.last_message.text or "")
