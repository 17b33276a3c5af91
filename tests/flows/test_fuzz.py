"""Fuzzing the front door: generated updates of every kind through the real Application.

Each example builds a fresh world (a new database, the Application against a new fake, a
"victim" who has a plan, a logged act and an open reflection, and an "actor" at some stage of
their own use), then the actor sends a few generated updates: any Unicode, media of every
type, forged buttons pointing at the victim's rows, inline queries, membership changes,
update kinds Kindling has never heard of. After every update:

* no handler raised (the error handler was never reached);
* every callback query and inline query was answered;
* Telegram accepted every request the bot made (nothing over its limits, nothing malformed);
* the victim's rows, and the victim's chat, did not change.

The examples are derandomized so the suite is stable; ``KINDLING_FUZZ=random`` draws fresh
ones and ``KINDLING_FUZZ_EXAMPLES=<n>`` runs more (for a long local session).
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from telegram import Update

from bot import i18n
from bot.deps import Context
from bot.sandbox.models import ChatState, RecordedCall
from bot.sandbox.users import SimulatedUser
from storage.engine import Database
from storage.models import metadata
from tests.fakes.harness import Harness, running_bot
from tests.fakes.updates import (
    TALLY,
    TODAY,
    ChatKind,
    Move,
    Press,
    World,
    data_of,
    forgeries,
    moves,
    perform,
    shifted,
    users,
)
from tests.flows.helpers import onboarded
from tests.flows.looking_back import seed, user_of

RANDOM: Final = os.environ.get("KINDLING_FUZZ") == "random"
EXAMPLES: Final = int(os.environ.get("KINDLING_FUZZ_EXAMPLES", "100"))


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings of the fuzz tests.

    No deadline: the machine's speed must not matter. Derandomized unless asked, so the suite
    runs the same examples every time. The tests use only the session-scoped SQLite template
    as a fixture (each example builds its own world), so no health check needs suppressing.
    """
    return settings(max_examples=examples, deadline=None, derandomize=not RANDOM)


STAGES: Final = ("new", "started", "onboarded", "planned", "stopped")

# Answers Telegram gives to requests a correct bot makes anyway: settle_press edits a message
# in place and falls back to sending a new one when it is gone or unchanged.
BENIGN: Final = ("message is not modified", "message to edit not found")


@dataclass
class Probe:
    """What the Application did wrong, as seen by an extra error handler."""

    errors: list[BaseException] = field(default_factory=list)

    async def record(self, update: object, context: Context) -> None:
        """Keep the error the Application's own handler was also given."""
        if context.error is not None:
            self.errors.append(context.error)


async def _press_prefix(bot: Harness, person: SimulatedUser, prefix: str) -> None:
    message = person.last_message
    data = next(d for row in message.button_data for d in row if d and d.startswith(prefix))
    await bot.deliver(await person.press_data(message.message_id, data))


async def _set_up_victim(bot: Harness) -> SimulatedUser:
    """Someone with an open plan, a logged act, a reflection, and buttons for each."""
    vic = await onboarded(bot, "Vic")
    # An act in their own words first, so the plan made next stays open with its Done button.
    await bot.say(vic, "/done Called my sister")
    await bot.say(vic, "/today")
    await _press_prefix(bot, vic, "mp:")
    await _press_prefix(bot, vic, "mc:")
    # The evening question stays open (an outcome would close the plan); yesterday's is done.
    await bot.say(vic, "/reflect")
    await seed(bot, vic, reflections=[(TODAY - timedelta(days=1), 4, "A neighbour smiled")])
    # Buttons carrying Vic's own ids and dates, for the actor to forge.
    for command in ("/settings", "/journal", "/delete"):
        await bot.say(vic, command)
    return vic


async def _set_up_actor(bot: Harness, fields: dict[str, Any], stage: str) -> SimulatedUser:
    actor = bot.fake.add_user(
        first_name=fields["first_name"],
        language_code=fields.get("language_code"),
        username=fields.get("username"),
        last_name=fields.get("last_name"),
        is_premium=bool(fields.get("is_premium")),
    )
    if stage == "new":
        return actor
    await bot.say(actor, "/start")
    if stage == "started":
        return actor
    await bot.say(actor, "Europe/Berlin")
    # The button speaks the actor's language, as the bot picks it from their language_code.
    await bot.press(actor, i18n.translator_for(fields.get("language_code"))("Sounds good"))
    if stage == "planned":
        await bot.say(actor, "/today")
        await _press_prefix(bot, actor, "mp:")
        await _press_prefix(bot, actor, "mc:")
        await bot.say(actor, "done")
    elif stage == "stopped":
        await bot.say(actor, "/stop")
    return actor


