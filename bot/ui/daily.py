"""Texts and buttons of the daily loop (morning choice, logging, evening reflection).

Pure functions: each takes the translator and plain values and returns HTML text or rows of
``(label, callback_data)``. Anything a person typed is escaped here.
"""

from __future__ import annotations

import html
from datetime import date

from bot.i18n import Translator
from bot.kindness.catalog import Act, Catalog
from bot.ui.callbacks import Action, Rows, encode

# Message variants. Each is a function so that the English text stays the translation key.


def _openers(t: Translator) -> list[str]:
    return [
        t("Who could you encourage today?"),
        t("Who might be glad to hear from you today?"),
        t("Whose day could you make a little lighter?"),
        t("Who around you could use a kind word today?"),
        t("Who could you cheer on today?"),
    ]


def _celebrations(t: Translator) -> list[str]:
    return [
        t("That's lovely. Small acts like this add up."),
        t("Well done. Someone's day just got a little warmer."),
        t("Thank you for doing that. Kindness ripples further than we see."),
        t("Beautiful. That counts, every bit of it."),
        t("Noted with a smile. The world is a little kinder for it."),
    ]


def _not_today_replies(t: Translator) -> list[str]:
    return [
        t("That's completely fine. Some days are for resting."),
        t("No problem at all. Tomorrow is a fresh page."),
        t("Of course. Taking a pause is allowed."),
        t("All good. Looking after your energy matters too."),
    ]


def _goodnights(t: Translator) -> list[str]:
    return [
        t("Thank you for reflecting. Sleep well."),
        t("Goodnight. Be gentle with yourself tonight."),
        t("Thanks for sharing your day. Rest well."),
        t("That's all for today. Sleep well, and see you tomorrow."),
    ]


def _tiny_self_kindness(t: Translator) -> list[str]:
    return [
        t("If you like, one tiny thing just for you: a glass of water, slowly."),
        t("If you like, one tiny thing just for you: three slow breaths by a window."),
        t("If you like, one tiny thing just for you: a short stretch."),
    ]


OPENER_COUNT = 5
CELEBRATION_COUNT = 5
NOT_TODAY_COUNT = 4
GOODNIGHT_COUNT = 4
TINY_COUNT = 3


SHOWN_LIMIT = 3000
"""Longest stretch of a person's own words quoted back; the message must stay under 4096."""


def shown(text: str) -> str:
    """A person's words, escaped for HTML and shortened (only for display) if very long."""
    if len(text) > SHOWN_LIMIT:
        text = text[: SHOWN_LIMIT - 1] + "…"
    return html.escape(text)


ACT_ACTIONS = (Action.PICK, Action.COMMIT)
"""Buttons whose callback data carries an act id."""


def check_act_buttons(catalog: Catalog) -> None:
    """Build every button that carries an act id, so a bad catalog fails at start-up.

    Raises:
        ValueError: Some act's callback data would exceed Telegram's 64 bytes.
    """
    latest = date.max
    for act in catalog.acts:
        for action in ACT_ACTIONS:
            encode(action, latest, act.id)


def act_label(t: Translator, act: Act) -> str:
    """How an act reads on a button or in a list."""
    return t(act.text)


def morning_text(
    t: Translator, first_name: str, acts: list[Act], *, variant: int, on_demand: bool
) -> str:
    """The morning prompt: a greeting, a varied question and the suggested acts."""
    greeting = (
        t("Here are a few ideas for today, {name}.", name=html.escape(first_name))
        if on_demand
        else t("Good morning, {name}.", name=html.escape(first_name))
    )
    lines = [f"{number}. {html.escape(t(act.text))}" for number, act in enumerate(acts, 1)]
    return "\n\n".join(
        (
            greeting,
            f"<b>{_openers(t)[variant % OPENER_COUNT]}</b>",
            "\n".join(lines),
            t("Pick one, or choose another way below."),
        )
    )


def morning_rows(t: Translator, local_date: date, acts: list[Act]) -> Rows:
    """Buttons under the morning prompt."""
    rows: list[list[tuple[str, str]]] = [
        [(f"{number}. {act_label(t, act)}", encode(Action.PICK, local_date, act.id))]
        for number, act in enumerate(acts, 1)
    ]
    rows.append(
        [
            (t("Other ideas"), encode(Action.OTHERS, local_date)),
            (t("My own idea"), encode(Action.OWN, local_date)),
        ]
    )
    rows.append(
        [
            (t("Later"), encode(Action.LATER, local_date)),
            (t("Not today"), encode(Action.NOT_TODAY, local_date)),
        ]
    )
    return rows


def act_detail_text(t: Translator, act: Act) -> str:
    """One act with its tip, before committing to it."""
    return "\n\n".join(
        (
            f"<b>{html.escape(t(act.text))}</b>",
            t("Tip: {tip}", tip=html.escape(t(act.tip))),
            t("Shall we make it today's act?"),
        )
    )


def act_detail_rows(t: Translator, local_date: date, act: Act) -> Rows:
    """Commit to the act, or see the other ideas."""
    return [
        [(t("Yes, I'll do it"), encode(Action.COMMIT, local_date, act.id))],
        [(t("Pick another"), encode(Action.OTHERS, local_date))],
    ]


