"""What the prompt pipeline reports as it goes, for metrics; the scheduler imports no ``bot``.

The delivery and the sender call an observer at the moments worth counting; ``bot.metrics``
implements it with Prometheus counters. Observers receive only what is safe to count: a
slot, a state, instants. Never a person's id, name or words, so nothing an observer does can
leak them into a metric label.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, Protocol

__all__ = ["NO_OBSERVER", "DeliveryObserver", "NoObserver", "SendObserver"]


class DeliveryObserver(Protocol):
    """Told about every prompt the delivery resolves or puts back for another attempt."""

    def prompt_resolved(self, slot: str, state: str, *, due_at: datetime, at: datetime) -> None:
        """A prompt reached a final state (sent, blocked, failed, unknown, cancelled,
        skipped_late).

        Args:
            slot: ``"morning"``, ``"evening"`` or ``"snooze"``.
            state: The final :class:`storage.models.PromptState` value.
            due_at: When it was due (aware UTC).
            at: When it was resolved; for ``sent``, when Telegram accepted it.
        """
        ...

    def prompt_retried(self, slot: str) -> None:
        """An attempt failed in a way worth retrying; the prompt is planned again."""
        ...


class SendObserver(Protocol):
    """Told about each message the sender gets through, and each 429 it meets."""

    def message_sent(self) -> None:
        """Telegram accepted one message."""
        ...

    def flood_control(self, retry_after: float) -> None:
        """Telegram answered 429; the sender waits ``retry_after`` seconds and sends again."""
        ...


class NoObserver:
    """Observes nothing: the default, so the pipeline runs the same without metrics."""

    def prompt_resolved(self, slot: str, state: str, *, due_at: datetime, at: datetime) -> None:
        """Ignore a resolved prompt."""

    def prompt_retried(self, slot: str) -> None:
        """Ignore a retry."""

    def message_sent(self) -> None:
        """Ignore a send."""

    def flood_control(self, retry_after: float) -> None:
        """Ignore a 429."""


NO_OBSERVER: Final = NoObserver()