async def _row_ids(bot: Harness, person: SimulatedUser, prefix: str) -> dict[str, str]:
    """The ids forged buttons may point at: the person's users.id, plan and act."""
    if person.chat_state is None:
        return {}
    async with bot.db.session() as session:
        connection = await session.connection()
        users_table = metadata.tables["users"]
        found = (
            await connection.execute(
                select(users_table.c.id).where(users_table.c.telegram_user_id == person.id)
            )
        ).first()
        if found is None:
            return {}
        ids = {f"{prefix}.user": str(found[0])}
        for name, table in (("plan", "daily_plans"), ("act", "acts_done")):
            column = metadata.tables[table].c
            row = await connection.execute(select(column.id).where(column.user_id == found[0]))
            first = row.first()
            if first is not None:
                ids[f"{prefix}.{name}"] = str(first[0])
    return ids


async def snapshot(bot: Harness, person: SimulatedUser) -> dict[str, list[tuple[Any, ...]]]:
    """Every row about ``person``, table by table."""
    user_id = (await user_of(bot, person)).id
    rows: dict[str, list[tuple[Any, ...]]] = {}
    async with bot.db.session() as session:
        connection = await session.connection()
        for table in metadata.sorted_tables:
            if table.name != "users" and "user_id" not in table.c:
                continue  # not about one person (instance leases and the like)
            key = table.c.id if table.name == "users" else table.c.user_id
            result = await connection.execute(select(table).where(key == user_id))
            rows[table.name] = sorted((tuple(row) for row in result), key=repr)
    return rows


@dataclass(frozen=True)
class VictimTemplate:
    """Vic, set up once per session: their rows in a SQLite file and their chat in the fake.

    Vic's set-up is the same in every example (the clock is fixed), so it is built once and
    copied into each example's world: two thirds of the fuzz tests' time otherwise.
    """

    database: Path
    user: dict[str, Any]
    chat: ChatState


_victims: dict[Path, VictimTemplate] = {}


async def victim_template(template: Path) -> VictimTemplate:
    """Vic's template on top of the migrated ``template`` database, built on first use."""
    if template in _victims:
        return _victims[template]
    path = template.with_name("kindling-fuzz-victim.db")
    shutil.copyfile(template, path)
    db = Database(f"sqlite:///{path}")
    try:
        async with running_bot(db) as bot:
            probe = Probe()
            bot.app.add_error_handler(probe.record)
            vic = await _set_up_victim(bot)
            assert probe.errors == [], "Vic's set-up failed"
            assert vic.chat_state is not None
            victim = VictimTemplate(path, dict(vic.data), copy.deepcopy(vic.chat_state))
    finally:
        # The last connection closing checkpoints the WAL into the file, so it copies whole.
        await db.dispose()
    _victims[template] = victim
    return victim


@asynccontextmanager
async def fresh_world(
    template: Path, actor_fields: dict[str, Any], stage: str
) -> AsyncIterator[tuple[Harness, World, Probe]]:
    """A new database, Application, fake, victim and actor for one example."""
    victim = await victim_template(template)
    folder = Path(tempfile.mkdtemp(prefix="kindling-fuzz-"))
    try:
        path = folder / "kindling.db"
        shutil.copyfile(victim.database, path)
        db = Database(f"sqlite:///{path}")
        try:
            async with running_bot(db) as bot:
                probe = Probe()
                bot.app.add_error_handler(probe.record)
                before = len(bot.fake.pending_updates)
                vic = bot.fake.add_user(
                    first_name=victim.user["first_name"],
                    language_code=victim.user.get("language_code"),
                    user_id=victim.user["id"],
                )
                bot.fake.chats[vic.id] = copy.deepcopy(victim.chat)
                actor = await _set_up_actor(bot, actor_fields, stage)
                chats: dict[ChatKind, int] = {
                    "group": bot.fake.add_group("Friends").id,
                    "supergroup": bot.fake.add_group("Club", username="kind_club").id,
                    "channel": bot.fake.add_channel("News", username="kind_news").id,
                }
                refs = {
                    **await _row_ids(bot, vic, "victim"),
                    **await _row_ids(bot, actor, "actor"),
                }
                TALLY.setup += len(bot.fake.pending_updates) - before
                world = World(fake=bot.fake, actor=actor, victim=vic, chats=chats, refs=refs)
                assert probe.errors == [], "the set-up itself failed"
                yield bot, world, probe
        finally:
            await db.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def rejected(calls: Sequence[RecordedCall]) -> list[str]:
    """Requests Telegram refused, as ``method: description`` (benign refusals left out)."""
    found = []
    for call in calls:
        if call.status == 200:
            continue
        description = str((call.response or {}).get("description", call.status))
        if call.status == 400 and any(words in description for words in BENIGN):
            continue
        found.append(f"{call.method}: {description}")
    return found


