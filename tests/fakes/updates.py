"""Hypothesis strategies for Bot API updates of every kind, and how they reach the fake.

A strategy draws a :class:`Move`: a plain description of what someone does (writes any text,
sends a sticker, presses a forged button, joins a channel...). :func:`perform` turns a move
into real update JSON through the fake Bot API, so the fake knows the message (replies and
callback answers then validate like Telegram) and the update goes over the wire format:
JSON-encoded and decoded again, with lone surrogates escaped as ``\\udXXX``.

Moves name the people they concern symbolically (:class:`Ref`), because row ids exist only
once a generated example has set up its world.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final, Literal

from hypothesis import strategies as st

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.models import ChatState, MessageKind, StoredMessage
from bot.sandbox.users import SimulatedUser, command_entities
from bot.sandbox.validation import utf16_len
from bot.ui.callbacks import MAX_BYTES, Action, encode, parse

ChatKind = Literal["private", "group", "supergroup", "channel"]

COMMANDS: Final = (
    "start",
    "today",
    "done",
    "reflect",
    "journal",
    "week",
    "settings",
    "timezone",
    "morning",
    "evening",
    "pause",
    "resume",
    "stop",
    "privacy",
    "export",
    "delete",
    "help",
    "crisis",
)
"""Every command Kindling has (``/export`` and ``/week`` are the slow ones)."""

JUNK_ARGUMENTS: Final = (
    "99:99",
    "25:00",
    "24:00",
    "23:60",
    "-1:30",
    "8:30pm",
    "0",
    "-3",
    "3.5",
    "1e9",
    "NaN",
    "inf",
    "99999999999999999999999999",
    "Mars/Olympus",
    "Etc/GMT+99",
    "UTC+25",
    "../../etc/passwd",
    "America/",
    "/",
    "crisis",
    "on",
    " ",
    "\n",
    "\t8:30",
    "8:30 and more words",
    "🕗",
    "٨:٣٠",
    "x" * 500,
    "é" * 500,
    "🙂" * 500,
)
"""Arguments no command expects: out-of-range times, unknown zones, negative days, floods."""

#: Local dates of the examples (the harness starts on 2026-03-02, UTC).
TODAY: Final = date(2026, 3, 2)

SAFE_TEXT: Final = st.characters(codec="utf-8")
"""Every code point Telegram can carry, control characters included."""

ANY_TEXT: Final = st.characters()
"""Every code point, lone surrogates too (they travel escaped in JSON)."""


TRICKY: Final = (
    "<b>",
    "&",
    "&amp;",
    "<",
    "</i>",
    "%(name)s",
    "%s",
    "{0}",
    "\\",
    "*_`[",
    "\u200f",
    "\u2068",
    "\x00",
    "\r\n",
    "👨\u200d👩\u200d👧",
    "\ud83d",
    "I want to die ",
)
"""Chunks that break escaping, formatting, placeholders, direction, or trip the crisis screen."""


def texts(*, max_size: int = 10_000) -> st.SearchStrategy[str]:
    """Any text from empty to ``max_size`` characters, short ones most often.

    Long texts repeat a drawn chunk, because Hypothesis by itself seldom draws thousands of
    characters and the lengths near Telegram's limits (4096, 1024) are the interesting ones.
    """
    short = st.text(st.one_of(SAFE_TEXT, ANY_TEXT), max_size=80)
    lengths = st.sampled_from([0, 1, 64, 255, 256, 1023, 1024, 1025, 4095, 4096, 4097])
    long = st.builds(
        _stretch,
        st.one_of(
            st.text(st.one_of(SAFE_TEXT, ANY_TEXT), min_size=1, max_size=12),
            st.sampled_from(TRICKY),
        ),
        st.one_of(lengths, st.integers(min_value=0, max_value=max_size)),
    )
    return st.one_of(short, short, long).map(lambda text: text[:max_size])


def _stretch(chunk: str, length: int) -> str:
    return (chunk * (length // len(chunk) + 1))[:length]


@dataclass
class Tally:
    """How many updates went through the Application this session (printed at the end)."""

    generated: int = 0
    setup: int = 0
    examples: int = 0

    def summary(self) -> str | None:
        """The line for the terminal summary, or ``None`` when no fuzz test ran."""
        if self.examples == 0:
            return None
        return (
            f"fuzz: {self.generated} generated updates through the Application "
            f"({self.examples} examples; {self.setup} more to set them up)"
        )


TALLY: Final = Tally()


# ---------------------------------------------------------------------------------------------
# Symbolic references, resolved once the example's world exists
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A value known only once the world is set up: ``victim.user`` is the victim's users.id."""

    name: str


