"""The outage monitor: one line when Telegram goes away, one when it is back, nothing between."""

from __future__ import annotations

import json
import logging

import pytest
from telegram.error import BadRequest, NetworkError
from telegram.request import BaseRequest

from bot.outage import MonitoredRequest, OutageMonitor

URL = "http://127.0.0.1:1/bot123456:TOKEN/getMe"
NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)
OK = json.dumps({"ok": True, "result": True}).encode()


class Scripted(BaseRequest):
    """Answers with the scripted (status, body) pairs in order."""

    def __init__(self, *answers: tuple[int, bytes]) -> None:
        self.answers = list(answers)

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(self, *args, **kwargs) -> tuple[int, bytes]:
        return self.answers.pop(0)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_html_error_pages_become_quiet_network_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    clock = Clock()
    request = MonitoredRequest(
        Scripted((502, NGINX_502), (502, NGINX_502), (200, OK)), OutageMonitor(clock)
    )

    for _ in range(2):
        with pytest.raises(NetworkError, match=r"^Bad Gateway$"):
            await request.post(URL)
        clock.now += 7
    assert await request.post(URL) is True

    # PTB would log each HTML page at ERROR with a traceback; only the monitor speaks.
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", "Telegram unreachable (HTTP 502); retrying with backoff"),
        ("WARNING", "Telegram reachable again after 14 s"),
    ]


async def test_json_error_bodies_pass_through() -> None:
    failure = {"ok": False, "error_code": 500, "description": "Internal Server Error: db"}
    refusal = {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    monitor = OutageMonitor()
    request = MonitoredRequest(
        Scripted((500, json.dumps(failure).encode()), (400, json.dumps(refusal).encode())),
        monitor,
    )

    with pytest.raises(NetworkError, match=r"^Internal Server Error: db$"):
        await request.post(URL)
    assert monitor.outages == 1
    # Telegram answered (if only to refuse): the outage is over.
    with pytest.raises(BadRequest, match="Chat not found"):
        await request.post(URL)
    assert monitor.down_since is None
