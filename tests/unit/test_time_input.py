from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.kindness.time_of_day import parse_time_of_day
from bot.ui.time_input import format_time_of_day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8:30", time(8, 30)),
        ("08:30", time(8, 30)),
        ("08.30", time(8, 30)),
        ("8.30", time(8, 30)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("8am", time(8, 0)),
        ("8 am", time(8, 0)),
        ("8AM", time(8, 0)),
        ("8 a.m.", time(8, 0)),
        ("8 P.M.", time(20, 0)),
        ("8:30pm", time(20, 30)),
        ("8:30 PM", time(20, 30)),
        ("8:30\u202fPM", time(20, 30)),  # what Babel prints for en_US
        ("12am", time(0, 0)),
        ("12:15am", time(0, 15)),
        ("12pm", time(12, 0)),
        ("12:45 pm", time(12, 45)),
        ("1pm", time(13, 0)),
        ("20h", time(20, 0)),
        ("20h30", time(20, 30)),
        ("20H30", time(20, 30)),
        ("7h05", time(7, 5)),
        ("2030", time(20, 30)),
        ("0830", time(8, 30)),
        ("830", time(8, 30)),
        ("20", time(20, 0)),
        ("8", time(8, 0)),
        (" 7 ", time(7, 0)),
        ("0", time(0, 0)),
    ],
)
def test_parse_accepts_clock_forms(text, expected):
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 o'clock", time(8, 0)),
        ("at 7:30", time(7, 30)),
        ("8 Uhr", time(8, 0)),
        ("um 8 Uhr", time(8, 0)),
        ("20 Uhr 30", time(20, 30)),
        ("8 Uhr abends", time(20, 0)),
        ("20.30 Uhr", time(20, 30)),
        ("à 20h30", time(20, 30)),
        ("8 h du soir", time(20, 0)),
        ("a las 8", time(8, 0)),
        ("às 20h", time(20, 0)),
        ("в 8 вечера", time(20, 0)),
        ("о 7:30", time(7, 30)),
        ("saat 8'de", time(8, 0)),
        ("jam 8 malam", time(20, 0)),
        ("pukul 07.30", time(7, 30)),
        ("\u0668:30", time(8, 30)),  # Arabic-Indic digit
        ("\u0668:\u0663\u0660", time(8, 30)),
        ("\u0662\u0660\u066b\u0663\u0660", time(20, 30)),  # ٢٠٫٣٠, the Arabic separator
        ("12 du matin", time(0, 0)),
    ],
)
def test_parse_accepts_the_words_around_a_time(text, expected):
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "25:61",
        "24:00",
        "24",
        "2400",
        "12:60",
        "0960",
        "13pm",
        "0am",
        "00:30am",
        "8:5",
        "8.5",
        "8:305",
        "-5",
        "-5:00",
        "+8",
        "8:30:00",
        "12345",
        "8h pm",
        "8 30",
        "8::30",
        "noon",
        "\uff18:30",  # full-width digit
        "8 Uhr 30 abends morgens",
        "20 Uhr morgens",
        "um halb acht",
        "at",
        "Uhr",
    ],
)
def test_parse_rejects(text):
    assert parse_time_of_day(text) is None


@given(st.integers(0, 23), st.integers(0, 59))
def test_every_valid_time_parses_back(hour, minute):
    expected = time(hour, minute)
    assert parse_time_of_day(f"{hour}:{minute:02d}") == expected
    assert parse_time_of_day(f"{hour:02d}.{minute:02d}") == expected
    assert parse_time_of_day(f"{hour:02d}:{minute:02d}") == expected
    assert parse_time_of_day(f"{hour}h{minute:02d}") == expected
    assert parse_time_of_day(f"{hour:02d}{minute:02d}") == expected


@given(st.integers(1, 12), st.integers(0, 59), st.sampled_from(["am", "pm"]))
def test_twelve_hour_clock(hour, minute, meridiem):
    parsed = parse_time_of_day(f"{hour}:{minute:02d} {meridiem}")
    expected_hour = hour % 12 + (12 if meridiem == "pm" else 0)
    assert parsed == time(expected_hour, minute)


@given(
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.sampled_from(["en_US", "en-US", "en", "de", "en_GB", "fr", "ru", "pt-br", None]),
)
def test_formatted_time_parses_back(t, locale):
    assert parse_time_of_day(format_time_of_day(t, locale)) == t


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_US", "8:30\u202fAM"),
        ("en-US", "8:30\u202fAM"),
        ("de", "08:30"),
        ("en_GB", "08:30"),
        ("pt-br", "08:30"),
        (None, "8:30\u202fAM"),
        ("", "8:30\u202fAM"),
        ("xx", "8:30\u202fAM"),
        ("zz-ZZ", "8:30\u202fAM"),
        ("123", "8:30\u202fAM"),
    ],
)
def test_format_time_of_day(locale, expected):
    assert format_time_of_day(time(8, 30), locale) == expected


def test_format_afternoon():
    assert format_time_of_day(time(20, 5), "en_US") == "8:05\u202fPM"
    assert format_time_of_day(time(20, 5), "de") == "20:05"
