"""Small helpers every conversation module shares: who is talking, in which language."""

from __future__ import annotations

from telegram import Update

from bot.i18n import Translator, translator_for


def translator(update: Update) -> Translator:
    """The translator for whoever sent ``update``."""
    user = update.effective_user
    return translator_for(user.language_code if user else None)
