"""Inline mode (``@bot`` in any chat): short encouraging messages and thank-you notes to send
with one tap, and the offer afterwards to log it as today's act. Pure functions, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.i18n import Translator, translator_for
from bot.kindness.crisis import normalize
from bot.services.inline import ENCOURAGE, KINDS, THANKS, LogOffer, kind_of
from bot.services.unit import Answer
from bot.ui.callbacks import Action, Rows, encode
from bot.ui.screens import Screen

__all__ = [
    "ENCOURAGE",
    "KINDS",
    "LOGGED_ACT",
    "MAX_RESULTS",
    "THANKS",
    "Note",
    "kind_of",
    "logged_text",
    "matching",
    "notes",
    "offer_rows",
    "offer_to_log",
    "render_offer",
    "support_button",
]

MAX_RESULTS: Final = 20
LOGGED_ACT: Final = {ENCOURAGE: "encourage_colleague", THANKS: "thank_message"}
"""The catalog act a sent note counts as, so suggestions learn from it."""


@dataclass(frozen=True)
class Note:
    """One message someone can send from any chat.

    Attributes:
        kind: :data:`ENCOURAGE` or :data:`THANKS`.
        key: Short stable name; with the kind, the inline result id.
        title: What the list shows in bold.
        text: The message that is sent.
        words: Extra search words (translated too), beyond the title and text.
    """

    kind: str
    key: str
    title: str
    text: str
    words: str

    @property
    def result_id(self) -> str:
        """The inline result id, ``"<kind>:<key>"`` (at most 64 bytes)."""
        return f"{self.kind}:{self.key}"


def notes(t: Translator) -> list[Note]:
    """Every note, in the person's language."""
    e, h = ENCOURAGE, THANKS
    return [
        Note(
            e,
            "proud",
            t("Proud of you"),
            t("Just wanted to say: I'm proud of you."),
            t("proud well done"),
        ),
        Note(
            e,
            "got_this",
            t("You've got this"),
            t("You've got this. I'm cheering for you."),
            t("exam interview test luck nervous"),
        ),
        Note(
            e,
            "thinking",
            t("Thinking of you"),
            t("Thinking of you today. No need to reply."),
            t("miss hard sad sick"),
        ),
        Note(
            e,
            "luck",
            t("Good luck"),
            t("Good luck today. Whatever happens, I'm in your corner."),
            t("exam interview test luck"),
        ),
        Note(
            e,
            "rest",
            t("Be gentle with yourself"),
            t("Be gentle with yourself today. You're doing your best."),
            t("tired stress hard sad"),
        ),
        Note(
            e,
            "here",
            t("I'm here"),
            t("I'm here if you want to talk, or not talk. Either is fine."),
            t("sad hard support listen"),
        ),
        Note(
            e,
            "step",
            t("One step at a time"),
            t("One small step at a time is still moving forward."),
            t("hard stress work project"),
        ),
        Note(
            e,
            "glad",
            t("Glad you exist"),
            t("I'm really glad you're in my life."),
            t("friend love family"),
        ),
        Note(
            e,
            "effort",
            t("I see your effort"),
            t("I see how hard you're working. It shows."),
            t("work project study effort"),
        ),
        Note(
            e,
            "brave",
            t("That was brave"),
            t("That took courage. I admire you for it."),
            t("brave courage proud"),
        ),
        Note(
            e, "hug", t("Sending a hug"), t("Sending you a big hug today."), t("hug sad love miss")
        ),
        Note(
            e,
            "smile",
            t("Made me smile"),
            t("Thought of you and it made me smile."),
            t("smile friend happy"),
        ),
        Note(
            e,
            "better",
            t("Hope today is kind"),
            t("Hope today is kind to you."),
            t("morning day sick"),
        ),
        Note(
            e,
            "feel_better",
            t("Feel better soon"),
            t("Feel better soon. Rest up, and shout if you need anything."),
            t("sick ill rest hospital"),
        ),
        Note(
            e,
            "congrats",
            t("Congratulations"),
            t("Congratulations. You really earned this."),
            t("congrats win news birthday"),
        ),
        Note(
            e,
            "birthday",
            t("Happy birthday"),
            t("Happy birthday. I hope this year is gentle and full of good things."),
            t("birthday celebrate"),
        ),
        Note(
            e,
            "coffee",
            t("Coffee soon?"),
            t("Been thinking of you. Coffee or a walk soon?"),
            t("meet coffee walk miss"),
        ),
        Note(
            e,
            "enough",
            t("You are enough"),
            t("A reminder: you're enough, just as you are."),
            t("self worth sad hard"),
        ),
        Note(
            h,
            "thank_you",
            t("Thank you"),
            t("Thank you. It really meant a lot to me."),
            t("thanks grateful"),
        ),
        Note(
            h,
            "help",
            t("Thanks for your help"),
            t("Thank you for your help. You made things so much easier."),
            t("thanks help work"),
        ),
        Note(
            h,
            "listening",
            t("Thanks for listening"),
            t("Thank you for listening. I feel lighter for it."),
            t("thanks listen talk"),
        ),
        Note(
            h,
            "being_there",
            t("Thanks for being there"),
            t("Thank you for being there when it counted."),
            t("thanks friend support"),
        ),
        Note(
            h,
            "lesson",
            t("Thanks for teaching me"),
            t("Thank you for what you taught me. I still use it."),
            t("thanks teacher mentor learn"),
        ),
        Note(
            h,
            "patience",
            t("Thanks for your patience"),
            t("Thank you for your patience with me. I noticed it."),
            t("thanks patience work"),
        ),
        Note(
            h,
            "meal",
            t("Thanks for the meal"),
            t("Thank you for the lovely meal, and the company."),
            t("thanks food dinner lunch"),
        ),
        Note(
            h,
            "gift",
            t("Thanks for the gift"),
            t("Thank you for the thoughtful gift. It made my day."),
            t("thanks present gift"),
        ),
        Note(
            h,
            "advice",
            t("Thanks for the advice"),
            t("Thanks for your advice. It helped more than you know."),
            t("thanks advice help"),
        ),
        Note(
            h,
            "friend",
            t("Thanks for being my friend"),
            t("Thank you for being such a good friend."),
            t("thanks friend love"),
        ),
        Note(
            h,
            "work",
            t("Great work, thank you"),
            t("Thank you for your great work on this. It made a real difference."),
            t("thanks work team colleague"),
        ),
        Note(
            h,
            "everyday",
            t("Thanks for everything you do"),
            t("Thank you for all the everyday things you do. I see them."),
            t("thanks family partner parent"),
        ),
    ]