def plan_text(t: Translator, act_text: str) -> str:
    """Today's plan, after committing (also what /today shows while it is open)."""
    return "\n\n".join(
        (
            t("Today's act: <b>{act}</b>", act=shown(act_text)),
            t(
                "When it's done, tap Done, reply “done” or send /done. "
                "If the day changes shape, that's fine too."
            ),
        )
    )


def plan_rows(t: Translator, local_date: date, plan_id: int) -> Rows:
    """The Done button under a plan."""
    return [[(t("Done"), encode(Action.DONE, local_date, plan_id))]]


def own_idea_question(t: Translator) -> str:
    """Asked after "My own idea"."""
    return t("Lovely. What will you do? Write it in one line.")


def not_today_text(t: Translator, *, variant: int, tiny: int | None) -> str:
    """The kind reply to "Not today", with at most one optional tiny self-kindness idea."""
    parts = [_not_today_replies(t)[variant % NOT_TODAY_COUNT]]
    if tiny is not None:
        parts.append(_tiny_self_kindness(t)[tiny % TINY_COUNT])
    parts.append(t("I'll still check in this evening."))
    return "\n\n".join(parts)


def snoozed_text(t: Translator, at: str) -> str:
    """The reply to "Later"."""
    return t("Sure. I'll come back to this at about {time}.", time=at)


def celebration_text(t: Translator, act_text: str, *, variant: int) -> str:
    """After logging an act: a varied celebration and the optional note question."""
    return "\n\n".join(
        (
            _celebrations(t)[variant % CELEBRATION_COUNT],
            t("Logged: <i>{act}</i>", act=shown(act_text)),
            t("How did it go? Write a line if you like, or tap Skip."),
        )
    )


def note_rows(t: Translator, act_done_id: int) -> Rows:
    """Skip the optional note."""
    return [[(t("Skip"), encode(Action.NOTE_SKIP, None, act_done_id))]]


def note_saved(t: Translator) -> str:
    """After the note was written."""
    return t("Thank you, I've kept that with today's act.")


def note_skipped(t: Translator) -> str:
    """After the note was skipped."""
    return t("No note needed. Well done today.")


def what_did_you_do(t: Translator) -> str:
    """/done with nothing planned: ask what happened."""
    return t("Wonderful. What did you do? Write it in one line.")


def evening_text(
    t: Translator, first_name: str, plan_text: str | None, *, on_demand: bool = False
) -> str:
    """The first evening question, adapted to whether something was planned."""
    greeting = (
        t("Let's look back on today, {name}.", name=html.escape(first_name))
        if on_demand
        else t("Good evening, {name}.", name=html.escape(first_name))
    )
    if plan_text:
        question = t("How did today's act go?\n<i>{act}</i>", act=shown(plan_text))
    else:
        question = t(
            "Nothing was planned today, and that's fine. Did a moment of kindness find its "
            "way into your day anyway, given or noticed?"
        )
    return f"{greeting}\n\n{question}"


def evening_rows(t: Translator, local_date: date, *, planned: bool) -> Rows:
    """did it / partly / not today, and skip."""
    did = t("I did it") if planned else t("Yes")
    partly = t("Partly") if planned else t("A little")
    return [
        [
            (did, encode(Action.OUTCOME, local_date, "did")),
            (partly, encode(Action.OUTCOME, local_date, "partly")),
            (t("Not today"), encode(Action.OUTCOME, local_date, "not_today")),
        ],
        [(t("Skip"), encode(Action.OUTCOME, local_date, "skipped"))],
    ]


def feeling_question(t: Translator) -> str:
    """The second evening question."""
    return t("How are you feeling right now? 1 is low, 5 is great.")


def feeling_rows(t: Translator, local_date: date) -> Rows:
    """A 1-5 scale, and skip."""
    return [
        [(str(n), encode(Action.FEELING, local_date, n)) for n in range(1, 6)],
        [(t("Skip"), encode(Action.FEELING, local_date, 0))],
    ]


def received_question(t: Translator) -> str:
    """The third evening question (free text)."""
    return t("What kindness did you receive or witness today? Write a line, or tap Skip.")


def received_rows(t: Translator, local_date: date) -> Rows:
    """Skip the last question."""
    return [[(t("Skip"), encode(Action.RECEIVED_SKIP, local_date))]]


def goodnight(t: Translator, *, variant: int) -> str:
    """The close of the evening reflection."""
    return _goodnights(t)[variant % GOODNIGHT_COUNT]


def reflection_done_already(t: Translator) -> str:
    """/reflect when today's reflection is complete."""
    return t("You've already reflected today. Thank you. See you tomorrow.")


def out_of_date(t: Translator) -> str:
    """A button that no longer applies (from an earlier day, or already used)."""
    return t("That button is out of date, so nothing changed.")


def already_saved(t: Translator) -> str:
    """A button pressed twice."""
    return t("Already saved.")


def done_free_text_hint(t: Translator) -> str:
    """Free text with no step open, for someone set up."""
    return t(
        "Thank you for writing. Send /today to choose today's act, /done when you've done "
        "one, or /help for everything else."
    )
