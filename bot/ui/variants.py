"""Message variants for every recurring message, so the daily voice stays fresh.

Each list is a function of the translator so the English text stays the translation key
(every line is a literal ``t("...")`` call, extractable for translators). Which variant a
person sees is chosen by :func:`bot.kindness.suggestions.variant_index`, never the same twice
in a row. The counts are constants so callers can pick an index without a translator; a unit
test keeps them equal to the lists.
"""

from __future__ import annotations

from typing import Final

from bot.i18n import Translator

__all__ = [
    "CELEBRATION_COUNT",
    "EVENING_OPENER_COUNT",
    "GOODNIGHT_COUNT",
    "NOT_TODAY_COUNT",
    "OPENER_COUNT",
    "TINY_COUNT",
    "celebrations",
    "evening_openers",
    "goodnights",
    "not_today_replies",
    "openers",
    "tiny_self_kindness",
]

OPENER_COUNT: Final = 32
EVENING_OPENER_COUNT: Final = 30
CELEBRATION_COUNT: Final = 22
NOT_TODAY_COUNT: Final = 16
GOODNIGHT_COUNT: Final = 16
TINY_COUNT: Final = 8


def openers(t: Translator) -> list[str]:
    """The morning question above the suggested acts."""
    return [
        t("Who could you encourage today?"),
        t("Who might be glad to hear from you today?"),
        t("Whose day could you make a little lighter?"),
        t("Who around you could use a kind word today?"),
        t("Who could you cheer on today?"),
        t("What small kindness fits your day today?"),
        t("Who crossed your mind lately? Maybe today is their day."),
        t("Where could a little warmth go today?"),
        t("What would make someone smile today, you included?"),
        t("Who has been carrying a lot lately?"),
        t("Who could you thank today?"),
        t("What kind thing would feel easy today?"),
        t("Who might need a little patience from you today?"),
        t("Whose effort could you notice today?"),
        t("What is one gentle thing you could do today?"),
        t("Who would enjoy a surprise message today?"),
        t("Who is new around you, and could use a welcome?"),
        t("What could you share today: time, a skill, a smile?"),
        t("Who made your life easier lately?"),
        t("What would a kind day look like for you?"),
        t("Who could you listen to a little longer today?"),
        t("Where could you leave things a bit better than you found them?"),
        t("Who might feel alone today?"),
        t("What small thing could you do for your future self today?"),
        t("Who could you make room for today?"),
        t("What kindness would fit in a spare minute today?"),
        t("Who do you miss? A short hello could go a long way."),
        t("Whose good news could you celebrate today?"),
        t("What would you like to give today, and to whom?"),
        t("Who quietly helps you? Today could be their turn."),
        t("What could make today a little softer for someone?"),
        t("Which of these feels right for today?"),
    ]


def evening_openers(t: Translator) -> list[str]:
    """A line after the evening greeting, before the first reflection question."""
    return [
        t("Let's take a quiet minute to look back."),
        t("Time to slow down for a moment."),
        t("However today went, it's worth a gentle look back."),
        t("A short look back, then rest."),
        t("Let's see what today held."),
        t("Just a few taps, and you're done for today."),
        t("Before the day ends, a moment for you."),
        t("Let's notice the good bits of today, however small."),
        t("Pause with me for a moment."),
        t("The day is winding down. Let's look back kindly."),
        t("A minute of looking back, no pressure."),
        t("Let's close the day gently."),
        t("Here's a calm moment to think about today."),
        t("Every day counts, quiet ones too."),
        t("Let's take stock, softly."),
        t("Here's your evening check-in, short and sweet."),
        t("A gentle look at today, whatever it was like."),
        t("Let's wrap up the day together."),
        t("Time for a small, kind look back."),
        t("Whatever today brought, you made it here."),
        t("Let's pause and see what stood out today."),
        t("A quiet moment before the evening carries on."),
        t("Let's look back with the same kindness you'd give a friend."),
        t("Three quick questions, and then rest."),
        t("A moment to notice today, nothing more."),
        t("Let's check in, gently."),
        t("Today is nearly done. Shall we look back?"),
        t("A small evening pause, just for you."),
        t("Let's look at today with soft eyes."),
        t("A few moments to reflect, then the evening is yours."),
    ]