def matching(t: Translator, query: str, *, seed: int) -> list[Note]:
    """The notes whose words match every typed word (prefixes count), in a varied order.

    Nothing typed, or nothing matching: every note, so the list is never empty. The order
    rotates with ``seed`` so the first few results change from day to day.
    """
    everything = notes(t)
    words = normalize(query).split()
    found = [n for n in everything if all(_has_word(n, t, w) for w in words)] if words else []
    chosen = found or everything
    start = seed % len(chosen)
    return (chosen[start:] + chosen[:start])[:MAX_RESULTS]


def _has_word(note: Note, t: Translator, word: str) -> bool:
    label = t("thanks") if note.kind == THANKS else t("encourage")
    haystack = normalize(" ".join((note.title, note.text, note.words, label))).split()
    return any(candidate.startswith(word) for candidate in haystack)


def support_button(t: Translator) -> str:
    """Shown above inline results when the typed words sound like a crisis."""
    return t("Need support now? Tap here.")


def offer_to_log(t: Translator, kind: str, *, tomorrow: bool = False) -> str:
    """In the private chat, after a note was sent from another chat.

    ``tomorrow``: a thank-you sent after the evening reflection counts as tomorrow's act.
    """
    if kind == THANKS and tomorrow:
        return t("You sent a thank-you note. Shall I count it as tomorrow's act of kindness?")
    if kind == THANKS:
        return t("You sent a thank-you note. Shall I count it as today's act of kindness?")
    return t("You sent some encouragement. Shall I count it as today's act of kindness?")


def offer_rows(t: Translator, local_date: date, kind: str) -> Rows:
    """Log the sent note as today's act."""
    return [[(t("Yes, log it"), encode(Action.INLINE_LOG, local_date, kind))]]


def render_offer(answer: Answer[LogOffer]) -> Screen:
    """The offer, in the person's private chat, to log the note they just sent."""
    t = translator_for(answer.language)
    offer = answer.result
    rows = offer_rows(t, offer.local_date, offer.kind)
    text = offer_to_log(t, offer.kind, tomorrow=offer.tomorrow)
    return Screen(text=text, buttons=[list(row) for row in rows])


def logged_text(t: Translator, kind: str) -> str:
    """What the log keeps for a sent note."""
    if kind == THANKS:
        return t("Sent a thank-you note")
    return t("Sent an encouraging message")
