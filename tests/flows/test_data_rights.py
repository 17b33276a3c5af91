"""/privacy, /export and /delete through the real Application."""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import date, datetime, timedelta

from sqlmodel import func, select

from bot.app import bot_commands
from bot.i18n import translator_for
from bot.logging_setup import configure_logging
from bot.sandbox.users import SimulatedUser
from storage.models import ActDone, User, metadata
from storage.personal_data import holds_people
from tests.fakes.harness import Harness
from tests.flows.helpers import onboarded
from tests.flows.looking_back import seed, uploaded, user_of

TODAY = date(2026, 3, 2)
# Emoji with a skin tone and a zero-width joiner family, Hebrew and Arabic (right to left),
# a right-to-left mark, a zero-width space and joiner, quotes, commas and a newline.
WORDS = 'שלום 👋🏽, مرحبا\u200f «kind» "quoted"; 👨\u200d👩\u200d👧 a\u200bb\u200dc'
NOTE = "Second line below\nעם הרבה אהבה 💛, ok"


async def rows(bot: Harness, model: type) -> int:
    async with bot.db.session() as session:
        return int((await session.exec(select(func.count()).select_from(model))).one())


async def test_privacy_explains_what_why_where_and_rights(bot: Harness) -> None:
    ana = bot.person("Ana")
    await bot.say(ana, "/privacy")
    text = ana.last_message.text or ""
    for words in ("What I keep", "Why", "Where", "own server", "Never logged", "/export"):
        assert words in text
    assert "/delete" in text
    assert await rows(bot, User) == 0  # reading about privacy stores nothing


async def exported(bot: Harness, person: SimulatedUser) -> dict[str, bytes]:
    before = len(person.messages)
    await bot.say(person, "/export")
    new = [m for m in person.messages[before:] if m.from_bot]
    assert "everything I keep about you" in (new[0].text or "")
    documents = new[1:]
    assert [m.kind for m in documents] == ["document"] * 4
    return {m.content["document"]["file_name"]: uploaded(bot, m) for m in documents}


async def test_export_round_trips_everything(bot: Harness) -> None:
    ana = await onboarded(bot, "Ana")
    bob = await onboarded(bot, "Bob")
    await bot.say(ana, "/done " + WORDS)
    await bot.say(ana, NOTE)
    await seed(bot, ana, reflections=[(TODAY, 4, WORDS)])
    await seed(bot, bob, acts=[(TODAY, "Bob's act", "Bob's note")])

    files = await exported(bot, ana)
    assert sorted(files) == [
        "kindling-2026-03-02.json",
        "kindling-acts-2026-03-02.csv",
        "kindling-journal-2026-03-02.md",
        "kindling-reflections-2026-03-02.csv",
    ]
    data = json.loads(files["kindling-2026-03-02.json"].decode("utf-8"))
    user = await user_of(bot, ana)
    assert data["user"]["telegram_user_id"] == ana.id
    assert data["user"]["timezone"] == "UTC"
    assert data["user"]["weekly_recap"] is True
    assert datetime.fromisoformat(data["user"]["created_at"]).utcoffset() == timedelta(0)
    # Complete: every table, every column, only Ana's rows.
    users_table = metadata.tables["users"]
    assert set(data["user"]) == {column.name for column in users_table.columns}
    # Every table that can hold something about a person, and only those (not the lease).
    assert set(data["tables"]) == {
        name for name, table in metadata.tables.items() if name != "users" and holds_people(table)
    }
    assert "send_lease" in metadata.tables
    assert "send_lease" not in data["tables"]
    for name, table_rows in data["tables"].items():
        for row in table_rows:
            assert set(row) == {column.name for column in metadata.tables[name].columns}
            assert row["user_id"] == user.id
    [act] = data["tables"]["acts_done"]
    assert act["text"] == WORDS
    assert act["note"] == NOTE
    assert act["local_date"] == "2026-03-02"
    assert datetime.fromisoformat(act["done_at"]).tzinfo is not None
    [reflection] = data["tables"]["reflections"]
    assert (reflection["feeling"], reflection["received"]) == (4, WORDS)
    assert len(data["tables"]["daily_plans"]) == 0
    assert "Bob" not in files["kindling-2026-03-02.json"].decode("utf-8")

    acts = list(csv.DictReader(io.StringIO(files["kindling-acts-2026-03-02.csv"].decode())))
    assert [(a["local_date"], a["text"], a["note"]) for a in acts] == [("2026-03-02", WORDS, NOTE)]
    evening = list(
        csv.DictReader(io.StringIO(files["kindling-reflections-2026-03-02.csv"].decode()))
    )
    assert [(r["feeling"], r["received"]) for r in evening] == [("4", WORDS)]

    journal = files["kindling-journal-2026-03-02.md"].decode("utf-8")
    assert journal.startswith("# My kindness journal\n")
    assert "## Monday, March 2, 2026" in journal
    assert f"- {WORDS}" in journal
    assert "  > Second line below\n  > עם הרבה אהבה 💛, ok" in journal
    assert "Feeling: 4 of 5" in journal
    assert f"> {WORDS}" in journal


