"""The update side of the sandbox: the queue, long polling with ``getUpdates``, and webhooks.

Simulated people put updates on the queue (``enqueue``); the bot reads them with ``getUpdates``
or, once ``setWebhook`` is called, ``WebhookPusher`` (``webhook.py``) delivers them and reports
back with ``delivered`` / ``failed``.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.params import Files, Handler, Params, jsonable
from bot.sandbox.validation import check_secret_token, check_webhook_url

#: Update types delivered when ``allowed_updates`` was never set (Telegram's default).
DEFAULT_EXCLUDED_UPDATES: Final = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)

_CONFLICT_WEBHOOK: Final = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_CONFLICT_POLL: Final = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


@dataclass
class WebhookState:
    """The webhook set with ``setWebhook``."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _Poll:
    future: asyncio.Future[None]
    conflict: bool = False


class UpdateQueue:
    """Pending updates and how the bot takes them: ``getUpdates`` or the webhook.

    Args:
        now: The fake's clock (Unix seconds), read on every use so tests can replace it.
        changed: Called after every change of state, to wake ``FakeTelegram.wait_until``.
    """

    def __init__(self, now: Callable[[], float], changed: Callable[[], None]) -> None:
        self._now = now
        self._changed = changed
        self.webhook: WebhookState | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._allowed_updates: list[str] | None = None
        self._poll: _Poll | None = None

    def methods(self) -> dict[str, Handler]:
        """The Bot API methods of this concern, by lowercase name."""
        return {
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
        }

    # -- state ---------------------------------------------------------------------------------

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by ``getUpdates`` or delivered by webhook."""
        return list(self._updates)

    @property
    def long_polling(self) -> bool:
        """Whether a ``getUpdates`` call is waiting for updates right now."""
        return self._poll is not None and not self._poll.future.done()

    def enqueue(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Give ``payload`` (e.g. ``{"message": {...}}``) an update_id and queue it.

        The update is returned even when ``allowed_updates`` filters it out of the queue.
        """
        update: dict[str, Any] = {"update_id": next(self._update_ids), **jsonable(payload)}
        kind = next(key for key in update if key != "update_id")
        if self._is_allowed(kind):
            self._updates.append(update)
            self.interrupt_long_poll()
        self._changed()
        copy: dict[str, Any] = jsonable(update)
        return copy

    def interrupt_long_poll(self) -> None:
        """End a waiting ``getUpdates`` now (it answers with what is queued, maybe nothing)."""
        if self._poll is not None and not self._poll.future.done():
            self._poll.future.set_result(None)

    def delivered(self, update_id: int) -> None:
        """The webhook receiver accepted ``update_id``: drop it from the queue."""
        self._updates = [update for update in self._updates if update["update_id"] != update_id]
        self._changed()

    def failed(self, message: str) -> None:
        """Record a failed webhook delivery for ``getWebhookInfo``."""
        if self.webhook is not None:
            self.webhook.last_error_date = int(self._now())
            self.webhook.last_error_message = message
        self._changed()

    def _is_allowed(self, kind: str) -> bool:
        allowed = self._allowed_updates
        if self.webhook is not None and self.webhook.allowed_updates is not None:
            allowed = self.webhook.allowed_updates
        if not allowed:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in allowed

    # -- getUpdates ----------------------------------------------------------------------------

    async def _get_updates(self, params: Params, files: Files) -> Any:
        if self.webhook is not None:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        offset = params.optional_int("offset")
        limit = params.optional_int("limit") or 100
        limit = min(max(limit, 1), 100)
        timeout = params.optional_float("timeout") or 0.0
        allowed = params.optional_json("allowed_updates", what="allowed updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed]
        self._confirm(offset)
        if not self._updates and timeout > 0:
            await self._long_poll(timeout)
            self._confirm(offset)
        return jsonable(self._updates[:limit])

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._changed()

    async def _long_poll(self, seconds: float) -> None:
        if self._poll is not None and not self._poll.future.done():
            self._poll.conflict = True
            self._poll.future.set_result(None)
        poll = _Poll(asyncio.get_running_loop().create_future())
        self._poll = poll
        self._changed()
        try:
            await asyncio.wait_for(poll.future, seconds)
        except TimeoutError:
            return
        finally:
            if self._poll is poll:
                self._poll = None
        if poll.conflict:
            raise ApiError(409, _CONFLICT_POLL)
        if self.webhook is not None:
            raise ApiError(409, _CONFLICT_WEBHOOK)

    # -- webhooks ------------------------------------------------------------------------------

    async def _set_webhook(self, params: Params, files: Files) -> Any:
        url = params.optional_str("url") or ""
        if url == "":
            self.webhook = None
        else:
            check_webhook_url(url)
            secret = params.optional_str("secret_token")
            if secret is not None:
                check_secret_token(secret)
            max_connections = params.optional_int("max_connections") or 40
            if not 1 <= max_connections <= 100:
                raise bad_request("max_connections must be between 1 and 100")
            allowed = params.optional_json("allowed_updates", what="allowed updates")
            self.webhook = WebhookState(
                url=url,
                secret_token=secret,
                max_connections=max_connections,
                allowed_updates=[str(k) for k in allowed] if isinstance(allowed, list) else None,
            )
            # A poll waiting now ends with 409, as on Telegram (checked when it wakes).
            self.interrupt_long_poll()
        if params.flag("drop_pending_updates"):
            self._updates.clear()
        self._changed()
        return True

    async def _delete_webhook(self, params: Params, files: Files) -> Any:
        self.webhook = None
        if params.flag("drop_pending_updates"):
            self._updates.clear()
        self._changed()
        return True

    async def _get_webhook_info(self, params: Params, files: Files) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook is not None:
            info["max_connections"] = self.webhook.max_connections
            info["ip_address"] = "127.0.0.1"
            if self.webhook.allowed_updates is not None:
                info["allowed_updates"] = list(self.webhook.allowed_updates)
            if self.webhook.last_error_date is not None:
                info["last_error_date"] = self.webhook.last_error_date
                info["last_error_message"] = self.webhook.last_error_message
        return info
