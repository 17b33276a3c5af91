"""Every user-facing sentence, built through the translator. Pure functions, no I/O.

Texts are HTML (the application's default parse mode): anything a person typed must pass
through :func:`html.escape` before it is placed in a message.
"""

from __future__ import annotations

import html

from babel import Locale, UnknownLocaleError

from bot.i18n import Translator
from bot.kindness.helplines import CountryHelp, Helpline

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" when it was cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def welcome(t: Translator, first_name: str) -> str:
    """The first message after /start for someone new."""
    return "\n\n".join(
        (
            t("Hi {name}, I'm Kindling.", name=html.escape(first_name)),
            t(
                "Each morning I'll suggest a few small acts of kindness and you pick one. "
                "Each evening I'll ask how it went and what kindness you received or "
                "witnessed."
            ),
            t("“Not today” is always a fine answer. Being kind to yourself counts too."),
            t(
                "I'm a habit companion, not a therapist or a crisis service. "
                "If things feel heavy, /help shows where to find support."
            ),
        )
    )


def welcome_back(t: Translator, first_name: str, *, reactivated: bool) -> str:
    """/start from someone Kindling already knows (``reactivated``: they had stopped it)."""
    if reactivated:
        return t(
            "Welcome back, {name}. Everything you shared is still here, and your daily "
            "prompts are on again.",
            name=html.escape(first_name),
        )
    return t(
        "Hello again, {name}. Everything you shared is still here.", name=html.escape(first_name)
    )


def help_text(t: Translator, help: CountryHelp | None = None) -> str:
    """What /help shows: the commands in plain words, and where to find help."""
    return "\n".join(
        (
            t("Here is what I can do:"),
            "",
            t("/today – today's act, or a few ideas to choose from"),
            t("/done – log an act; /done with a few words logs something you did"),
            t("/reflect – look back on today"),
            t("/journal – your acts and reflections, day by day"),
            t("/week – your week in kindness, with a chart"),
            t("/settings – time zone, times, days, pauses"),
            t("/timezone Berlin – set your time zone by city or zone name"),
            t("/morning 8:30 and /evening 20:30 – when I write to you"),
            t("/pause 3 – a break for a few days; /resume – back on"),
            t("/stop – no more messages; what you shared is kept"),
            t("/start – set up Kindling or switch it back on"),
            t("/privacy – what I keep and why; /export – all of it as files"),
            t("/delete – erase everything I keep about you"),
            t("/crisis – where to find help right now"),
            t("/help – this message"),
            "",
            t("Kindling is a small daily practice, not therapy."),
            crisis_resources(t, help),
        )
    )


def crisis_resources(t: Translator, help: CountryHelp | None = None) -> str:
    """Where to find help right now; shown beside the reminder that Kindling is not therapy.

    With the person's country known and listed: its crisis lines, its emergency number,
    then the worldwide directory. Otherwise the worldwide text.
    """
    if help is not None:
        return country_resources(t, help)
    return t(
        "If you are in danger or thinking about ending your life, please call your local "
        "emergency number now. You can find a free, confidential helpline in your country at "
        "findahelpline.com. In the US, call or text 988. In the UK and Ireland, Samaritans "
        "are on 116 123."
    )


def crisis_message(t: Translator, help: CountryHelp | None = None) -> str:
    """The reply to crisis language, and what /crisis shows: warmth, helplines, honesty."""
    return "\n\n".join(
        (
            t("I'm really glad you told me. You deserve support right now, from a person."),
            crisis_resources(t, help),
            t(
                "I'm a small kindness companion, not a crisis service, and I can't reply the "
                "way a person can. Your words here were not saved."
            ),
        )
    )


def private_chats_only(t: Translator) -> str:
    """Reply in groups and channels, where Kindling stores nothing."""
    return t(
        "I work in a private chat, one person at a time. Tap my name and press Start "
        "to begin there. I don't keep anything from this group."
    )


def not_started(t: Translator) -> str:
    """Anything from someone who never pressed /start."""
    return t("Let's get you set up first. Send /start to begin.")


def unknown_command(t: Translator) -> str:
    """A command Kindling does not have."""
    return t("I don't know that command. Send /help to see the ones I have.")


def button_out_of_date(t: Translator) -> str:
    """A button Kindling no longer recognises."""
    return t("That button is out of date, so nothing changed.")


def unsupported_content(t: Translator) -> str:
    """Stickers, photos, voice and files where text is expected."""
    return t("That's lovely, but I can only read text for now. Send /help to see the options.")


def something_went_wrong(t: Translator) -> str:
    """Reply from the global error handler."""
    return t(
        "Sorry, something went wrong on my side. Nothing you told me was lost. "
        "Please try again in a moment."
    )


def could_not_save(t: Translator) -> str:
    """Reply when the database is away (down, locked or full): nothing stored is lost."""
    return t(
        "I couldn't save that just now, please try again in a moment. "
        "Everything you shared before is safe."
    )


def country_resources(t: Translator, help: CountryHelp) -> str:
    """A listed country's help: its crisis lines first, then the emergency number, then the
    worldwide directory (the order of the issue: the line made for this moment comes first).
    """
    lines = []
    if help.lines:
        lines += [t("Free, confidential support in {country}:", country=_country(t, help))]
        lines += [f"• {_helpline(t, line)}" for line in help.lines]
        lines.append("")
    lines += [
        t(
            "If you are in danger or thinking about ending your life, please call {number} now.",
            number=help.emergency,
        ),
        "",
        t(
            "Somewhere else? findahelpline.com lists free, confidential helplines in every "
            "country."
        ),
    ]
    return "\n".join(lines)


def _country(t: Translator, help: CountryHelp) -> str:
    try:
        name = Locale.parse(t.locale).territories.get(help.country)
    except (ValueError, UnknownLocaleError):
        name = None
    return str(name or help.country)


def _helpline(t: Translator, line: Helpline) -> str:
    ways = [t("call {number}", number=" / ".join(line.phones))] if line.phones else []
    if line.sms and line.sms_keyword:
        ways.append(t("text {keyword} to {number}", keyword=line.sms_keyword, number=line.sms))
    elif line.sms:
        ways.append(t("text {number}", number=line.sms))
    if line.chat:
        ways.append(t("chat at {url}", url=line.chat))
    if line.always_open:
        ways.append(t("day and night"))
    return t("{service}: {contacts}", service=html.escape(line.name), contacts=", ".join(ways))
