"""Kindling in every shipped language, through the real Application: onboarding, the morning
choice, "done" by reply, the evening reflection, /help and /crisis; choosing the language
(/language, its buttons, /settings) and the help shown for the country a person lives in.

Expected texts come from the same ui functions and catalogs the bot uses, so each test holds
for every variant the bot can pick; what is checked is that the person's language is used
end to end (and, for the languages other than English, that the English text is not).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import select

from bot.i18n import Translator, isolate, translator_for
from bot.kindness.helplines import country_of_zone, help_for
from bot.kindness.lexicon import language_name, lexicons
from bot.sandbox.formatting import parse_html
from bot.sandbox.users import SimulatedUser
from bot.ui import daily, texts, variants
from bot.ui import language as language_ui
from bot.ui import preferences as settings_ui
from storage.models import Reflection, ReflectionOutcome, User
from tests.fakes.harness import Harness


@dataclass(frozen=True)
class Speaker:
    """Someone whose Telegram is set to ``telegram_code`` and who lives in ``zone``."""

    code: str  # Kindling's catalog
    telegram_code: str
    zone: str


SPEAKERS = [
    Speaker("en", "en", "Europe/London"),
    Speaker("de", "de", "Europe/Berlin"),
    Speaker("es", "es", "Europe/Madrid"),
    Speaker("fr", "fr", "Europe/Paris"),
    Speaker("it", "it", "Europe/Rome"),
    Speaker("pt_BR", "pt-br", "America/Sao_Paulo"),
    Speaker("ru", "ru", "Europe/Moscow"),
    Speaker("uk", "uk", "Europe/Kyiv"),
    Speaker("tr", "tr", "Europe/Istanbul"),
    Speaker("ar", "ar", "Africa/Cairo"),
    Speaker("id", "id", "Asia/Jakarta"),
]
ENGLISH = translator_for("en")


def plain(html: str) -> str:
    """What Telegram shows of an HTML text."""
    return parse_html(html)[0]


def text_of(person: SimulatedUser) -> str:
    return person.last_message.text or ""


def not_english(t: Translator, source: str) -> None:
    """The catalog really translates ``source`` (so the assertions below could fail)."""
    if t.locale != "en":
        assert t(source) != source, (t.locale, source)


async def onboard(bot: Harness, speaker: Speaker, name: str = "Ana") -> SimulatedUser:
    t = translator_for(speaker.code)
    person = bot.person(name, language_code=speaker.telegram_code)
    await bot.say(person, "/start")
    assert any(plain(texts.welcome(t, name)) == m.text for m in person.messages)
    await bot.say(person, speaker.zone)
    not_english(t, "Sounds good")
    await bot.press(person, t("Sounds good"))
    return person


@pytest.mark.parametrize("speaker", SPEAKERS, ids=lambda s: s.code)
async def test_the_daily_ritual_speaks_the_persons_language(
    bot: Harness, speaker: Speaker
) -> None:
    t = translator_for(speaker.code)
    lexicon = lexicons()[speaker.code]
    ana = await onboard(bot, speaker)

    await bot.say(ana, "/today")
    assert any(opener in text_of(ana) for opener in map(plain, variants.openers(t)))
    await bot.press(ana, ana.last_message.buttons[0][0])
    not_english(t, "Yes, I'll do it")
    await bot.press(ana, t("Yes, I'll do it"))
    today = plain(t("Today's act: <b>{act}</b>", act="\0")).split("\0")[0]
    assert text_of(ana).startswith(today)
    assert [t("Done")] in ana.last_message.buttons

    await bot.say(ana, lexicon.done[0])  # "fertig", "hecho", "تم"...
    assert any(line in text_of(ana) for line in map(plain, variants.celebrations(t)))
    await bot.press(ana, t("Skip"))
    assert text_of(ana) == plain(daily.note_skipped(t))

    await bot.say(ana, "/reflect")
    greeting = plain(t("Let's look back on today, {name}.", name="Ana"))
    assert text_of(ana).startswith(greeting)
    assert any(line in text_of(ana) for line in map(plain, variants.evening_openers(t)))
    await bot.press(ana, t("I did it"))
    assert text_of(ana) == plain(daily.feeling_question(t))
    await bot.press(ana, "4")
    assert text_of(ana) == plain(daily.received_question(t))
    await bot.say(ana, "A neighbour smiled")
    # Kindness received was named: the goodnight offers a thank-you, in the same language.
    offer = daily.thank_back_offer(t)
    assert text_of(ana) in {plain(f"{night}\n\n{offer}") for night in variants.goodnights(t)}
    async with bot.db.session() as session:
        [reflection] = (await session.exec(select(Reflection))).all()
    assert (reflection.outcome, reflection.feeling) == (ReflectionOutcome.DID, 4)
    assert reflection.received == "A neighbour smiled"


@pytest.mark.parametrize("speaker", SPEAKERS, ids=lambda s: s.code)
async def test_help_and_crisis_speak_the_language_and_name_the_country(
    bot: Harness, speaker: Speaker
) -> None:
    t = translator_for(speaker.code)
    help = help_for(country_of_zone(speaker.zone))
    assert help is not None
    ana = await onboard(bot, speaker)
    await bot.say(ana, "/help")
    assert text_of(ana) == plain(texts.help_text(t, help))
    await bot.say(ana, "/crisis")
    assert text_of(ana) == plain(texts.crisis_message(t, help))
    assert help.emergency in text_of(ana)
    assert all(line.phones[0] in text_of(ana) for line in help.lines if line.phones)


@pytest.mark.parametrize(
    ("speaker", "words", "line"),
    [
        (SPEAKERS[1], "Ich will nicht mehr leben", "0800 1110111"),
        (SPEAKERS[2], "ya no quiero vivir", "024"),
        (SPEAKERS[3], "je veux mourir", "3114"),
        (SPEAKERS[5], "não quero mais viver", "188"),
    ],
    ids=["Berlin", "Madrid", "Paris", "Sao Paulo"],
)
async def test_crisis_language_gets_the_national_line_in_the_persons_language(
    bot: Harness, speaker: Speaker, words: str, line: str
) -> None:
    t = translator_for(speaker.code)
    ana = await onboard(bot, speaker)
    before = len(ana.messages)
    await bot.say(ana, words)
    # The answer is sent while this one update is handled (no queue, no timer in between),
    # as one message: the helpline is there as soon as the words are.
    assert len(ana.messages) == before + 1
    answer = ana.last_message
    assert answer.text == plain(texts.crisis_message(t, help_for(country_of_zone(speaker.zone))))
    assert line in (answer.text or "")
    assert plain(texts.crisis_message(ENGLISH)) != answer.text


async def test_without_a_known_country_the_worldwide_text_is_shown(bot: Harness) -> None:
    t = translator_for("de")
    lena = bot.person("Lena", language_code="de")
    await bot.say(lena, "/start")  # still onboarding: the zone is only the default
    await bot.say(lena, "Ich will nicht mehr leben")
    assert text_of(lena) == plain(texts.crisis_message(t))


async def test_arabic_reads_right_to_left_with_isolated_commands_and_acts(bot: Harness) -> None:
    t = translator_for("ar")
    assert t.rtl
    ana = await onboard(bot, SPEAKERS[9])
    await bot.say(ana, "/today")
    await bot.press(ana, ana.last_message.buttons[0][0])
    await bot.press(ana, t("Yes, I'll do it"))
    shown = text_of(ana)
    assert isolate("/done") in shown  # a Latin command inside Arabic keeps its place
    assert shown.count("\u2068") == shown.count("\u2069") >= 2  # the act, the command
    assert ana.last_message.entities  # the bold act name: the HTML parsed as Telegram does
    await bot.say(ana, "/help")
    assert isolate("/today") in text_of(ana)


# --- choosing the language --------------------------------------------------------------------


async def stored_language(bot: Harness) -> str | None:
    async with bot.db.session() as session:
        return (await session.exec(select(User))).one().language


@pytest.mark.parametrize(
    ("telegram_code", "code"),
    [
        ("pt-br", "pt_BR"),
        ("pt-BR", "pt_BR"),
        ("pt", "pt_BR"),
        ("es-419", "es"),
        ("de-AT", "de"),
        ("zh-hant", "en"),
        ("sr-Latn", "en"),
        ("", "en"),
        (None, "en"),
        ("x" * 300, "en"),
    ],
)
async def test_first_contact_follows_telegrams_language(
    bot: Harness, telegram_code: str | None, code: str
) -> None:
    ana = bot.person("Ana", language_code=telegram_code)
    await bot.say(ana, "/start")
    assert any(plain(texts.welcome(translator_for(code), "Ana")) == m.text for m in ana.messages)
    assert await stored_language(bot) is None  # nothing chosen yet, nothing stored as chosen


async def test_language_shows_every_language_as_a_button(bot: Harness) -> None:
    ana = await onboard(bot, SPEAKERS[0])
    await bot.say(ana, "/language")
    assert text_of(ana) == plain(language_ui.picker(ENGLISH))
    labels = [label for row in ana.last_message.buttons for label in row]
    assert len(labels) == len(lexicons()) == 11
    assert labels[0] == "✓ English"
    assert {"Deutsch", "العربية", "Português (Brasil)"} <= {language_name(c) for c in lexicons()}
    await bot.press(ana, "Deutsch")
    assert text_of(ana) == language_ui.language_set(translator_for("de"), "Deutsch")
    assert await stored_language(bot) == "de"
    await bot.say(ana, "/help")
    assert text_of(ana).startswith(translator_for("de")("Here is what I can do:"))


@pytest.mark.parametrize("requested", ["de", "DE", "Deutsch", "de-CH", " deutsch "])
async def test_language_with_a_code_or_name_sets_it(bot: Harness, requested: str) -> None:
    ana = await onboard(bot, SPEAKERS[0])
    await bot.say(ana, f"/language {requested}")
    assert text_of(ana) == language_ui.language_set(translator_for("de"), "Deutsch")
    assert await stored_language(bot) == "de"


@pytest.mark.parametrize("requested", ["xx", "klingon", "ж" * 500, "pt_BR; DROP TABLE users"])
async def test_an_unknown_language_gets_the_list_and_changes_nothing(
    bot: Harness, requested: str
) -> None:
    ana = await onboard(bot, SPEAKERS[3])
    await bot.say(ana, f"/language {requested}")
    assert text_of(ana) == plain(language_ui.unknown_language(translator_for("fr")))
    assert len([b for row in ana.last_message.buttons for b in row]) == 11
    assert await stored_language(bot) is None


async def test_an_explicit_choice_outlasts_a_new_telegram_language(bot: Harness) -> None:
    ana = await onboard(bot, SPEAKERS[1])
    await bot.say(ana, "/language fr")
    ana.data["language_code"] = "es"  # they switch their Telegram app to Spanish
    await bot.say(ana, "/start")
    french = translator_for("fr")
    assert text_of(ana) == plain(texts.welcome_back(french, "Ana", reactivated=False))
    assert await stored_language(bot) == "fr"


async def test_settings_show_and_change_the_language(bot: Harness) -> None:
    ana = await onboard(bot, SPEAKERS[2])
    spanish = translator_for("es")
    await bot.say(ana, "/settings")
    assert spanish("Language: {language}", language="Español") in text_of(ana)
    await bot.press(ana, spanish("Language"))
    assert text_of(ana) == plain(language_ui.picker(spanish))
    await bot.press(ana, "Italiano")
    assert text_of(ana) == language_ui.language_set(translator_for("it"), "Italiano")
    assert await stored_language(bot) == "it"


async def test_switching_language_mid_reflection_keeps_the_step_and_answers(
    bot: Harness,
) -> None:
    ana = await onboard(bot, SPEAKERS[0])
    await bot.say(ana, "/reflect")
    await bot.press(ana, "Yes")
    feeling = ana.last_message.message_id
    await bot.say(ana, "/language de")
    german = translator_for("de")
    [shown] = [m for m in ana.messages if m.message_id == feeling]
    four = shown.button_data[0][3]
    assert four is not None
    await bot.deliver(await ana.press_data(feeling, four))
    # The question is asked in place of the scale (or below it), now in German.
    asked = [m.text for m in ana.messages if m.message_id >= feeling]
    assert plain(daily.received_question(german)) in asked
    await bot.say(ana, "Jemand hat mir die Tür aufgehalten")
    offer = daily.thank_back_offer(german)
    assert text_of(ana) in {plain(f"{n}\n\n{offer}") for n in variants.goodnights(german)}
    async with bot.db.session() as session:
        [reflection] = (await session.exec(select(Reflection))).all()
    assert reflection.outcome is ReflectionOutcome.DID
    assert reflection.feeling == 4
    assert reflection.received == "Jemand hat mir die Tür aufgehalten"


# --- free text in each language ---------------------------------------------------------------


@pytest.mark.parametrize("code", [s.code for s in SPEAKERS])
async def test_a_skip_word_skips_the_note_and_a_cancel_word_leaves_a_question(
    bot: Harness, code: str
) -> None:
    speaker = next(s for s in SPEAKERS if s.code == code)
    t = translator_for(code)
    lexicon = lexicons()[code]
    ana = await onboard(bot, speaker)
    await bot.say(ana, "/done")
    await bot.say(ana, lexicon.cancel[0])
    assert text_of(ana) == plain(daily.left_as_it_was(t))
    await bot.say(ana, "/done Called my sister")
    await bot.say(ana, lexicon.skip[0])
    assert text_of(ana) == plain(daily.note_skipped(t))
    async with bot.db.session() as session:
        user = (await session.exec(select(User))).one()
    assert user.pending_step is None


@pytest.mark.parametrize(
    ("code", "typed", "shown"),
    [
        ("de", "um 7 Uhr", "07:00"),
        ("de", "8 Uhr abends", "20:00"),
        ("fr", "à 20h30", "20:30"),
        ("ar", "الساعة ٨:٣٠", "8:30"),  # Arabic writes 8:30 ص (CLDR: 12-hour)
        ("tr", "saat 8'de", "08:00"),
        ("id", "jam 8 malam", "20.00"),
    ],
)
async def test_times_typed_the_local_way(bot: Harness, code: str, typed: str, shown: str) -> None:
    speaker = next(s for s in SPEAKERS if s.code == code)
    ana = await onboard(bot, speaker)
    await bot.say(ana, f"/evening {typed}")
    assert shown in text_of(ana).translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))


@pytest.mark.parametrize(
    ("code", "city", "zone"),
    [("de", "München", "Europe/Berlin"), ("es", "Nueva York", "America/New_York"),
     ("pt_BR", "Lisboa", "Europe/Lisbon"), ("it", "Milano", "Europe/Rome")],
)  # fmt: skip
async def test_cities_in_the_local_spelling(bot: Harness, code: str, city: str, zone: str) -> None:
    speaker = next(s for s in SPEAKERS if s.code == code)
    ana = bot.person("Ana", language_code=speaker.telegram_code)
    await bot.say(ana, "/start")
    await bot.say(ana, city)
    async with bot.db.session() as session:
        assert (await session.exec(select(User))).one().timezone == zone


async def test_a_city_the_bundled_data_spells_only_in_latin_gets_a_kind_answer(
    bot: Harness,
) -> None:
    russian = translator_for("ru")
    ivan = bot.person("Ivan", language_code="ru")
    await bot.say(ivan, "/start")
    await bot.say(ivan, "Москва")  # the city table has "Moscow" and "Moskau", not Cyrillic
    assert text_of(ivan) == plain(settings_ui.zone_not_found(russian))
    async with bot.db.session() as session:
        user = (await session.exec(select(User))).one()
    assert user.pending_step == "onb_zone"  # still asked, nothing stored wrongly
    await bot.say(ivan, "Moscow")
    async with bot.db.session() as session:
        assert (await session.exec(select(User))).one().timezone == "Europe/Moscow"


async def test_a_cancel_word_leaves_a_settings_question_unchanged(bot: Harness) -> None:
    german = translator_for("de")
    lena = await onboard(bot, SPEAKERS[1], "Lena")
    async with bot.db.session() as session:
        before = (await session.exec(select(User))).one().morning_time
    await bot.say(lena, "/settings")
    await bot.press(lena, german("Morning time"))
    await bot.say(lena, "abbrechen")
    assert text_of(lena) == plain(daily.left_as_it_was(german))
    async with bot.db.session() as session:
        user = (await session.exec(select(User))).one()
    assert (user.morning_time, user.pending_step) == (before, None)


async def test_a_skip_word_answers_the_received_question_and_stores_nothing(
    bot: Harness,
) -> None:
    spanish = translator_for("es")
    ana = await onboard(bot, SPEAKERS[2])
    await bot.say(ana, "/reflect")
    await bot.press(ana, spanish("Skip"))
    await bot.press(ana, spanish("Skip"))
    await bot.say(ana, "nada")
    assert text_of(ana) in map(plain, variants.goodnights(spanish))
    async with bot.db.session() as session:
        [reflection] = (await session.exec(select(Reflection))).all()
    assert reflection.completed
    assert reflection.received is None