def celebrations(t: Translator) -> list[str]:
    """After logging an act."""
    return [
        t("That's lovely. Small acts like this add up."),
        t("Well done. Someone's day just got a little warmer."),
        t("Thank you for doing that. Kindness ripples further than we see."),
        t("Beautiful. That counts, every bit of it."),
        t("Noted with a smile. The world is a little kinder for it."),
        t("Lovely. That kind of thing stays with people."),
        t("That's wonderful. Thank you for being kind today."),
        t("Kept safe. What a nice thing to have done."),
        t("How lovely. Little things like this matter a lot."),
        t("Thank you. That was a real gift to someone."),
        t("That's a warm one. Well done."),
        t("Lovely work. Kindness looks good on you."),
        t("That made the world a touch gentler."),
        t("Beautifully done. Someone will remember that."),
        t("Logged, and appreciated. Thank you."),
        t("What a kind thing to do. Thank you."),
        t("That's the kind of moment that makes a day."),
        t("Nicely done. Small and real is perfect."),
        t("Thank you for that. It counts."),
        t("That's lovely to hear."),
        t("Well done you. That took a little heart."),
        t("A small act, a real difference. Thank you."),
    ]


def not_today_replies(t: Translator) -> list[str]:
    """The kind reply to "Not today"."""
    return [
        t("That's completely fine. Some days are for resting."),
        t("No problem at all. Tomorrow is a fresh page."),
        t("Of course. Taking a pause is allowed."),
        t("All good. Looking after your energy matters too."),
        t("That's okay. Rest is part of kindness too."),
        t("Understood. Be gentle with yourself today."),
        t("That's fine. Some days ask less of us, and that's alright."),
        t("Sure thing. You know what today needs."),
        t("No worries. The ideas will still be here tomorrow."),
        t("Okay. Kindness to yourself counts today."),
        t("Thanks for letting me know. Take it easy."),
        t("That's alright. A quieter day is still a good day."),
        t("Of course. There's no rush with any of this."),
        t("Fair enough. Looking after yourself is a kindness."),
        t("That's fine by me. I hope the day treats you gently."),
        t("Noted, and that's perfectly okay."),
    ]


def goodnights(t: Translator) -> list[str]:
    """The close of the evening reflection."""
    return [
        t("Thank you for reflecting. Sleep well."),
        t("Goodnight. Be gentle with yourself tonight."),
        t("Thanks for sharing your day. Rest well."),
        t("That's all for today. Sleep well, and see you tomorrow."),
        t("Thank you. Rest easy tonight."),
        t("All done for today. Goodnight."),
        t("Thanks for taking a moment. Sleep well."),
        t("That's today wrapped up. Rest well."),
        t("Thank you for looking back. Have a calm night."),
        t("Goodnight. Tomorrow is a fresh page."),
        t("Thanks. I hope you sleep soundly."),
        t("That's everything. Have a restful evening."),
        t("Thank you for checking in. Goodnight."),
        t("Rest well. You did enough today."),
        t("Sleep well, and be kind to yourself."),
        t("Thanks for today. See you in the morning."),
    ]


def tiny_self_kindness(t: Translator) -> list[str]:
    """An optional tiny idea offered after "Not today"."""
    return [
        t("If you like, one tiny thing just for you: a glass of water, slowly."),
        t("If you like, one tiny thing just for you: three slow breaths by a window."),
        t("If you like, one tiny thing just for you: a short stretch."),
        t("If you like, one tiny thing just for you: a song you love."),
        t("If you like, one tiny thing just for you: five minutes outside."),
        t("If you like, one tiny thing just for you: a warm drink, no screen."),
        t("If you like, one tiny thing just for you: an early night."),
        t("If you like, one tiny thing just for you: a kind word to yourself."),
    ]