#: What forged buttons may point at: the victim's rows (forged for another person), the
#: actor's own rows, and ids nobody has.
ROW_REFS: Final = (
    "victim.user",
    "victim.plan",
    "victim.act",
    "actor.user",
    "actor.plan",
    "actor.act",
)


@dataclass(frozen=True)
class World:
    """What :func:`perform` needs: the fake, the people and chats, and the rows' ids."""

    fake: FakeTelegram
    actor: SimulatedUser
    victim: SimulatedUser
    chats: Mapping[ChatKind, int]
    refs: Mapping[str, str]
    update_ids: Callable[[], int] = field(default=itertools.count(10**9).__next__)

    def resolve(self, arg: str | Ref) -> str:
        """The concrete argument (``"0"`` for a row that does not exist in this example)."""
        return self.refs.get(arg.name, "0") if isinstance(arg, Ref) else arg


# ---------------------------------------------------------------------------------------------
# Moves
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text message (maybe a reply to the bot's latest message, maybe a forward)."""

    text: str
    chat: ChatKind = "private"
    reply_to_bot: bool = False
    forward: str | None = None  # "user", "hidden_user", "chat", "channel"
    edited: bool = False


@dataclass(frozen=True)
class Command:
    """``/name args``, with a ``bot_command`` entity as Telegram adds it."""

    name: str
    args: str
    chat: ChatKind = "private"
    mention: str | None = None  # "@kindling_bot", "@other_bot"


@dataclass(frozen=True)
class Media:
    """A non-text message: photo, sticker, voice, poll, dice, a service message..."""

    kind: str
    caption: str | None
    chat: ChatKind = "private"
    edited: bool = False
    detail: int = 0  # varies coordinates, dice values, durations


@dataclass(frozen=True)
class Press:
    """A callback query with ``data`` from ``message`` (``None``: a message that is gone)."""

    data: str | tuple[Action, str, str | Ref]  # literal data, or (action, date code, arg)
    message: Literal["latest", "first", "gone"] = "latest"


@dataclass(frozen=True)
class PressShown:
    """A real button the bot shows the actor, by position among all of them."""

    index: int


@dataclass(frozen=True)
class Steal:
    """A button shown to someone else (or to the actor, ``own``), pressed by the actor.

    ``shift`` moves the button's date by that many days: a stale or a future button.
    """

    index: int
    shift: int = 0
    own: bool = False


@dataclass(frozen=True)
class InlineQuery:
    """``@bot query`` in any chat."""

    query: str
    chat_type: str | None = "sender"


@dataclass(frozen=True)
class ChosenInline:
    """A ``chosen_inline_result``, for a result the bot offered or a forged one."""

    result_id: str
    query: str


@dataclass(frozen=True)
class ChatMember:
    """``my_chat_member``: the bot was blocked, unblocked, added to or removed from a chat."""

    chat: ChatKind
    old: str
    new: str


@dataclass(frozen=True)
class Raw:
    """An update of a type Kindling does not handle, or one it has never heard of."""

    kind: str


Move = (
    Text
    | Command
    | Media
    | Press
    | PressShown
    | Steal
    | InlineQuery
    | ChosenInline
    | ChatMember
    | Raw
)

MEDIA_KINDS: Final = (
    "photo",
    "sticker",
    "voice",
    "video",
    "video_note",
    "audio",
    "animation",
    "document",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "story",
    "web_app_data",
    "new_chat_members",
    "left_chat_member",
    "new_chat_title",
    "pinned_message",
    "empty",
)
RAW_KINDS: Final = (
    "empty",
    "unknown",
    "poll",
    "poll_answer",
    "message_reaction",
    "chat_join_request",
    "business_message",
    "callback_without_data",
)

_CHATS: Final = st.sampled_from(
    ["private", "private", "private", "group", "supergroup", "channel"]
)
_DATE_CODES: Final = ("today", "yesterday", "tomorrow", "year_ago", "far_future", "none")
_ARGS: Final = st.one_of(
    st.sampled_from([Ref(name) for name in ROW_REFS]),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1",
            "2",
            "7",
            "6",
            "99999999999999999999",
            "did",
            "partly",
            "not_today",
            "skipped",
            "o",
            "n",
            "enc",
            "thx",
            "zone",
            "morning",
            "evening",
            "days",
            "pause",
            "resume",
            "stop",
            "back",
            "Europe/Berlin",
            "Mars/Olympus",
            "America/New_York",
            "Pacific/Kiritimati",
            "smile_stranger",
            "encourage_colleague",
            "thank_message",
        ]
    ),
    st.from_regex(r"[A-Za-z0-9_./+\-]{0,40}", fullmatch=True),
)


