"""/journal through the real Application: newest first, paged both ways, always one message."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.sandbox.validation import utf16_len
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded
from tests.flows.looking_back import seed

TODAY = date(2026, 3, 2)
HEADING = re.compile(r"^(\w+day), (\w+ \d+, \d{4})$", re.MULTILINE)


def headings(text: str) -> list[str]:
    return [f"{day}, {rest}" for day, rest in HEADING.findall(text)]


async def test_empty_journal_says_how_to_start(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/journal")
    text = ana.last_message.text or ""
    assert "blank page" in text
    assert "/done" in text
    assert ana.last_message.buttons == []


async def test_long_entries_page_back_and_forth_within_limits(bot: Harness) -> None:
    ana = await onboarded(bot)
    # Today, through the flow: an act as long as a message allows, and a 4096-char note.
    await bot.say(ana, "/done " + "🌷" * 2000 + "a" * 88)
    await bot.say(ana, "n" * 4096)
    # Twenty earlier days, written straight into the database, just as long.
    days = [TODAY - timedelta(days=n) for n in range(1, 21)]
    await seed(
        bot,
        ana,
        acts=[(day, f"act of {day} " + "x" * 4000, "note " + "y" * 4090) for day in days],
        reflections=[(day, 1 + day.day % 5, "received " + "z" * 4000) for day in days],
    )

    await bot.say(ana, "/journal")
    first = ana.last_message
    pages = [first.text or ""]
    assert ana.last_message.buttons == [["◀ Older"]]
    while ana.last_message.find_inline_button("◀ Older"):
        await bot.press(ana, "◀ Older")
        pages.append(ana.last_message.text or "")
    assert len(pages) > 2
    assert ana.last_message.buttons == [["Newer ▶"]]
    # Edited in place: one journal message all along.
    assert ana.last_message.message_id == first.message_id

    shown = [heading for page in pages for heading in headings(page)]
    assert shown[0] == "Monday, March 2, 2026"
    assert len(shown) == len(set(shown)) == 21  # every day once, none lost between pages
    assert shown[-1] == "Tuesday, February 10, 2026"
    for page in pages:
        assert utf16_len(page) <= 4096
        assert "…" in page  # long entries are shortened on the page
        assert "Feeling:" in page or page is pages[0]

    # And back again, newest last: the same pages in reverse.
    back = [ana.last_message.text or ""]
    while ana.last_message.find_inline_button("Newer ▶"):
        await bot.press(ana, "Newer ▶")
        back.append(ana.last_message.text or "")
    assert [heading for page in reversed(back) for heading in headings(page)] == shown


async def test_one_day_too_long_for_a_page_is_clipped(bot: Harness) -> None:
    ana = await onboarded(bot)
    await seed(bot, ana, acts=[(TODAY, f"act {n} " + "w" * 500, "v" * 500) for n in range(30)])
    await bot.say(ana, "/journal")
    text = ana.last_message.text or ""
    assert utf16_len(text) <= 4096
    assert "more of this day is in /export" in text
    assert ana.last_message.buttons == []


async def test_what_people_typed_is_shown_literally(bot: Harness) -> None:
    ana = await onboarded(bot)
    await seed(
        bot,
        ana,
        acts=[(TODAY, "<b>bold</b> & <script>", "a <i>note</i>")],
        reflections=[(TODAY, 5, "שלום, a kind word 👋🏽")],
    )
    await bot.say(ana, "/journal")
    text = ana.last_message.text or ""
    assert "<b>bold</b> & <script>" in text
    assert "a <i>note</i>" in text
    assert "Feeling: 5 of 5" in text
    assert "שלום, a kind word 👋🏽" in text


async def test_forged_or_stale_journal_buttons_show_only_your_own(bot: Harness) -> None:
    ana = await onboarded(bot, "Ana")
    bob = await onboarded(bot, "Bob")
    await seed(bot, ana, acts=[(TODAY - timedelta(days=3), "Ana's secret act", None)])
    await bot.say(bob, "/journal")
    message_id = bob.last_message.message_id
    # Bob forges Ana-style cursors: he can only ever page through his own journal.
    await bot.deliver(await bob.press_data(message_id, "jp:20260310:o"))
    assert "Ana's secret act" not in (bob.last_message.text or "")
    assert "blank page" in (bob.last_message.text or "")
    await bot.deliver(await bob.press_data(message_id, "jp:20260302:x"))
    assert bob.callback_answers[-1]["text"] == "That button is out of date, so nothing changed."
    # Days later, Ana's old button still works (it carries its own date).
    await bot.say(ana, "/journal")
    bot.clock.advance(timedelta(days=9))
    await bot.deliver(await ana.press_data(ana.last_message.message_id, "jp:20260301:o"))
    assert "Ana's secret act" in (ana.last_message.text or "")
