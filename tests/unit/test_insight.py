"""Gentle insight (pure) and the weekly chart: counts that never reset, feelings in plain
words, and a PNG readable on a phone for no data, one day and a full year."""

from __future__ import annotations

import struct
import sys
from datetime import date, timedelta

import pytest

from bot.i18n import translator_for
from bot.kindness.insight import FeelingMove, compare_feelings, last_days, week_facts
from bot.ui import insight as ui
from bot.ui.chart import CHART_SIZE_PX, render_week_chart

T = translator_for(None)
TODAY = date(2026, 3, 4)  # a Wednesday
LABELS = ui.chart_labels(T)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_counts_use_the_local_calendar_and_never_reset() -> None:
    acts = {
        TODAY: 2,
        TODAY - timedelta(days=2): 1,  # Monday: this week
        TODAY - timedelta(days=3): 1,  # Sunday: last week, this month
        date(2026, 2, 27): 4,  # last month, this year
        date(2025, 12, 31): 9,  # last year
        TODAY + timedelta(days=1): 5,  # a day ahead (another zone): not counted yet
    }
    facts = week_facts(TODAY, acts, {}, [TODAY, TODAY - timedelta(days=5)])
    assert facts.acts_this_week == 3
    assert facts.acts_this_month == 4
    assert facts.kind_days_this_year == 4
    assert facts.received_this_week == 1
    assert facts.move is FeelingMove.NOT_ENOUGH


@pytest.mark.parametrize(
    ("with_act", "without", "move"),
    [((5, 4), (2, 3), FeelingMove.BRIGHTER), ((3, 4), (4, 3), FeelingMove.SAME)],
)
def test_feelings_compare_days_with_and_without_an_act(
    with_act: tuple[int, int], without: tuple[int, int], move: FeelingMove
) -> None:
    days = last_days(TODAY, 4)
    feelings = dict(zip(days, with_act + without, strict=True))
    assert compare_feelings(feelings, days[:2])[0] is move
    assert compare_feelings(dict(zip(days, (2, 2, 5, 4), strict=True)), days[:2])[0] is (
        FeelingMove.LOWER
    )


def test_one_feeling_on_a_side_says_nothing_yet() -> None:
    days = last_days(TODAY, 3)
    assert compare_feelings(dict(zip(days, (5, 5, 1), strict=True)), days[:2]) == (
        FeelingMove.NOT_ENOUGH,
        None,
        None,
    )


def test_text_is_gentle_in_every_case() -> None:
    for move, averages in [
        (FeelingMove.NOT_ENOUGH, (None, None)),
        (FeelingMove.BRIGHTER, (4.5, 3.0)),
        (FeelingMove.SAME, (3.0, 3.2)),
        (FeelingMove.LOWER, (2.0, 3.5)),
    ]:
        for acts in (0, 1, 12):
            facts = week_facts(TODAY, {TODAY: acts}, {}, [])
            facts = type(facts)(acts, acts, 0, 1 if acts else 0, move, averages[0], averages[1])
            text = ui.week_text(T, facts)
            lowered = text.lower()
            assert "not a diagnosis" in lowered
            for word in ("streak", "miss", "fail", "only "):
                assert word not in lowered
            assert text.count("\n\n") == 5


@pytest.mark.parametrize(
    ("acts", "feelings"),
    [
        ([0] * 7, [None] * 7),  # no data
        ([0] * 6 + [1], [None] * 6 + [4]),  # one day
        ([3, 1, 0, 2, 5, 1, 40], [1, 2, 3, 4, 5, None, 3]),  # a full, busy year's last week
    ],
    ids=["empty", "one-day", "year"],
)
def test_chart_is_a_phone_sized_png(acts: list[int], feelings: list[int | None]) -> None:
    data = render_week_chart(last_days(TODAY), acts, feelings, LABELS, "en")
    assert png_size(data) == CHART_SIZE_PX == (1080, 810)
    assert 5_000 < len(data) < 1_000_000


def test_chart_leaves_no_global_state() -> None:
    import matplotlib

    backend = matplotlib.get_backend()
    rc = dict(matplotlib.rcParams)
    render_week_chart(last_days(TODAY), [1] * 7, [3] * 7, LABELS, "de")
    assert matplotlib.get_backend() == backend
    assert dict(matplotlib.rcParams) == rc
    assert (
        "matplotlib.pyplot" not in sys.modules
        or not __import__("matplotlib.pyplot").pyplot.get_fignums()
    )


def test_chart_falls_back_to_english_for_scripts_its_font_lacks() -> None:
    """Japanese labels and weekday names would be empty boxes (and a warning): English."""
    labels = {
        "title": "過去7日間",
        "acts": "親切",
        "feeling": "気分",
        "empty": "まだ何もありません",
    }
    data = render_week_chart(last_days(TODAY), [1] * 7, [3] * 7, labels, "ja")
    assert png_size(data) == CHART_SIZE_PX
    # Scripts the font has (Hebrew, Cyrillic, Greek) are drawn as they are.
    hebrew = dict.fromkeys(labels, "שבוע")
    assert png_size(render_week_chart(last_days(TODAY), [0] * 7, [None] * 7, hebrew, "he"))


def test_arabic_chart_labels_are_joined_and_in_visual_order() -> None:
    from bot.ui import chart

    word = "لطف"  # lam, ta, fa: three letters that join
    shown = chart._visual(word, rtl=True)
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in shown)  # contextual (joined) forms
    assert len(shown) == 3
    assert shown[-1] == "\ufedf"  # the initial lam is drawn last, at the right
    assert chart._visual("Mo\n2", rtl=True) == "Mo\n2"
    assert chart._visual(word, rtl=False) == word


def test_the_arabic_chart_is_drawn_in_arabic(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.ui import chart

    def no_fallback(_: object) -> dict[str, str]:
        raise AssertionError("fell back to English")

    monkeypatch.setattr(chart, "chart_labels", no_fallback)
    labels = ui.chart_labels(translator_for("ar"))
    assert labels != LABELS
    data = render_week_chart(last_days(TODAY), [1, 0, 2, 0, 1, 0, 0], [3] * 7, labels, "ar")
    assert png_size(data) == CHART_SIZE_PX
