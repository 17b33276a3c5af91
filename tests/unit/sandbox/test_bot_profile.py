"""The bot's profile in the fake: descriptions and command menus per language, like Telegram.

Limits from the Bot API documentation: a description has 0-512 characters, a short description
0-120, and ``language_code`` is a two-letter ISO 639-1 code or empty; TDLib's
``validate_bot_language_code`` accepts exactly ``""`` or two lowercase Latin letters and answers
``Invalid language code specified`` otherwise. An empty text removes that language's own value.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot, BotCommand, BotDescription, BotShortDescription
from telegram.error import BadRequest

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.request import fake_bot
from bot.sandbox.validation import MAX_DESCRIPTION_LENGTH, MAX_SHORT_DESCRIPTION_LENGTH

SPEC = Path(__file__).resolve().parents[4] / "shared" / "bot-api" / "bot_api_spec.json"

# (setter, getter, text parameter, limit)
TEXTS = [
    ("setMyDescription", "getMyDescription", "description", MAX_DESCRIPTION_LENGTH),
    (
        "setMyShortDescription",
        "getMyShortDescription",
        "short_description",
        MAX_SHORT_DESCRIPTION_LENGTH,
    ),
]
LANGUAGE_METHODS = [
    ("setMyDescription", {"description": "Hallo"}),
    ("getMyDescription", {}),
    ("setMyShortDescription", {"short_description": "Hallo"}),
    ("getMyShortDescription", {}),
    ("setMyCommands", {"commands": [{"command": "start", "description": "Los"}]}),
    ("getMyCommands", {}),
]
BAD_LANGUAGES = ["DE", "De", "deu", "d", "pt-br", "pt_BR", "d1", "éa", " de", "de "]


async def ok(fake: FakeTelegram, method: str, **params: Any) -> Any:
    status, body = await fake.call(method, params)
    assert (status, body["ok"]) == (200, True), body
    return body["result"]


async def fails(fake: FakeTelegram, method: str, **params: Any) -> tuple[int, str]:
    status, body = await fake.call(method, params)
    assert body["ok"] is False
    assert body["error_code"] == status
    return status, body["description"]


def bad(description: str) -> tuple[int, str]:
    return 400, f"Bad Request: {description}"


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with fake_bot(fake) as bot:
        yield bot


# -- storing and reading ----------------------------------------------------------------------


@pytest.mark.parametrize(("setter", "getter", "key", "limit"), TEXTS)
async def test_texts_are_kept_per_language_with_the_default_as_fallback(
    fake: FakeTelegram, setter: str, getter: str, key: str, limit: int
) -> None:
    assert await ok(fake, getter) == {key: ""}  # nothing set yet
    assert await ok(fake, setter, **{key: "Hello"}) is True
    assert await ok(fake, setter, **{key: "Hallo", "language_code": "de"}) is True
    assert await ok(fake, getter) == {key: "Hello"}
    assert await ok(fake, getter, language_code="") == {key: "Hello"}
    assert await ok(fake, getter, language_code="de") == {key: "Hallo"}
    # A language without its own text gets the default one.
    assert await ok(fake, getter, language_code="fr") == {key: "Hello"}

    # An empty text removes the language's own, so the default shows again there.
    assert await ok(fake, setter, **{key: "", "language_code": "de"}) is True
    assert await ok(fake, getter, language_code="de") == {key: "Hello"}
    # So does a missing one (the parameter is optional).
    assert await ok(fake, setter) is True
    assert await ok(fake, getter) == {key: ""}
    assert await ok(fake, getter, language_code="de") == {key: ""}


async def test_the_two_descriptions_are_separate(fake: FakeTelegram) -> None:
    await ok(fake, "setMyDescription", description="Long text", language_code="de")
    await ok(fake, "setMyShortDescription", short_description="Short", language_code="de")
    assert fake.descriptions == {"de": "Long text"}
    assert fake.short_descriptions == {"de": "Short"}
    assert fake.description_for("de") == "Long text"
    assert fake.short_description_for("de") == "Short"
    assert fake.description_for("fr") == ""


async def test_the_menu_a_person_sees_falls_back_to_the_default_list(fake: FakeTelegram) -> None:
    await ok(fake, "setMyCommands", commands=[{"command": "start", "description": "Begin"}])
    await ok(
        fake,
        "setMyCommands",
        commands=[{"command": "start", "description": "Anfang"}],
        language_code="de",
    )
    assert fake.menu("de") == [{"command": "start", "description": "Anfang"}]
    assert fake.menu("fr") == [{"command": "start", "description": "Begin"}]
    assert fake.menu() == [{"command": "start", "description": "Begin"}]
    # getMyCommands answers the exact list ("If commands aren't set, an empty list is
    # returned"); only a person's menu falls back.
    assert await ok(fake, "getMyCommands", language_code="fr") == []


# -- lengths -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("setter", "getter", "key", "limit"), TEXTS)
async def test_texts_up_to_the_limit_are_taken(
    fake: FakeTelegram, setter: str, getter: str, key: str, limit: int
) -> None:
    for text in ("x", "x" * limit, "é" * limit, "🌱" * limit):  # characters, not bytes
        assert await ok(fake, setter, **{key: text, "language_code": "de"}) is True
        assert await ok(fake, getter, language_code="de") == {key: text}


@pytest.mark.parametrize(("setter", "getter", "key", "limit"), TEXTS)
async def test_a_text_over_the_limit_is_refused_and_changes_nothing(
    fake: FakeTelegram, setter: str, getter: str, key: str, limit: int
) -> None:
    await ok(fake, setter, **{key: "Kept", "language_code": "de"})
    what = key.replace("_", " ")
    for text in ("x" * (limit + 1), "🌱" * (limit + 1), "x" * 5000):
        assert await fails(fake, setter, **{key: text, "language_code": "de"}) == bad(
            f"{what} is too long"
        )
        assert await fails(fake, setter, **{key: text}) == bad(f"{what} is too long")
    assert await ok(fake, getter, language_code="de") == {key: "Kept"}
    assert await ok(fake, getter) == {key: ""}


def test_the_documented_limits() -> None:
    assert (MAX_DESCRIPTION_LENGTH, MAX_SHORT_DESCRIPTION_LENGTH) == (512, 120)


# -- language codes ----------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "params"), LANGUAGE_METHODS)
@pytest.mark.parametrize("language", BAD_LANGUAGES)
async def test_language_codes_are_two_lowercase_letters(
    fake: FakeTelegram, method: str, params: dict[str, Any], language: str
) -> None:
    assert await fails(fake, method, language_code=language, **params) == bad(
        "invalid language code specified"
    )
    assert fake.descriptions == fake.short_descriptions == {}
    assert fake.commands == {}


@pytest.mark.parametrize(("method", "params"), LANGUAGE_METHODS)
async def test_good_language_codes(
    fake: FakeTelegram, method: str, params: dict[str, Any]
) -> None:
    for language in ("", "de", "pt", "uk", "zz"):
        await ok(fake, method, language_code=language, **params)


async def test_a_refused_language_leaves_the_default_untouched(fake: FakeTelegram) -> None:
    await ok(fake, "setMyDescription", description="Hello")
    assert await fails(fake, "setMyDescription", description="", language_code="EN") == bad(
        "invalid language code specified"
    )
    assert fake.descriptions == {"": "Hello"}


# -- types -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("setter", "getter", "key", "limit"), TEXTS)
@pytest.mark.parametrize("value", [{"text": "Hello"}, ["Hello"]])
async def test_a_text_that_is_not_a_string_is_refused(
    fake: FakeTelegram, setter: str, getter: str, key: str, limit: int, value: object
) -> None:
    assert await fails(fake, setter, **{key: value}) == bad(
        f'field "{key}" must be of type String'
    )
    assert await fails(fake, setter, **{key: json.dumps(value)}, language_code="de!") == bad(
        "invalid language code specified"
    )
    assert fake.descriptions == fake.short_descriptions == {}


@pytest.mark.parametrize(("method", "params"), LANGUAGE_METHODS)
@pytest.mark.parametrize("value", [{"code": "de"}, ["de"]])
async def test_a_language_code_that_is_not_a_string_is_refused(
    fake: FakeTelegram, method: str, params: dict[str, Any], value: object
) -> None:
    assert await fails(fake, method, language_code=value, **params) == bad(
        'field "language_code" must be of type String'
    )


async def test_form_encoded_values_like_over_http(fake: FakeTelegram) -> None:
    # Over HTTP every value is a string; a number is text like any other.
    assert await ok(fake, "setMyShortDescription", short_description="42") is True
    assert await ok(fake, "getMyShortDescription") == {"short_description": "42"}
    assert await fails(fake, "getMyDescription", language_code="12") == bad(
        "invalid language code specified"
    )


# -- through python-telegram-bot ---------------------------------------------------------------


async def test_python_telegram_bot_reads_what_it_set(fake: FakeTelegram, bot: Bot) -> None:
    assert await bot.set_my_description("Hello") is True
    assert await bot.set_my_description("Hallo", language_code="de") is True
    assert await bot.set_my_short_description("Hi", language_code="de") is True
    assert await bot.set_my_commands([BotCommand("start", "Los")], language_code="de") is True

    assert await bot.get_my_description("de") == BotDescription("Hallo")
    assert await bot.get_my_description("fr") == BotDescription("Hello")
    assert await bot.get_my_short_description("de") == BotShortDescription("Hi")
    assert await bot.get_my_short_description() == BotShortDescription("")
    assert await bot.get_my_commands(language_code="de") == (BotCommand("start", "Los"),)

    with pytest.raises(BadRequest, match="Description is too long"):
        await bot.set_my_description("x" * 513)
    with pytest.raises(BadRequest, match="Short description is too long"):
        await bot.set_my_short_description("x" * 121, language_code="de")
    with pytest.raises(BadRequest, match="Invalid language code specified"):
        await bot.set_my_description("Olá", language_code="pt-br")
    with pytest.raises(BadRequest, match="Invalid language code specified"):
        await bot.set_my_commands([BotCommand("start", "Olá")], language_code="pt_BR")


# -- the published schema ----------------------------------------------------------------------


def _spec() -> dict[str, Any]:
    if not SPEC.is_file():
        pytest.skip(f"the Bot API schema extract is not here ({SPEC})")
    spec: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    return spec


@pytest.mark.parametrize(
    ("method", "returns"),
    [
        ("setMyDescription", None),
        ("getMyDescription", "BotDescription"),
        ("setMyShortDescription", None),
        ("getMyShortDescription", "BotShortDescription"),
        ("setMyCommands", None),
        ("getMyCommands", None),
    ],
)
async def test_every_parameter_of_the_schema_is_understood(
    fake: FakeTelegram, method: str, returns: str | None
) -> None:
    spec = _spec()
    parameters = spec["methods"][method]
    values = {
        "description": "Hallo",
        "short_description": "Hallo",
        "language_code": "de",
        "commands": [{"command": "start", "description": "Los"}],
        "scope": {"type": "default"},
    }
    assert set(parameters) <= set(values), "a parameter the fake does not know"
    assert parameters["language_code"] == {"required": False, "types": ["String"]}
    for name in ("description", "short_description"):
        if name in parameters:
            assert parameters[name] == {"required": False, "types": ["String"]}
    result = await ok(fake, method, **{name: values[name] for name in parameters})
    if returns is not None:
        assert set(result) == set(spec["types"][returns]["fields"])