def callback_data() -> st.SearchStrategy[str | tuple[Action, str, str | Ref]]:
    """Any text up to 64 bytes, or well-formed data of every action, forged or stale."""

    def fits(text: str) -> bool:
        return len(text.encode("utf-8", "surrogatepass")) <= MAX_BYTES

    junk = st.text(st.one_of(SAFE_TEXT, ANY_TEXT), min_size=1, max_size=64).filter(fits)
    shaped = st.builds(
        lambda prefix, stamp, arg: f"{prefix}:{stamp}:{arg}",
        st.sampled_from([a.value for a in Action] + ["xx", ""]),
        st.sampled_from(["-", "20260302", "20261399", "00000000", "２０２６０３０２", ""]),
        st.text(max_size=20),
    ).filter(fits)
    formats = st.tuples(st.sampled_from(list(Action)), st.sampled_from(_DATE_CODES), _ARGS)
    return st.one_of(junk, shaped, formats, formats)


def forgeries() -> st.SearchStrategy[Move]:
    """Buttons pressed by the wrong person or on the wrong day, and the actor's own buttons."""
    steal = st.builds(
        Steal,
        index=st.integers(min_value=0, max_value=50),
        shift=st.sampled_from([0, 0, 0, 0, 0, -1, 1, -2, -7, -400, 3000]),
        own=st.sampled_from([False, False, False, True]),
    )
    return st.one_of(steal, steal, st.builds(PressShown, index=st.integers(0, 50)))


def moves() -> st.SearchStrategy[Move]:
    """One move of any kind."""
    commands = st.builds(
        Command,
        name=st.one_of(
            st.sampled_from(COMMANDS),
            st.sampled_from(["foo", "MORNING", "start_", "a" * 32, "done2"]),
        ),
        args=st.one_of(st.just(""), st.sampled_from(JUNK_ARGUMENTS), texts(max_size=500)),
        chat=_CHATS,
        mention=st.sampled_from([None, None, "@kindling_bot", "@other_bot"]),
    )
    return st.one_of(
        st.builds(
            Text,
            text=texts(),
            chat=_CHATS,
            reply_to_bot=st.booleans(),
            forward=st.sampled_from([None, None, "user", "hidden_user", "chat", "channel"]),
            edited=st.booleans(),
        ),
        st.builds(Text, text=st.sampled_from(["done", "Done!", "not today", "8:30", "Berlin"])),
        commands,
        commands,
        st.builds(
            Media,
            kind=st.sampled_from(MEDIA_KINDS),
            caption=st.one_of(st.none(), texts(max_size=2000)),
            chat=_CHATS,
            edited=st.booleans(),
            detail=st.integers(min_value=0, max_value=2**31),
        ),
        st.builds(
            Press,
            data=callback_data(),
            message=st.sampled_from(["latest", "latest", "first", "gone"]),
        ),
        forgeries(),
        forgeries(),
        st.builds(
            InlineQuery,
            query=texts(max_size=256),
            chat_type=st.sampled_from([None, "sender", "private", "group", "channel"]),
        ),
        st.builds(
            ChosenInline,
            result_id=st.one_of(
                st.sampled_from(["enc:proud", "thx:got_this", "enc:", ":proud", "thx:nope"]),
                st.text(max_size=64),
            ),
            query=texts(max_size=256),
        ),
        st.builds(
            ChatMember,
            chat=_CHATS,
            old=st.sampled_from(["member", "left", "kicked"]),
            new=st.sampled_from(["member", "left", "kicked"]),
        ),
        st.builds(Raw, kind=st.sampled_from(RAW_KINDS)),
    )