async def test_export_of_an_empty_history(bot: Harness) -> None:
    ana = await onboarded(bot)
    files = await exported(bot, ana)
    data = json.loads(files["kindling-2026-03-02.json"])
    assert data["tables"]["acts_done"] == []
    assert "Nothing written yet." in files["kindling-journal-2026-03-02.md"].decode()
    assert files["kindling-acts-2026-03-02.csv"].decode().splitlines() == [
        "local_date,text,note,act_id,done_at,id,remembered_on"
    ]


async def test_export_before_start(bot: Harness) -> None:
    eve = bot.person("Eve")
    await bot.say(eve, "/export")
    assert "/start" in (eve.last_message.text or "")


async def test_delete_cancel_keeps_everything(bot: Harness) -> None:
    ana = await onboarded(bot)
    await bot.say(ana, "/done a kind word")
    await bot.say(ana, "/delete")
    assert ana.last_message.buttons == [["Yes, erase everything"], ["Cancel"]]
    await bot.press(ana, "Cancel")
    assert "Nothing was erased" in (ana.last_message.text or "")
    assert ana.last_message.buttons == []
    assert await rows(bot, User) == 1
    assert await rows(bot, ActDone) == 1


async def test_delete_erases_and_confirms_counts(bot: Harness) -> None:
    ana = await onboarded(bot, "Ana")
    bob = await onboarded(bot, "Bob")
    await bot.say(ana, "/done a kind word")
    await seed(bot, ana, acts=[(TODAY - timedelta(days=1), "more", None)])
    await seed(bot, bob, acts=[(TODAY, "Bob's act", None)])
    await bot.say(ana, "/delete")
    await bot.press(ana, "Yes, erase everything")
    text = ana.last_message.text or ""
    assert "Everything I kept about you is erased" in text
    assert "acts of kindness: 2" in text
    assert "I won't write to you again" in text
    assert await rows(bot, User) == 1
    assert await rows(bot, ActDone) == 1  # Bob's

    # The same button again, or /export now: nothing there, nothing sent but the answer.
    await bot.deliver(await ana.press_data(ana.last_message.message_id, "dx:20260302:1"))
    assert "nothing to erase" in (ana.callback_answers[-1]["text"] or "")
    await bot.say(ana, "/export")
    assert "/start" in (ana.last_message.text or "")
    assert all(m.kind == "text" for m in ana.messages)


async def test_stale_and_forged_confirmations_erase_nothing(bot: Harness) -> None:
    ana = await onboarded(bot, "Ana")
    bob = await onboarded(bot, "Bob")
    ana_id = (await user_of(bot, ana)).id
    bob_id = (await user_of(bot, bob)).id
    await bot.say(ana, "/delete")
    question = ana.last_message.message_id
    [[confirm], _] = ana.last_message.button_data
    assert confirm == f"dx:20260302:{ana_id}"

    # Bob replays Ana's button (or forges one with his date): not his, nothing happens.
    await bot.say(bob, "/delete")
    await bot.deliver(await bob.press_data(bob.last_message.message_id, confirm))
    assert "expired" in (bob.callback_answers[-1]["text"] or "")
    # Ana forges one naming Bob.
    await bot.deliver(await ana.press_data(question, f"dx:20260302:{bob_id}"))
    assert "expired" in (ana.callback_answers[-1]["text"] or "")
    # A malformed one goes to the generic out-of-date answer.
    await bot.deliver(await ana.press_data(question, "dx:2026030:1"))
    assert "out of date" in (ana.callback_answers[-1]["text"] or "")
    assert await rows(bot, User) == 2

    # Ana's own button, three days on: expired.
    bot.clock.advance(timedelta(days=3))
    await bot.press(ana, "Yes, erase everything")
    assert "expired" in (ana.callback_answers[-1]["text"] or "")
    assert await rows(bot, User) == 2

    # A fresh /delete works, and only for Ana.
    await bot.say(ana, "/delete")
    await bot.press(ana, "Yes, erase everything")
    assert await rows(bot, User) == 1
    # Her older question's button, pressed after she started again, erases nothing new.
    await bot.say(ana, "/start")
    await bot.deliver(await ana.press_data(question, confirm))
    assert await rows(bot, User) == 2


async def test_menu_and_help_list_the_new_commands_once(bot: Harness) -> None:
    names = [command.command for command in bot_commands(translator_for(None))]
    assert len(names) == len(set(names))
    for name in ("journal", "week", "privacy", "export", "delete"):
        assert name in names
    ana = bot.person("Ana")
    await bot.say(ana, "/help")
    for name in ("journal", "week", "privacy", "export", "delete"):
        assert f"/{name} – " in (ana.last_message.text or "") or f"/{name} –" in (
            ana.last_message.text or ""
        )


async def test_nothing_people_wrote_reaches_the_logs(bot: Harness) -> None:
    """Even at DEBUG, with the operator's logging set up as ``python -m bot`` does."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("DEBUG", [], stream)
    try:
        secret = "my secret feeling 🫶 סוד"
        ana = await onboarded(bot)
        await bot.say(ana, "/done " + secret)
        await bot.say(ana, secret)
        await seed(bot, ana, reflections=[(TODAY, 2, secret)])
        for command in ("/journal", "/week", "/export", "/delete"):
            await bot.say(ana, command)
        await bot.press(ana, "Yes, erase everything")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name in ("httpx", "httpcore", "aiosqlite", "sqlalchemy.engine"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    output = stream.getvalue()
    assert "erased user_id=" in output
    assert "secret" not in output
    assert "סוד" not in output
