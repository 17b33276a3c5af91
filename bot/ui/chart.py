"""The weekly chart: acts per day (bars) and the 1-5 feeling (dots), as a PNG for a phone.

Rendering is pure CPU work with no shared state: a :class:`~matplotlib.figure.Figure` drawn
on its own Agg canvas (headless, no pyplot, no global rcParams), so it is safe to run in a
worker thread (``asyncio.to_thread``) while the bot keeps answering.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Final

import arabic_reshaper
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from bidi import get_display
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import MaxNLocator

from bot.i18n import is_rtl, resolve_language, translator_for
from bot.ui.insight import chart_labels

__all__ = ["CHART_SIZE_PX", "render_week_chart"]

CHART_SIZE_PX: Final = (1080, 810)
_DPI: Final = 100
_BAR: Final = "#F4A261"
_FEELING: Final = "#2A6F6B"
_INK: Final = "#3A3A3A"
_TICKS: Final = 26
_LABELS: Final = 28
_TITLE: Final = 36


def _babel_locale(locale: str | None) -> Locale:
    try:
        return Locale.parse((locale or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@lru_cache(maxsize=1)
def _font_chars() -> frozenset[int]:
    """The characters the chart's font can draw."""
    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    return frozenset(FT2Font(path).get_charmap())


def _drawable(texts: Sequence[str]) -> bool:
    chars = _font_chars()
    return all(ord(c) in chars for text in texts for c in text if not c.isspace())


def _visual(text: str, *, rtl: bool) -> str:
    """``text`` as matplotlib must be given it to read right: matplotlib draws characters one
    by one, left to right, so Arabic letters are first joined (their contextual forms) and
    each line put into visual order (the Unicode bidirectional algorithm).
    """
    if not rtl:
        return text
    return "\n".join(get_display(arabic_reshaper.reshape(line)) for line in text.split("\n"))


def render_week_chart(
    days: Sequence[date],
    acts: Sequence[int],
    feelings: Sequence[int | None],
    labels: Mapping[str, str],
    locale: str | None,
) -> bytes:
    """Draw the last days' acts and feelings.

    Args:
        days: The local dates, oldest first.
        acts: Acts logged on each day.
        feelings: The 1-5 feeling of each day, ``None`` when not shared.
        labels: Translated ``title``, ``acts``, ``feeling`` and ``empty`` texts.
        locale: The person's language, for the weekday names.

    Returns:
        A PNG of :data:`CHART_SIZE_PX` pixels.
    """
    width, height = CHART_SIZE_PX
    figure = Figure(figsize=(width / _DPI, height / _DPI), dpi=_DPI, facecolor="white")
    FigureCanvasAgg(figure)  # draw with Agg explicitly, whatever the global backend is
    rtl = is_rtl(resolve_language(locale) or "en")
    names = [format_date(day, "EEE\nd", locale=_babel_locale(locale)) for day in days]
    # Wrapped before shaping: a line break is chosen in reading order, then each line drawn.
    texts = {**labels, "empty": textwrap.fill(labels["empty"], width=30)}
    shown = {key: _visual(text, rtl=rtl) for key, text in texts.items()}
    names = [_visual(name, rtl=rtl) for name in names]
    if not _drawable([*shown.values(), *names]):
        # A script the bundled font lacks would show empty boxes: fall back to English.
        english = chart_labels(translator_for(None))
        shown = {**english, "empty": textwrap.fill(english["empty"], width=30)}
        names = [format_date(day, "EEE\nd", locale=_babel_locale("en")) for day in days]
    labels = shown
    positions = list(range(len(days)))

    bars = figure.add_subplot(1, 1, 1)
    figure.subplots_adjust(left=0.11, right=0.89, top=0.86, bottom=0.17)
    bars.set_title(labels["title"], fontsize=_TITLE, color=_INK, pad=24)
    bars.bar(positions, acts, color=_BAR, width=0.62, zorder=2)
    bars.set_xticks(positions, names, fontsize=_TICKS, color=_INK)
    bars.set_ylim(0, max(3, max(acts, default=0) + 1))
    bars.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    bars.tick_params(axis="y", labelsize=_TICKS, colors=_BAR)
    bars.set_ylabel(labels["acts"], fontsize=_LABELS, color=_INK)
    bars.grid(axis="y", color="#E6E6E6", zorder=0)
    for side in ("top", "right"):
        bars.spines[side].set_visible(False)

    mood = bars.twinx()
    mood.set_ylim(0.5, 5.5)
    mood.set_yticks([1, 2, 3, 4, 5])
    mood.tick_params(axis="y", labelsize=_TICKS, colors=_FEELING)
    mood.set_ylabel(labels["feeling"], fontsize=_LABELS, color=_INK)
    mood.spines["top"].set_visible(False)
    shared = [(x, value) for x, value in zip(positions, feelings, strict=True) if value]
    if shared:
        xs, ys = zip(*shared, strict=True)
        mood.plot(xs, ys, color=_FEELING, linewidth=4, marker="o", markersize=18, zorder=3)

    if not any(acts) and not shared:
        bars.text(
            0.5,
            0.55,
            labels["empty"],
            transform=bars.transAxes,
            ha="center",
            va="center",
            fontsize=_LABELS,
            color=_INK,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 12},
        )

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI)
    figure.clear()
    return buffer.getvalue()