def users() -> st.SearchStrategy[dict[str, Any]]:
    """Who the actor is: any first name, with or without language code and username."""
    return st.fixed_dictionaries(
        {"first_name": texts(max_size=64).filter(bool)},
        optional={
            "language_code": st.sampled_from(["en", "de", "he", "ar", "pt-br", "zz", "EN", ""]),
            "username": st.from_regex(r"[A-Za-z][A-Za-z0-9_]{4,31}", fullmatch=True),
            "last_name": texts(max_size=64),
            "is_premium": st.just(True),
        },
    )


# ---------------------------------------------------------------------------------------------
# Performing a move
# ---------------------------------------------------------------------------------------------


def wire(update: Mapping[str, Any]) -> dict[str, Any]:
    """The update as it arrives over HTTP: JSON (lone surrogates escaped) decoded again."""
    decoded: dict[str, Any] = json.loads(json.dumps(update, ensure_ascii=True))
    return decoded


def _local_date(code: str) -> date | None:
    offsets = {"today": 0, "yesterday": -1, "tomorrow": 1, "year_ago": -365, "far_future": 4000}
    return TODAY + timedelta(days=offsets[code]) if code in offsets else None


def _data(world: World, data: str | tuple[Action, str, str | Ref]) -> str:
    if isinstance(data, str):
        return data
    action, stamp, arg = data
    try:
        return encode(action, _local_date(stamp), world.resolve(arg))
    except ValueError:  # an argument encode refuses: send the same shape unchecked
        return f"{action.value}:-:{world.resolve(arg)}"[:MAX_BYTES]


def _file(kind: str, detail: int) -> dict[str, Any]:
    return {"file_id": f"USR{kind}{detail}", "file_unique_id": f"u{kind}{detail}"[:32]}


def media_content(kind: str, detail: int, world: World, state: ChatState) -> dict[str, Any]:
    """The Bot API fields of a message of ``kind`` (empty for a message with no content)."""
    size = {"width": 1 + detail % 4000, "height": 1 + detail % 3000}
    duration = {"duration": detail % 100_000}
    user = dict(world.victim.data)
    contents: dict[str, dict[str, Any]] = {
        "photo": {"photo": [{**_file("photo", detail), **size}]},
        "sticker": {
            "sticker": {
                **_file("sticker", detail),
                **size,
                "type": "regular",
                "is_animated": detail % 2 == 0,
                "is_video": False,
            }
        },
        "voice": {"voice": {**_file("voice", detail), **duration}},
        "video": {"video": {**_file("video", detail), **size, **duration}},
        "video_note": {"video_note": {**_file("vnote", detail), "length": 240, **duration}},
        "audio": {"audio": {**_file("audio", detail), **duration}},
        "animation": {"animation": {**_file("anim", detail), **size, **duration}},
        "document": {"document": {**_file("doc", detail), "file_name": "x" * (detail % 300)}},
        "location": {"location": _coordinates(detail)},
        "venue": {
            "venue": {"location": _coordinates(detail), "title": "Café", "address": "Somewhere"}
        },
        "contact": {
            "contact": {"phone_number": "+4930123456", "first_name": "Vic", "user_id": user["id"]}
        },
        "poll": {"poll": _poll(detail)},
        "dice": {
            "dice": {
                "emoji": ["🎲", "🎯", "🏀", "⚽", "🎳", "🎰"][detail % 6],
                "value": detail % 64,
            }
        },
        "story": {"story": {"chat": dict(state.chat), "id": detail % 1000}},
        "web_app_data": {"web_app_data": {"data": "x" * (detail % 4096), "button_text": "Go"}},
        "new_chat_members": {"new_chat_members": [user, dict(world.fake.bot_user)]},
        "left_chat_member": {"left_chat_member": dict(world.fake.bot_user)},
        "new_chat_title": {"new_chat_title": "Renamed"},
        "pinned_message": {
            "pinned_message": {"chat": dict(state.chat), "message_id": 1, "date": 0}
        },
        "empty": {},
    }
    return contents[kind]


