"""Webhook push: POST queued updates to the URL set with ``setWebhook``, as Telegram does.

One update at a time, in order, with ``X-Telegram-Bot-Api-Secret-Token`` when a secret is set.
A non-2xx answer or a connection error is recorded for ``getWebhookInfo`` and retried with
backoff; the update stays pending until the receiver accepts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

import httpx

from bot.sandbox.fake_api import FakeTelegram

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


class WebhookPusher:
    """Background task delivering ``fake``'s pending updates while a webhook is set."""

    def __init__(
        self,
        fake: FakeTelegram,
        *,
        retry_delay: float = 0.05,
        max_retry_delay: float = 1.0,
        request_timeout: float = 10.0,
    ) -> None:
        self.fake = fake
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.request_timeout = request_timeout
        self.delivered = 0
        self.failures = 0
        self._client: httpx.AsyncClient | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start pushing (idempotent)."""
        if self._task is not None:
            return
        self._client = httpx.AsyncClient(timeout=self.request_timeout)
        self._task = asyncio.create_task(self._run(), name="sandbox-webhook-pusher")

    async def stop(self) -> None:
        """Stop pushing and close the HTTP client."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def _ready(self) -> bool:
        return self.fake.webhook is not None and bool(self.fake.pending_updates)

    async def _run(self) -> None:
        delay = self.retry_delay
        while True:
            await self.fake.wait_until(self._ready, None)
            if await self._push_one():
                delay = self.retry_delay
            else:
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_retry_delay)

    async def _push_one(self) -> bool:
        hook = self.fake.webhook
        assert hook is not None
        assert self._client is not None
        update = self.fake.pending_updates[0]
        headers = {"Content-Type": "application/json"}
        if hook.secret_token is not None:
            headers[SECRET_HEADER] = hook.secret_token
        try:
            response = await self._client.post(
                hook.url, content=json.dumps(update).encode(), headers=headers
            )
        except httpx.HTTPError as error:
            self.failures += 1
            self.fake.webhook_failed(f"Connection failed: {type(error).__name__}")
            return False
        if 200 <= response.status_code < 300:
            self.delivered += 1
            self.fake.webhook_delivered(int(update["update_id"]))
            return True
        self.failures += 1
        self.fake.webhook_failed(
            f"Wrong response from the webhook: {response.status_code} {response.reason_phrase}"
        )
        return False
