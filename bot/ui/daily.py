"""Texts and buttons of the daily loop (morning choice, logging, evening reflection).

Pure functions: each takes the translator and plain values and returns HTML text or rows of
``(label, callback_data)``. Anything a person typed is escaped here.
"""

from __future__ import annotations

import html
from datetime import date

from bot.i18n import Translator
from bot.kindness.catalog import Act, Catalog
from bot.kindness.suggestions import seed_for, variant_index
from bot.services import daily
from bot.services.daily_prompts import ChecklistPrompt, EveningPrompt, MorningPrompt
from bot.services.memories import YEAR, Memory
from bot.ui import inline as inline_ui
from bot.ui import variants
from bot.ui.callbacks import Action, Rows, encode
from bot.ui.rhythm import render_checklist
from bot.ui.screens import Draft, PressAnswer, Screen
from bot.ui.texts import shorten
from bot.ui.time_input import format_time_of_day

# Message variants live in bot.ui.variants; the counts are re-exported for the services.
OPENER_COUNT = variants.OPENER_COUNT
EVENING_OPENER_COUNT = variants.EVENING_OPENER_COUNT
CELEBRATION_COUNT = variants.CELEBRATION_COUNT
NOT_TODAY_COUNT = variants.NOT_TODAY_COUNT
GOODNIGHT_COUNT = variants.GOODNIGHT_COUNT
TINY_COUNT = variants.TINY_COUNT


SHOWN_LIMIT = 3000
"""Longest stretch of a person's own words quoted back; the message must stay under 4096."""


def shown(text: str) -> str:
    """A person's words, escaped for HTML and shortened (only for display) if very long."""
    if len(text) > SHOWN_LIMIT:
        text = text[: SHOWN_LIMIT - 1] + "…"
    return html.escape(text)


MEMORY_LIMIT = 280
"""Longest stretch of a memory quoted back; a glimpse beside the evening question, not a page."""


def memory_words(text: str) -> str:
    """A memory's words: shortened, on one line, escaped for HTML."""
    return html.escape(shorten(" ".join(text.split()), MEMORY_LIMIT))


ACT_ACTIONS = (Action.PICK, Action.COMMIT, Action.TICK)
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
    t: Translator,
    first_name: str,
    acts: list[Act],
    *,
    variant: int,
    on_demand: bool,
    gentle: bool = False,
) -> str:
    """The morning prompt: a greeting, a varied question and the suggested acts.

    ``gentle``: the person asked for low-energy ideas, so the greeting says these are small.
    """
    name = html.escape(first_name)
    if gentle:
        greeting = t("Here are a few gentle one-minute ideas, {name}.", name=name)
    elif on_demand:
        greeting = t("Here are a few ideas for today, {name}.", name=name)
    else:
        greeting = t("Good morning, {name}.", name=name)
    lines = [f"{number}. {html.escape(t(act.text))}" for number, act in enumerate(acts, 1)]
    return "\n\n".join(
        (
            greeting,
            f"<b>{variants.openers(t)[variant % OPENER_COUNT]}</b>",
            "\n".join(lines),
            t("Pick one, or choose another way below."),
        )
    )


def morning_rows(
    t: Translator, local_date: date, acts: list[Act], *, low_energy: bool = False
) -> Rows:
    """Buttons under the morning prompt ("low energy" unless already chosen)."""
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
    last = [(t("Choose someone"), encode(Action.SOMEONE, local_date))]
    if not low_energy:
        last.append((t("Low energy today"), encode(Action.LOW_ENERGY, local_date)))
    rows.append(last)
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
    parts = [variants.not_today_replies(t)[variant % NOT_TODAY_COUNT]]
    if tiny is not None:
        parts.append(variants.tiny_self_kindness(t)[tiny % TINY_COUNT])
    parts.append(t("I'll still check in this evening."))
    return "\n\n".join(parts)


def snoozed_text(t: Translator, at: str) -> str:
    """The reply to "Later"."""
    return t("Sure. I'll come back to this at about {time}.", time=at)