def _coordinates(detail: int) -> dict[str, float]:
    # Telegram only sends real coordinates; the edges and the poles are the hard ones.
    latitudes = [90.0, -90.0, 0.0, 52.52, -33.87, 89.999999]
    longitudes = [180.0, -180.0, 0.0, 13.405, 151.21, -179.999999]
    return {
        "latitude": latitudes[detail % len(latitudes)],
        "longitude": longitudes[(detail // 7) % len(longitudes)],
    }


def _poll(detail: int) -> dict[str, Any]:
    return {
        "id": str(detail),
        "question": "Which?",
        "options": [
            {"persistent_id": "a", "text": "a", "voter_count": 0},
            {"persistent_id": "b", "text": "b", "voter_count": detail % 9},
        ],
        "total_voter_count": detail % 9,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": False,
        "members_only": False,
    }


_STORED_KINDS: Final[dict[str, MessageKind]] = {
    "photo": "photo",
    "sticker": "sticker",
    "voice": "voice",
    "document": "document",
    "location": "location",
    "new_chat_members": "service",
    "left_chat_member": "service",
    "new_chat_title": "service",
    "pinned_message": "service",
}


def _forward(world: World, origin: str) -> dict[str, Any]:
    channel = world.fake.chats[world.chats["channel"]].chat
    origins: dict[str, dict[str, Any]] = {
        "user": {"type": "user", "sender_user": dict(world.victim.data)},
        "hidden_user": {"type": "hidden_user", "sender_user_name": "Someone"},
        "chat": {"type": "chat", "sender_chat": dict(channel)},
        "channel": {"type": "channel", "chat": dict(channel), "message_id": 7},
    }
    return {"forward_origin": {**origins[origin], "date": int(world.fake.now()) - 60}}


def _post(
    world: World,
    chat: ChatKind,
    *,
    kind: MessageKind,
    text: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    caption: str | None = None,
    content: Mapping[str, Any] | None = None,
    edited: bool = False,
) -> dict[str, Any]:
    fake = world.fake
    channel = chat == "channel"
    state = (
        fake.private_chat(world.actor.data) if chat == "private" else fake.chats[world.chats[chat]]
    )
    extra = dict(content or {})
    if channel:
        extra["sender_chat"] = dict(state.chat)
    message, _ = fake.post_user_message(
        state,
        None if channel else world.actor.data,
        kind=kind,
        text=text,
        entities=entities,
        caption=caption,
        content=extra,
        deliver=False,
    )
    if channel:
        update_type = "edited_channel_post" if edited else "channel_post"
    else:
        update_type = "edited_message" if edited else "message"
    payload = message.to_json()
    if edited:
        payload["edit_date"] = int(fake.now())
    return fake.enqueue_update({update_type: payload})


def _latest_bot_message(world: World, chat: ChatKind) -> dict[str, Any] | None:
    chat_id = world.actor.id if chat == "private" else world.chats[chat]
    messages = world.fake.bot_messages(chat_id)
    return messages[-1].to_json() if messages else None


def perform(world: World, move: Move) -> dict[str, Any]:
    """Make ``move`` happen in the fake and return its update as it comes over the wire."""
    return wire(_perform(world, move))


def _perform(world: World, move: Move) -> dict[str, Any]:
    fake, actor = world.fake, world.actor
    match move:
        case Text(text=text, chat=chat):
            content: dict[str, Any] = {}
            if move.reply_to_bot and (replied := _latest_bot_message(world, chat)) is not None:
                content["reply_to_message"] = replied
            if move.forward is not None:
                content.update(_forward(world, move.forward))
            entities = [] if move.forward else command_entities(text)
            return _post(
                world,
                chat,
                kind="text",
                text=text,
                entities=entities,
                content=content,
                edited=move.edited,
            )
        case Command(name=name, args=args, chat=chat):
            word = f"/{name}{move.mention or ''}"
            text = f"{word} {args}" if args else word
            entity = {"type": "bot_command", "offset": 0, "length": utf16_len(word)}
            return _post(world, chat, kind="text", text=text, entities=[entity])
        case Media(kind=kind, caption=caption, chat=chat):
            state = (
                fake.private_chat(actor.data)
                if chat == "private"
                else fake.chats[world.chats[chat]]
            )
            return _post(
                world,
                chat,
                kind=_STORED_KINDS.get(kind, "other"),
                caption=caption,
                content=media_content(kind, move.detail, world, state),
                edited=move.edited,
            )
        case Press(data=data, message=which):
            state = fake.private_chat(actor.data)
            state.started = True  # a button is pressed on a message the bot sent there
            mine = fake.bot_messages(actor.id)
            if which == "gone" or not mine:
                message = None
            else:
                message = mine[-1] if which == "latest" else mine[0]
            gone_id = state.last_message_id + 1000
            return fake.create_callback_query(
                actor.data, message, actor.id, _data(world, data), message_id=gone_id
            )
        case PressShown(index=index):
            shown = [
                (message, data)
                for message in fake.bot_messages(actor.id)
                for data in data_of(message)
            ]
            if not shown:
                return _perform(world, Command("today", ""))
            message, data = shown[index % len(shown)]
            fake.private_chat(actor.data).started = True
            return fake.create_callback_query(actor.data, message, actor.id, data)
        case Steal(index=index, shift=shift, own=own):
            owner = actor if own else world.victim
            # By action first, so the one Done button weighs as much as five feelings.
            by_action: dict[str, list[str]] = {}
            for message in fake.bot_messages(owner.id):
                for data in data_of(message):
                    by_action.setdefault(data.split(":", 1)[0], []).append(data)
            if not by_action:
                return _perform(world, Command("today", ""))
            actions = sorted(by_action)
            same = by_action[actions[index % len(actions)]]
            state = fake.private_chat(actor.data)
            state.started = True
            mine = fake.bot_messages(actor.id)
            data = shifted(same[index // len(actions) % len(same)], shift)
            return fake.create_callback_query(
                actor.data,
                mine[-1] if mine else None,
                actor.id,
                data,
                message_id=state.last_message_id + 1000,
            )
        case InlineQuery(query=query):
            update = fake.create_inline_query(actor.data, query)
            if move.chat_type is None:
                update["inline_query"].pop("chat_type")
            else:
                update["inline_query"]["chat_type"] = move.chat_type
            return update
        case ChosenInline(result_id=result_id, query=query):
            chosen = {"result_id": result_id, "from": dict(actor.data), "query": query}
            return fake.enqueue_update({"chosen_inline_result": chosen})
        case ChatMember(chat=chat, old=old, new=new):
            chat_state = (
                fake.private_chat(actor.data)
                if chat == "private"
                else fake.chats[world.chats[chat]]
            )
            bot = dict(fake.bot_user)
            change = {
                "chat": dict(chat_state.chat),
                "from": dict(actor.data),
                "date": int(fake.now()),
                "old_chat_member": _member(old, bot),
                "new_chat_member": _member(new, bot),
            }
            return fake.enqueue_update({"my_chat_member": change})
        case Raw(kind=kind):
            return _raw(world, kind)
    raise AssertionError(f"unknown move {move!r}")


def data_of(message: StoredMessage) -> list[str]:
    """The callback data of every button on ``message``."""
    return [data for row in message.button_data for data in row if data is not None]


def shifted(data: str, days: int) -> str:
    """The same button ``days`` later (earlier when negative); data without a date as is."""
    cb = parse(data)
    if cb is None or cb.local_date is None or days == 0:
        return data
    return encode(cb.action, cb.local_date + timedelta(days=days), cb.arg)


def _member(status: str, user: dict[str, Any]) -> dict[str, Any]:
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "kicked":
        member["until_date"] = 0
    return member


def _raw(world: World, kind: str) -> dict[str, Any]:
    fake, actor = world.fake, world.actor
    chat = fake.private_chat(actor.data).chat
    update_id = world.update_ids()
    now = int(fake.now())
    payloads: dict[str, dict[str, Any]] = {
        "empty": {},
        "unknown": {"future_update_kind": {"id": 1, "from": dict(actor.data)}},
        "poll": {"poll": _poll(3)},
        "poll_answer": {
            "poll_answer": {
                "poll_id": "3",
                "user": dict(actor.data),
                "option_ids": [0],
                "option_persistent_ids": ["a"],
            }
        },
        "message_reaction": {
            "message_reaction": {
                "chat": dict(chat),
                "message_id": 1,
                "user": dict(actor.data),
                "date": now,
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": "👍"}],
            }
        },
        "chat_join_request": {
            "chat_join_request": {
                "chat": dict(fake.chats[world.chats["supergroup"]].chat),
                "from": dict(actor.data),
                "user_chat_id": actor.id,
                "date": now,
            }
        },
        "business_message": {
            "business_message": {
                "message_id": 1,
                "date": now,
                "chat": dict(chat),
                "from": dict(actor.data),
                "business_connection_id": "bc1",
                "text": "/today",
            }
        },
        "callback_without_data": {},
    }
    if kind == "callback_without_data":
        # A game button's query: no data at all.
        fake.private_chat(actor.data).started = True
        update = fake.create_callback_query(actor.data, None, actor.id, "", message_id=1)
        del update["callback_query"]["data"]
        update["callback_query"]["game_short_name"] = "game"
        return update
    return {"update_id": update_id, **payloads[kind]}
