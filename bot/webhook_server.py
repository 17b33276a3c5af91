"""The webhook endpoint: Telegram's pushes in, the Application's update queue out.

python-telegram-bot's own server (``Updater.start_webhook``) reads a body of any size up to
tornado's 100 MB, answers 500 to malformed JSON, and logs a body that is not an update in
full, at CRITICAL, with a traceback. A body is what a person wrote, so this module has a
tornado handler of its own; PTB offers no way to plug one into ``start_webhook``. Updates go
into ``application.update_queue`` exactly as PTB's handler puts them there, so the
Application processes them as before (one at a time, in arrival order).

Answers:

* 413 when the body is over :data:`MAX_BODY_BYTES`: a larger ``Content-Length`` is refused
  before any of the body is read; a chunked or mislabelled body is counted while it arrives.
  Either way the connection is closed, so the rest is never read.
* 403 when ``X-Telegram-Bot-Api-Secret-Token`` is missing or wrong (``hmac.compare_digest``).
* 400 when the body is not JSON, or is JSON but not an update; tornado itself answers 400
  to a malformed HTTP message (an unreadable ``Content-Length``, a broken chunk).
* 404 for another path and 405 for another method (their bodies are not read either).
* 200 once the update is in the queue.

Every refusal is logged as one warning per kind per minute, with the number of refusals of
that kind not logged since; never the body, the secret or a traceback.
"""

from __future__ import annotations

import asyncio
import enum
import errno
import hmac
import json
import logging
import re
import socket
from collections import Counter
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Final

import tornado.web
from telegram import Bot, Update
from telegram.error import BadRequest
from telegram.ext import ExtBot
from tornado.httpserver import HTTPServer

from bot.config import ConfigError
from bot.errors import describe_failure
from scheduler.clock import Clock

__all__ = [
    "LOG_INTERVAL",
    "MAX_BODY_BYTES",
    "SECRET_HEADER",
    "Rejection",
    "RejectionLog",
    "WebhookPortInUse",
    "WebhookServer",
    "parse_update",
    "register_webhook",
]

logger = logging.getLogger(__name__)

MAX_BODY_BYTES: Final = 1024 * 1024
"""The largest body accepted. Telegram's updates are a few KB; a message is at most 4096
characters, and even a big album's update stays far below this."""
LOG_INTERVAL: Final = timedelta(minutes=1)
"""At most one log line per kind of refusal in this long."""
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name

# tornado's own body limit answers a bare 400 (and logs the declared length) when it is hit,
# on top of any answer already written. It is set out of reach so that the handlers' own
# limit is the one that applies; every handler streams, so nothing is buffered meanwhile.
_TORNADO_BODY_LIMIT: Final = 1 << 50


class WebhookPortInUse(ConfigError):
    """Another process already listens on ``WEBHOOK_PORT``."""


class Rejection(enum.Enum):
    """A kind of refused request: its HTTP status and how the log names it."""

    TOO_LARGE = (413, "a body over 1 MB")
    SECRET = (403, "a missing or wrong secret token")
    NOT_JSON = (400, "a body that is not JSON")
    NOT_UPDATE = (400, "JSON that is not an update")
    WRONG_PATH = (404, "a request for another path")
    WRONG_METHOD = (405, "a method other than POST")
    MALFORMED = (400, "a malformed HTTP request")
    FAILED = (500, "an unexpected error")

    def __init__(self, status: int, what: str) -> None:
        self.status = status
        self.what = what


class RejectionLog:
    """One warning per kind of refusal per :data:`LOG_INTERVAL`, counting the rest.

    A flood of bad requests (a scanner, a misconfigured proxy) must not flood the log, yet
    the operator should learn that it happens and how often.

    Args:
        clock: Tells the time; tests move it by hand.
        interval: The shortest time between two lines of the same kind.
    """

    def __init__(self, clock: Clock, interval: timedelta = LOG_INTERVAL) -> None:
        self._clock = clock
        self._interval = interval
        self._logged_at: dict[Rejection, datetime] = {}
        self._unlogged: Counter[Rejection] = Counter()

    def note(self, kind: Rejection, detail: str | None = None) -> None:
        """Count one refusal; log it unless a line of its kind went out within the interval.

        Args:
            kind: What was refused.
            detail: Where an unexpected error happened (:func:`bot.errors.describe_failure`);
                never a message or request content.
        """
        now = self._clock.now()
        last = self._logged_at.get(kind)
        if last is not None and now - last < self._interval:
            self._unlogged[kind] += 1
            return
        self._logged_at[kind] = now
        self._log(kind, self._unlogged.pop(kind, 0), detail)

    def flush(self) -> None:
        """Log the refusals counted but not logged yet (at shutdown)."""
        for kind, count in sorted(self._unlogged.items(), key=lambda item: item[0].name):
            logger.warning(
                "webhook: %d more request(s) refused with %d (%s) since the last line",
                count,
                kind.status,
                kind.what,
            )
        self._unlogged.clear()

    @staticmethod
    def _log(kind: Rejection, unlogged: int, detail: str | None) -> None:
        where = f" ({detail})" if detail else ""
        logger.warning(
            "webhook: refused with %d: %s%s; %d more since the last line of this kind",
            kind.status,
            kind.what,
            where,
            unlogged,
        )


