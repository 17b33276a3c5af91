"""Errors the sandbox Bot API raises internally and turns into Telegram-shaped answers."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Bot API error answer: HTTP status plus Telegram's ``description``.

    Raised anywhere inside the fake; ``FakeTelegram.call`` turns it into the JSON body
    ``{"ok": false, "error_code": status, "description": ...}``.
    """

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        """The response body Telegram would send for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    """A ``400 Bad Request: <detail>`` error."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """A ``403 Forbidden: <detail>`` error."""
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """A ``429`` flood-control error carrying ``parameters.retry_after``."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


class TransportFault(Exception):
    """Base for faults that have no Bot API answer at all; the transport decides the symptom."""


class RequestHung(TransportFault):
    """The request never gets an answer (scripted with ``faults.hang_next``).

    In-process this becomes ``telegram.error.TimedOut``; over HTTP the server holds the
    connection until the client gives up.
    """


class ServiceDown(TransportFault):
    """Telegram is unreachable (``faults.down = True``): HTTP 502 or ``NetworkError``."""
