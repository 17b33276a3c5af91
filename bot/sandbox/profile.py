"""The bot's profile: who it is (``getMe``), its command menus and its descriptions.

Kindling sets the menu and both descriptions once per language at start-up; the getters are
here so that tests, and python-telegram-bot, read back what Telegram would answer.
"""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.params import Files, Handler, Params
from bot.sandbox.validation import check_bot_description, check_bot_language_code, check_commands


def _bot_id(token: str) -> int:
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 123456


class BotProfile:
    """The bot's ``User`` JSON, its commands by (scope, language) and its texts by language.

    Args:
        token: The bot token; its numeric head is the bot's id, as on Telegram.
        username: The bot's username, without ``@``.
        first_name: The bot's display name.
    """

    def __init__(self, token: str, *, username: str, first_name: str) -> None:
        self.bot_user: dict[str, Any] = {
            "id": _bot_id(token),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        #: Command lists by (JSON of the scope, language code); ``""`` is no language.
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        #: ``setMyDescription`` / ``setMyShortDescription`` texts by language (``""``: default).
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}

    def methods(self) -> dict[str, Handler]:
        """The Bot API methods of this concern, by lowercase name."""
        return {
            "getme": self._get_me,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "setmydescription": self._set_my_description,
            "getmydescription": self._get_my_description,
            "setmyshortdescription": self._set_my_short_description,
            "getmyshortdescription": self._get_my_short_description,
        }

    # -- what a person sees --------------------------------------------------------------------

    def menu(self, language_code: str = "") -> list[dict[str, str]]:
        """The default-scope command menu a person with ``language_code`` sees.

        As Telegram's clients choose it: the list set for that language, else the one set
        without a language. (``getMyCommands`` itself answers only the exact list.)
        """
        scope = json.dumps({"type": "default"})
        found = self.commands.get((scope, language_code), self.commands.get((scope, ""), []))
        return [dict(command) for command in found]

    def description_for(self, language_code: str = "") -> str:
        """The description a person with ``language_code`` sees (``getMyDescription``)."""
        return self.descriptions.get(language_code, self.descriptions.get("", ""))

    def short_description_for(self, language_code: str = "") -> str:
        """The short description a person with ``language_code`` sees."""
        return self.short_descriptions.get(language_code, self.short_descriptions.get("", ""))

    # -- methods -------------------------------------------------------------------------------

    async def _get_me(self, params: Params, files: Files) -> Any:
        return dict(self.bot_user)

    @staticmethod
    def _commands_key(params: Params) -> tuple[str, str]:
        scope = params.optional_json("scope", what="bot command scope")
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")
        language = check_bot_language_code(params.optional_str("language_code"))
        return json.dumps(scope, sort_keys=True), language

    async def _set_my_commands(self, params: Params, files: Files) -> Any:
        raw = params.optional_json("commands", what="commands")
        if raw is None:
            raise bad_request('parameter "commands" is required')
        commands = check_commands(raw)
        key = self._commands_key(params)
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return True

    async def _get_my_commands(self, params: Params, files: Files) -> Any:
        return [dict(command) for command in self.commands.get(self._commands_key(params), [])]

    @staticmethod
    def _set_text(store: dict[str, str], params: Params, key: str, *, short: bool) -> bool:
        # The text is read (and type-checked) first, then the language, as TDLib does.
        text = params.optional_str(key) or ""
        language = check_bot_language_code(params.optional_str("language_code"))
        if text:
            store[language] = check_bot_description(text, short=short)
        else:
            store.pop(language, None)  # an empty or missing text removes that language's own
        return True

    @staticmethod
    def _get_text(store: dict[str, str], params: Params) -> str:
        language = check_bot_language_code(params.optional_str("language_code"))
        return store.get(language, store.get("", ""))

    async def _set_my_description(self, params: Params, files: Files) -> Any:
        return self._set_text(self.descriptions, params, "description", short=False)

    async def _get_my_description(self, params: Params, files: Files) -> Any:
        return {"description": self._get_text(self.descriptions, params)}

    async def _set_my_short_description(self, params: Params, files: Files) -> Any:
        return self._set_text(self.short_descriptions, params, "short_description", short=True)

    async def _get_my_short_description(self, params: Params, files: Files) -> Any:
        return {"short_description": self._get_text(self.short_descriptions, params)}