def parse_update(data: object, bot: Bot) -> Update | None:
    """The update in a decoded webhook body, or None when it is not one.

    Unknown fields are kept (PTB's ``api_kwargs``): Telegram adds update types over time,
    and an update of a newer kind must be accepted (and then ignored), not refused.

    Args:
        data: The decoded JSON body.
        bot: The bot the update is for.

    Returns:
        The update, or None when ``data`` is not an object with an integer ``update_id`` or
        its fields do not have the shapes of the Bot API's types.
    """
    if not isinstance(data, dict):
        return None
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id < 0:
        return None
    try:
        return Update.de_json(data, bot)
    except Exception:  # any field of the wrong shape fails in its own way
        return None


async def register_webhook(bot: Bot, url: str, secret: str) -> None:
    """Tell Telegram where to push updates, with the secret it must send along.

    Raises:
        ConfigError: Telegram refused the URL (for example a port it does not push to).
        telegram.error.NetworkError: Telegram could not be reached; the caller retries.
    """
    try:
        await bot.set_webhook(url=url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
    except BadRequest as error:
        # Telegram's message names what is wrong with the URL, which the operator chose.
        raise ConfigError(f"WEBHOOK_URL: Telegram refused the webhook: {error.message}") from None


class _Endpoint:
    """What every request handler shares: where updates go and how refusals are logged."""

    def __init__(
        self,
        bot: Bot,
        update_queue: asyncio.Queue[object],
        secret: str,
        rejections: RejectionLog,
        max_body: int,
    ) -> None:
        self.bot = bot
        self.update_queue = update_queue
        self.secret = secret.encode()
        self.rejections = rejections
        self.max_body = max_body

    def secret_matches(self, given: str | None) -> bool:
        # Header values arrive decoded as Latin-1, so this gives back the bytes that were sent.
        # compare_digest takes as long for a near miss as for a wild guess.
        return hmac.compare_digest((given or "").encode("latin-1"), self.secret)

    async def enqueue(self, update: Update) -> None:
        if isinstance(self.bot, ExtBot):
            # As PTB's own webhook handler does (a no-op unless arbitrary callback data is on).
            self.bot.insert_callback_data(update)
        await self.update_queue.put(update)


class _Refused(Exception):
    """Raised inside a handler to answer with ``kind``'s status and note it."""

    def __init__(self, kind: Rejection) -> None:
        super().__init__(kind.name)
        self.kind = kind


class _QuietHandler(tornado.web.RequestHandler):
    """Answers refusals with an empty body and logs them through the endpoint's log only."""

    endpoint: _Endpoint

    def initialize(self, endpoint: _Endpoint) -> None:
        """Tornado's per-request set-up."""
        self.endpoint = endpoint

    def refuse(self, kind: Rejection) -> None:
        """Answer ``kind``'s status now and note it; the connection closes if unread."""
        self.endpoint.rejections.note(kind)
        self.clear()
        self.set_status(kind.status)
        self.finish()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """No error page: Telegram reads only the status, and a page would echo the reason."""
        self.finish()

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Note what tornado raises (405, or a bug) without a traceback or its message."""
        if isinstance(value, tornado.web.HTTPError) and value.status_code == 405:
            self.endpoint.rejections.note(Rejection.WRONG_METHOD)
        elif isinstance(value, tornado.web.HTTPError):
            self.endpoint.rejections.note(Rejection.FAILED, f"HTTP {value.status_code}")
        elif value is not None:
            self.endpoint.rejections.note(Rejection.FAILED, describe_failure(value))


@tornado.web.stream_request_body
class _UpdateHandler(_QuietHandler):
    """``POST <path>``: one update from Telegram."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, endpoint: _Endpoint) -> None:
        """Tornado's per-request set-up."""
        super().initialize(endpoint)
        self._body = bytearray()

    def prepare(self) -> None:
        """Refuse a declared body over the limit before reading any of it."""
        headers = self.request.headers
        declared = headers.get("Content-Length", "")
        # Only a plain length is judged here. One tornado cannot parse, or one beside a
        # Transfer-Encoding, gets tornado's own 400 (noted as MALFORMED) when it reads the body;
        # answering first would put two answers on the wire.
        if (
            declared.isascii()
            and declared.isdigit()
            and "Transfer-Encoding" not in headers
            and int(declared) > self.endpoint.max_body
        ):
            self.refuse(Rejection.TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        """Collect the body, refusing it as soon as it grows over the limit."""
        if self._finished:
            return
        if len(self._body) + len(chunk) > self.endpoint.max_body:
            self._body.clear()
            self.refuse(Rejection.TOO_LARGE)
            return
        self._body += chunk

    async def post(self) -> None:
        """Check the secret, decode the update and queue it."""
        # The secret is checked once the (bounded) body is in: answering before reading it
        # would close the connection with data unread, which resets it, and the client could
        # lose the 403 itself.
        try:
            update = self._update()
        except _Refused as refused:
            self.refuse(refused.kind)
            return
        await self.endpoint.enqueue(update)
        self.set_status(200)
        self.finish()

    def _update(self) -> Update:
        if not self.endpoint.secret_matches(self.request.headers.get(SECRET_HEADER)):
            raise _Refused(Rejection.SECRET)
        try:
            data = json.loads(bytes(self._body))
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError too
            raise _Refused(Rejection.NOT_JSON) from None
        finally:
            self._body.clear()
        update = parse_update(data, self.endpoint.bot)
        if update is None:
            raise _Refused(Rejection.NOT_UPDATE)
        return update


@tornado.web.stream_request_body
class _NotFoundHandler(_QuietHandler):
    """Any other path: 404 before the body is read (a streaming handler buffers nothing)."""

    def prepare(self) -> None:
        """Refuse at once."""
        self.refuse(Rejection.WRONG_PATH)


class _MalformedFilter(logging.Filter):
    """Turns tornado's line per malformed HTTP message into a noted refusal.

    tornado answers those itself (400, then it closes the connection) and logs each one at
    INFO, quoting the offending header; a flood of them would be a flood of lines.
    """

    def __init__(self, rejections: RejectionLog) -> None:
        super().__init__()
        self._rejections = rejections

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop tornado's line and note the refusal instead."""
        if isinstance(record.msg, str) and record.msg.startswith("Malformed HTTP message"):
            self._rejections.note(Rejection.MALFORMED)
            return False
        return True


class WebhookServer:
    """The HTTP server Telegram pushes updates to.

    Args:
        bot: The Application's bot (updates are built with it).
        update_queue: The Application's update queue.
        secret: What Telegram sends in ``X-Telegram-Bot-Api-Secret-Token``.
        path: The URL path updates are posted to (the path of ``WEBHOOK_URL``).
        clock: Paces the refusal log.
        max_body: The largest body accepted, in bytes.
    """

    def __init__(
        self,
        bot: Bot,
        update_queue: asyncio.Queue[object],
        *,
        secret: str,
        path: str,
        clock: Clock,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.rejections = RejectionLog(clock)
        endpoint = _Endpoint(bot, update_queue, secret, self.rejections, max_body)
        route = "/" + path.strip("/")
        app = tornado.web.Application(
            [(rf"{re.escape(route)}/?", _UpdateHandler, {"endpoint": endpoint})],
            default_handler_class=_NotFoundHandler,
            default_handler_args={"endpoint": endpoint},
            # No access log: a line per request is what a flood would turn into.
            log_function=lambda _handler: None,
        )
        self._http = HTTPServer(app, max_body_size=_TORNADO_BODY_LIMIT)
        self._malformed = _MalformedFilter(self.rejections)
        self._listening = False
        self.port: int | None = None

    async def start(self, listen: str, port: int) -> None:
        """Listen on ``listen:port`` (port 0: any free port, then see :attr:`port`).

        Raises:
            WebhookPortInUse: Something already listens there.
            ConfigError: The address cannot be listened on at all.
        """
        try:
            sockets = _bind(listen, port)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise WebhookPortInUse(
                    f"WEBHOOK_PORT: {listen}:{port} is already in use by another process"
                ) from None
            raise ConfigError(
                f"WEBHOOK_LISTEN/WEBHOOK_PORT: cannot listen on {listen}:{port} ({error.strerror})"
            ) from None
        self.port = int(sockets[0].getsockname()[1])
        logging.getLogger("tornado.general").addFilter(self._malformed)
        self._http.add_sockets(sockets)
        self._listening = True

    async def stop(self) -> None:
        """Stop listening, close every connection, and log the refusals not logged yet."""
        if self._listening:
            self._listening = False
            self._http.stop()
            await self._http.close_all_connections()
            logging.getLogger("tornado.general").removeFilter(self._malformed)
        self.rejections.flush()


def _bind(listen: str, port: int) -> list[socket.socket]:
    """Listening sockets for every address ``listen`` names (as tornado's ``bind_sockets``).

    tornado's own ``bind_sockets`` leaves its socket open when ``bind`` fails (a port in
    use); this closes every socket of a failed attempt.
    """
    infos = socket.getaddrinfo(
        listen or None, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE
    )
    sockets: list[socket.socket] = []
    try:
        for family, _kind, _proto, _name, address in dict.fromkeys(infos):
            if port == 0 and sockets:
                # Port 0 means one free port, the same on every address.
                address = (address[0], sockets[0].getsockname()[1], *address[2:])
            sock = socket.create_server(address, family=family, backlog=128)
            sockets.append(sock)
            sock.setblocking(False)
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets
