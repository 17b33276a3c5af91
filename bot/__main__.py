"""`python -m bot`: the same as the `kindling` command."""

from bot.cli import entry_point

entry_point()