def celebration_text(t: Translator, act_text: str, *, variant: int) -> str:
    """After logging an act: a varied celebration and the optional note question."""
    return "\n\n".join(
        (
            variants.celebrations(t)[variant % CELEBRATION_COUNT],
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


def left_as_it_was(t: Translator) -> str:
    """A cancel word ("cancel", "abbrechen") typed while a question was open."""
    return t("Okay, I've left it as it was.")


def what_did_you_do(t: Translator) -> str:
    """/done with nothing planned: ask what happened."""
    return t("Wonderful. What did you do? Write it in one line.")


def memory_text(t: Translator, memory: Memory) -> str:
    """A memory from a month or a year before, in the person's own words.

    "A year ago", never "a year ago today": 365 days back is another date when a 29 February
    lies between.
    """
    words = memory_words(memory.words)
    if memory.days_ago == YEAR:
        if memory.noticed:
            # Translators: a memory in the evening message. {words}: kindness the
            # person received or witnessed (their own words), 365 days before.
            return t("A year ago you noticed: <i>{words}</i>", words=words)
        # Translators: a memory in the evening message. {act}: an act of kindness
        # the person did 365 days before (own words, or an act like "Call a friend.").
        return t("A year ago you did this: <i>{act}</i>", act=words)
    if memory.noticed:
        # Translators: as "A year ago you noticed", written 30 days before.
        return t("A month ago you noticed: <i>{words}</i>", words=words)
    # Translators: as "A year ago you did this", done 30 days before.
    return t("A month ago you did this: <i>{act}</i>", act=words)


def evening_text(
    t: Translator,
    first_name: str,
    plan_text: str | None,
    *,
    on_demand: bool = False,
    variant: int = 0,
    memory: Memory | None = None,
    checklist: tuple[int, int] | None = None,
) -> str:
    """The first evening question, after a varied opener (and a memory, on an evening that
    has one), adapted to whether something was planned (or to a kindness day's list).
    """
    greeting = (
        t("Let's look back on today, {name}.", name=html.escape(first_name))
        if on_demand
        else t("Good evening, {name}.", name=html.escape(first_name))
    )
    if checklist is not None:
        question = checklist_evening_text(t, *checklist)
    elif plan_text:
        question = t("How did today's act go?\n<i>{act}</i>", act=shown(plan_text))
    else:
        question = t(
            "Nothing was planned today, and that's fine. Did a moment of kindness find its "
            "way into your day anyway, given or noticed?"
        )
    opener = variants.evening_openers(t)[variant % EVENING_OPENER_COUNT]
    if memory is None:
        return f"{greeting} {opener}\n\n{question}"
    return f"{greeting} {opener}\n\n{memory_text(t, memory)}\n\n{question}"


def evening_rows(t: Translator, local_date: date, *, planned: bool) -> Rows:
    """Did it / partly / not today, and skip."""
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
    return variants.goodnights(t)[variant % GOODNIGHT_COUNT]


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


# --- rendering the daily prompts ---------------------------------------------------------------


def render_morning(t: Translator, prompt: MorningPrompt) -> Screen:
    """The morning prompt: greeting, a varied opener, the acts and their buttons."""
    acts = list(prompt.acts)
    text = morning_text(
        t,
        prompt.first_name,
        acts,
        variant=variant_index(OPENER_COUNT, user_id=prompt.person_id, step=prompt.opener),
        on_demand=prompt.on_demand,
        gentle=prompt.gentle,
    )
    return screen(text, morning_rows(t, prompt.day, acts, low_energy=prompt.gentle))


def checklist_evening_text(t: Translator, ticked: int, listed: int) -> str:
    """A kindness day's evening: how the list went, then how the person feels."""
    if ticked:
        # Translators: {n} acts of the day's list of {total} were ticked off.
        went = t.plural(
            "Your kindness day: {n} of {total} acts ticked off. Thank you.",
            "Your kindness day: {n} of {total} acts ticked off. Thank you.",
            ticked,
            total=listed,
        )
    else:
        went = t("Your kindness day's list stayed open today, and that's fine.")
    return f"{went}\n\n{feeling_question(t)}"


def quiet_evening_text(t: Translator, first_name: str, memory: Memory | None) -> str:
    """A quiet day's evening under kindness days: only the question about kindness received."""
    greeting = t("Good evening, {name}.", name=html.escape(first_name))
    question = t(
        "One question for a quiet day: what kindness did you receive or witness today? "
        "Write a line, or tap Skip."
    )
    if memory is None:
        return f"{greeting}\n\n{question}"
    return f"{greeting}\n\n{memory_text(t, memory)}\n\n{question}"


def render_evening(t: Translator, prompt: EveningPrompt) -> Screen:
    """The first evening question, with a varied opener, and its buttons."""
    if prompt.quiet:
        return screen(
            quiet_evening_text(t, prompt.first_name, prompt.memory),
            received_rows(t, prompt.day),
        )
    step = prompt.day.toordinal()
    text = evening_text(
        t,
        prompt.first_name,
        prompt.planned,
        on_demand=prompt.on_demand,
        variant=variant_index(EVENING_OPENER_COUNT, user_id=prompt.person_id, step=step),
        memory=prompt.memory,
        checklist=prompt.checklist,
    )
    if prompt.checklist is not None:
        return screen(text, feeling_rows(t, prompt.day))
    return screen(text, evening_rows(t, prompt.day, planned=prompt.planned is not None))


def screen(text: str, rows: Rows = ()) -> Screen:
    """A message with these button rows."""
    return Screen(text=text, buttons=[list(row) for row in rows])


def render(t: Translator, locale: str | None, result: daily.Result) -> Screen:
    """One message for a daily-loop result (a refusal renders as its short note)."""
    match result:
        case daily.Refusal.OUT_OF_DATE:
            return screen(out_of_date(t))
        case daily.Refusal.ALREADY_SAVED:
            return screen(already_saved(t))
        case daily.Said():
            return screen(_said(t, result))
        case MorningPrompt():
            return render_morning(t, result)
        case ChecklistPrompt():
            return render_checklist(t, result)
        case EveningPrompt():
            return render_evening(t, result)
        case daily.ActDetail(day=day, act=act):
            return screen(act_detail_text(t, act), act_detail_rows(t, day, act))
        case daily.PlanShown(day=day, plan_id=plan_id, act_text=act_text):
            return screen(plan_text(t, act_text), plan_rows(t, day, plan_id))
        case daily.Asked(said=daily.Said.FEELING_QUESTION, day=day):
            return screen(feeling_question(t), feeling_rows(t, day))
        case daily.Asked(day=day):
            return screen(received_question(t), received_rows(t, day))
        case daily.Snoozed(at=at):
            return screen(snoozed_text(t, format_time_of_day(at, locale)))
        case daily.Passed(person_id=person_id, day=day):
            return screen(_passed_text(t, person_id, day))
        case daily.Logged():
            return _logged(t, result)
        case daily.InlineLogged(logged=logged, tomorrow=tomorrow):
            shown = _logged(t, logged)
            if not tomorrow:
                return shown
            counted = t("That's tomorrow's act, so tomorrow morning I'll leave you be.")
            return Screen(text=f"{shown.text}\n\n{counted}", buttons=shown.buttons)
        case daily.Goodnight(person_id=person_id, day=day, received=received):
            step = day.toordinal()
            variant = variant_index(GOODNIGHT_COUNT, user_id=person_id, step=step)
            if not received:
                return screen(goodnight(t, variant=variant))
            return Screen(
                text="\n\n".join((goodnight(t, variant=variant), thank_back_offer(t))),
                draft=Draft(label=t("Write a thank-you"), query=t("thanks")),
            )
    raise AssertionError(f"no rendering for {result!r}")  # pragma: no cover


def _said(t: Translator, said: daily.Said) -> str:
    texts = {
        daily.Said.OWN_IDEA_QUESTION: own_idea_question,
        daily.Said.WHAT_DID_YOU_DO: what_did_you_do,
        daily.Said.NOTE_SAVED: note_saved,
        daily.Said.NOTE_SKIPPED: note_skipped,
        daily.Said.LEFT_AS_IT_WAS: left_as_it_was,
        daily.Said.DONE_HINT: done_free_text_hint,
        daily.Said.REFLECTION_DONE: reflection_done_already,
        daily.Said.FEELING_QUESTION: feeling_question,
        daily.Said.RECEIVED_QUESTION: received_question,
    }
    return texts[said](t)


def _passed_text(t: Translator, person_id: int, day: date) -> str:
    step = day.toordinal()
    variant = variant_index(NOT_TODAY_COUNT, user_id=person_id, step=step)
    # The tiny idea is optional: offered on about two days in three.
    tiny_seed = seed_for("tiny", person_id, step)
    tiny = None if tiny_seed % 3 == 0 else tiny_seed
    return not_today_text(t, variant=variant, tiny=tiny)


def _logged(t: Translator, logged: daily.Logged) -> Screen:
    variant = variant_index(CELEBRATION_COUNT, user_id=logged.person_id, step=logged.count)
    return screen(
        celebration_text(t, logged.act_text, variant=variant), note_rows(t, logged.act_done_id)
    )


def thank_back_offer(t: Translator) -> str:
    """After kindness received was named: a thank-you, if the person wants (once, skippable)."""
    return t(
        "Would you like to thank them? The button opens a short thank-you note in a chat you "
        "pick, to send as it is or in your own words. Or simply let it be."
    )


def render_press(t: Translator, locale: str | None, result: daily.Result) -> PressAnswer:
    """What a daily-loop button press shows: a note, an edit in place, or new messages."""
    if isinstance(result, daily.Refusal):
        return PressAnswer(note=render(t, locale, result).text)
    if isinstance(result, daily.InlineLogged):
        # The offer loses its button, so a second tap cannot log the same note twice.
        return PressAnswer(
            edit=screen(inline_ui.offer_to_log(t, result.kind, tomorrow=result.tomorrow)),
            send=[render(t, locale, result)],
        )
    # Choosing and the evening questions replace the pressed message; the rest arrives anew.
    if isinstance(result, daily.ActDetail | daily.PlanShown | daily.Asked | MorningPrompt):
        return PressAnswer(edit=render(t, locale, result))
    return PressAnswer(send=[render(t, locale, result)])
