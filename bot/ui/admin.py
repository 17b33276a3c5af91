"""Texts of the operators' view (/admin) and of error alerts. Pure functions, no I/O.

Only numbers, a version, exception type names and code locations appear here: never a
person's name, id or words.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from typing import Final

from bot.i18n import Translator
from bot.services.admin import AdminOverview

__all__ = ["ALERT_LIMIT", "error_alert", "overview", "uptime"]

ALERT_LIMIT: Final = 3500
"""Characters of a failure description in an alert (Telegram allows 4096 in a message)."""

_FSI, _PDI = "\u2068", "\u2069"  # keep times, versions and code names in order in RTL text


def _ltr(text: str) -> str:
    return f"{_FSI}{text}{_PDI}"


def _when(at: datetime) -> str:
    return _ltr(f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC")


def uptime(t: Translator, span: timedelta) -> str:
    """How long the process has run, to the minute ("2 d 3 h 4 min")."""
    minutes = int(span.total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return t("{days} d {hours} h {minutes} min", days=days, hours=hours, minutes=minutes)
    return t("{hours} h {minutes} min", hours=hours, minutes=minutes)


def _prompt_line(t: Translator, state: str, n: int) -> str:
    if state == "sent":
        return t("sent: {n}", n=n)
    if state == "planned":
        return t("still planned: {n}", n=n)
    if state == "skipped_late":
        return t("skipped, too late to be useful: {n}", n=n)
    if state == "blocked":
        return t("not delivered, bot blocked: {n}", n=n)
    if state == "failed":
        return t("not sent, an error: {n}", n=n)
    if state == "unknown":
        return t("outcome unknown: {n}", n=n)
    if state == "cancelled":
        return t("cancelled: {n}", n=n)
    # In flight (claimed, sending): the ledger's own name for the moment.
    return t("{state}: {n}", state=_ltr(html.escape(state)), n=n)


def _prompt_lines(t: Translator, counts: dict[str, int]) -> list[str]:
    return [f"  {_prompt_line(t, state, n)}" for state, n in counts.items()]


def overview(t: Translator, view: AdminOverview) -> str:
    """What /admin shows: people, today's prompts, flood control, the last error, the build."""
    people = view.people
    figures = view.figures
    lines = [
        t(
            "<b>Kindling {version}</b>, up {uptime}.",
            version=_ltr(html.escape(figures.version)),
            uptime=_ltr(uptime(t, view.uptime)),
        ),
        "",
        t(
            "People: {total} in all, {active} active this week, {paused} paused, "
            "{blocked} blocked.",
            total=people.total,
            active=people.active_this_week,
            paused=people.by_state.get("paused", 0),
            blocked=people.by_state.get("blocked", 0),
        ),
        "",
        t("Prompts for each person's local today:"),
        *_prompt_lines(t, view.prompts_today),
        "",
        t("Flood control answers (429) from Telegram since start: {n}.", n=figures.flood_429s),
    ]
    if figures.last_error_kind is None or figures.last_error_at is None:
        lines.append(t("No errors since start."))
    else:
        lines.append(
            t(
                "Last error: {kind} at {time}.",
                kind=_ltr(html.escape(figures.last_error_kind)),
                time=_when(figures.last_error_at),
            )
        )
    return "\n".join(lines)


def error_alert(t: Translator, failure: str, at: datetime) -> str:
    """The alert admins get about an unexpected error: its type and code location only.

    Args:
        t: The translator.
        failure: ``bot.errors.describe_failure`` of the error (no exception message).
        at: When it happened.
    """
    if len(failure) > ALERT_LIMIT:
        failure = failure[: ALERT_LIMIT - 1] + "…"
    return "\n".join(
        (
            t("An unexpected error at {time}:", time=_when(at)),
            f"<code>{html.escape(failure)}</code>",
            t("The same kind of error is reported at most once every 10 minutes."),
        )
    )