async def check_move(bot: Harness, world: World, probe: Probe, move: Move) -> None:
    """Deliver one generated update and check every property after it."""
    fake = world.fake
    calls_before = len(fake.calls)
    victim_sent = world.victim.chat_state.bot_messages_sent if world.victim.chat_state else 0
    update = perform(world, move)
    await bot.app.process_update(Update.de_json(update, bot.app.bot))
    TALLY.generated += 1

    assert probe.errors == [], f"{move!r} reached the error handler: {probe.errors!r}"
    calls = fake.calls[calls_before:]
    assert rejected(calls) == [], f"{move!r}: Telegram refused requests"
    if "callback_query" in update:
        answered = {a["callback_query_id"] for a in fake.callback_answers}
        assert update["callback_query"]["id"] in answered, f"{move!r} left the button spinning"
    if "inline_query" in update:
        answered = {a["inline_query_id"] for a in fake.inline_answers}
        assert update["inline_query"]["id"] in answered, f"{move!r} got no inline answer"
    state = world.victim.chat_state
    assert state is not None
    assert state.bot_messages_sent == victim_sent, f"{move!r} wrote to someone else"


@fuzz_settings(EXAMPLES)
@given(
    actor=users(),
    stage=st.sampled_from(STAGES),
    script=st.lists(moves(), min_size=1, max_size=10),
)
async def test_no_update_breaks_the_bot_or_touches_someone_else(
    sqlite_template: Path, actor: dict[str, Any], stage: str, script: list[Move]
) -> None:
    # Only the session-scoped template is a fixture: each example builds its own world, so
    # examples never share state and a failure replays exactly when shrunk.
    await run_script(sqlite_template, actor, stage, script)


@fuzz_settings(EXAMPLES // 2)
@given(
    actor=users(),
    stage=st.sampled_from(STAGES),
    script=st.lists(forgeries(), min_size=1, max_size=12),
)
async def test_forged_and_stale_buttons_change_nobody_elses_rows(
    sqlite_template: Path, actor: dict[str, Any], stage: str, script: list[Move]
) -> None:
    # Rare among all moves, so drawn on their own: the victim's buttons (their users.id, plan
    # and act ids, their dates) pressed by the actor, and everyone's buttons on other days.
    await run_script(sqlite_template, actor, stage, script)


async def run_script(
    template: Path, actor: dict[str, Any], stage: str, script: Sequence[Move]
) -> None:
    """One example: a fresh world, the moves, the properties after each and at the end."""
    TALLY.examples += 1
    async with fresh_world(template, actor, stage) as (bot, world, probe):
        victim_rows = await snapshot(bot, world.victim)
        # Something to protect: Vic's plan, act and reflection exist.
        assert all(victim_rows[t] for t in ("daily_plans", "acts_done", "reflections"))
        for move in script:
            await check_move(bot, world, probe, move)
        assert await snapshot(bot, world.victim) == victim_rows


@pytest.mark.parametrize("stage", STAGES)
async def test_every_button_of_someone_else_changes_nothing_of_theirs(
    sqlite_template: Path, stage: str
) -> None:
    # Exhaustive where the generated tests sample: each of Vic's buttons, as shown, a day
    # earlier and a day later, pressed by someone else.
    TALLY.examples += 1
    async with fresh_world(sqlite_template, {"first_name": "Al"}, stage) as (bot, world, probe):
        victim_rows = await snapshot(bot, world.victim)
        shown = sorted({data for m in world.victim.messages for data in data_of(m)})
        assert len(shown) >= 20
        for data in shown:
            for shift in (0, -1, 1):
                await check_move(bot, world, probe, Press(shifted(data, shift)))
        assert await snapshot(bot, world.victim) == victim_rows
