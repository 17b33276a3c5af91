"""The crisis-language screen: true cases match, everyday figures of speech do not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.kindness.crisis import PHRASES, is_crisis, normalize

TRUE_CASES = [
    "I want to die",
    "i wanna die tbh",
    "I don't want to live anymore.",
    "I dont want to be alive",
    "Sometimes I think about suicide",
    "I've been feeling suicidal",
    "I'm going to kill myself",
    "thinking of ending my life",
    "I want to end it all",
    "I want to take my own life",
    "I wish I was dead",
    "everyone would be better off without me",
    "I have nothing to live for",
    "I hurt myself again last night",
    "I've been cutting myself",
    "self-harm urges are back",
    "I'm in danger",
    "I am not safe at home",
    "he is hurting me",
    "I'm scared for my life",
    "I WANT TO DIE!!!",
    "I want to d1e",
    "k1ll mys3lf",
    "su1c1de",
    "I want to die…",
    "Suicídio? no: suicide",
    "I want   to\ndie",
    "i can't go on",
    "kms",
    "thinking about an overdose",
]

FALSE_ALARMS = [
    "I'm dying to help",
    "this kills me lol",
    "killing it today",
    "I could die of laughter",
    "dead tired",
    "I'm dead tired but happy",
    "My feet are killing me",
    "I nearly died laughing",
    "I killed myself laughing at that",
    "I'd kill for a coffee",
    "The suspense is killing me",
    "I'm dying to see the new film",
    "My phone died",
    "We watched Suicide Squad",
    "I can't go on holiday this year",
    "She's a killer baker",
    "The plants died while I was away",
    "done",
    "Held the door for a neighbour",
    "I'm so excited I could scream",
    "my back is hurting me",
    "my boss is going to kill me lol",
    "988",
]


@pytest.mark.parametrize("text", TRUE_CASES)
def test_crisis_language_is_recognised(text: str) -> None:
    assert is_crisis(text)


@pytest.mark.parametrize("text", FALSE_ALARMS)
def test_everyday_figures_of_speech_are_not_crisis(text: str) -> None:
    assert not is_crisis(text)


def test_normalize_folds_case_accents_punctuation_and_light_leetspeak() -> None:
    assert normalize("Ｉ DON’T  wánt—to L1VE!!") == "i dont want to live"
    assert normalize("call 988 now") == "call 988 now"


def test_normalize_keeps_every_script() -> None:
    assert normalize("Не хочу ЖИТЬ!") == "не хочу жить"
    assert normalize("أُرِيدُ أَنْ أَمُوتَ") == "اريد ان اموت"
    assert normalize("Ölmek İSTİYORUM, hayatım") == "olmek istiyorum hayatim"
    assert normalize("JE VEUX MOURIR…") == "je veux mourir"


@given(st.sampled_from(PHRASES["en"]), st.sampled_from(["", "Honestly, ", "I think "]))
def test_every_listed_phrase_matches(phrase: str, before: str) -> None:
    assert is_crisis(f"{before}{phrase.upper()}.")
