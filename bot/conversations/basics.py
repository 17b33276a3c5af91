"""/help, groups and channels, and what happens with messages no other flow claims."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.conversations.common import person_help, person_translator
from bot.deps import Context
from bot.ui import texts


async def help_command(update: Update, context: Context) -> None:
    """List the commands in plain words, with crisis resources."""
    if update.effective_message:
        await update.effective_message.reply_text(
            texts.help_text(*await person_help(update, context))
        )


async def group_chat(update: Update, context: Context) -> None:
    """Explain that Kindling works in private chats; store nothing about the group."""
    message = update.effective_message
    if message is None or update.effective_chat is None:
        return
    if update.effective_chat.type == ChatType.CHANNEL:
        return  # a channel has no one to answer; posting there would be noise
    if (message.text or "").startswith("/") or _mentions_bot(update, context):
        await message.reply_text(
            texts.private_chats_only(await person_translator(update, context))
        )


async def business_chat(update: Update, context: Context) -> None:
    """A chat of a business account Kindling was connected to: stay out of it entirely."""
    # Kindling is a person's own companion; answering there would speak for the business
    # owner to their customers, and would store customers who never started Kindling.


def _mentions_bot(update: Update, context: Context) -> bool:
    message = update.effective_message
    username = context.bot.username
    return bool(message and message.text and username and f"@{username}" in message.text)


async def unknown_command(update: Update, context: Context) -> None:
    """A command Kindling does not have: point to /help."""
    if update.effective_message:
        await update.effective_message.reply_text(
            texts.unknown_command(await person_translator(update, context))
        )


async def stale_button(update: Update, context: Context) -> None:
    """A button no flow recognises (forged, or from an older version): answer, change nothing."""
    if update.callback_query:
        await update.callback_query.answer(
            texts.button_out_of_date(await person_translator(update, context))
        )


async def unsupported_content(update: Update, context: Context) -> None:
    """Stickers, photos, voice and files: a gentle note."""
    if update.effective_message:
        await update.effective_message.reply_text(
            texts.unsupported_content(await person_translator(update, context))
        )


def gatekeepers() -> list[BaseHandler[Update, Context, None]]:
    """Business chats, groups and channels; tried before everything else."""
    private = filters.ChatType.PRIVATE
    return [
        MessageHandler(filters.UpdateType.BUSINESS_MESSAGES, business_chat),
        MessageHandler(~private & filters.UpdateType.MESSAGES, group_chat),
        MessageHandler(filters.UpdateType.CHANNEL_POSTS, group_chat),
    ]


def build_handlers() -> list[BaseHandler[Update, Context, None]]:
    """/help."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("help", help_command, filters=private),
    ]


def fallbacks() -> list[BaseHandler[Update, Context, None]]:
    """Unknown commands, unknown buttons and non-text messages; tried last."""
    private = filters.ChatType.PRIVATE
    return [
        MessageHandler(private & filters.COMMAND, unknown_command),
        CallbackQueryHandler(stale_button),
        MessageHandler(private & ~filters.TEXT, unsupported_content),
    ]
