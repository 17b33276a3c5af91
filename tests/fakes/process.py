"""``python -m bot`` as a real subprocess, with its stderr read as it arrives.

End-to-end tests start the bot against a ``FakeTelegramServer`` running in the test's own event
loop, so everything is awaited: lines on stderr, messages arriving at the fake, the exit status.
Nothing sleeps; every wait has a deadline and reports what the bot logged when it runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 20.0  # seconds; a bound on every wait, never a timing assertion

# Settings the bot reads from the environment (case-insensitively); a test sets the ones it
# means and none leak in from the developer's shell.
SETTINGS_VARS = frozenset(
    {
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_BASE_URL",
        "DATABASE_URL",
        "LOG_LEVEL",
        "DEFAULT_TIMEZONE",
        "DEFAULT_MORNING_TIME",
        "DEFAULT_EVENING_TIME",
        "SEND_RATE",
        "PAID_BROADCAST",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "WEBHOOK_LISTEN",
        "WEBHOOK_PORT",
    }
)


def bot_env(values: Mapping[str, str]) -> dict[str, str]:
    """The environment for ``python -m bot``: ours minus every setting, plus ``values``.

    ``PYTHONPATH`` gains the repository root so ``bot`` imports from this checkout whatever
    the working directory.
    """
    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTINGS_VARS}
    paths = [str(REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(values)
    return env


class BotProcess:
    """A running ``python -m bot``; stderr is collected line by line in :attr:`lines`."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self.eof = False
        self._changed = asyncio.Event()
        assert process.stderr is not None
        self._reader = asyncio.create_task(self._read(process.stderr))

    @classmethod
    async def start(cls, cwd: Path, env: Mapping[str, str]) -> BotProcess:
        """Start ``sys.executable -m bot`` in ``cwd`` with exactly ``bot_env(env)``."""
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=cwd,
            env=bot_env(env),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            limit=2**20,  # DEBUG lines carry whole updates
        )
        return cls(process)

    async def _read(self, stream: asyncio.StreamReader) -> None:
        try:
            async for raw in stream:
                self.lines.append(raw.decode(errors="replace").rstrip("\r\n"))
                self._changed.set()
        finally:
            self.eof = True
            self._changed.set()

    @property
    def stderr(self) -> str:
        """Everything the bot wrote to stderr so far."""
        return "\n".join(self.lines)

    def matching(self, needle: str) -> list[str]:
        """The stderr lines containing ``needle``."""
        return [line for line in self.lines if needle in line]

    async def wait_for_log(
        self,
        predicate: str | Callable[[list[str]], bool],
        timeout: float = TIMEOUT,  # noqa: ASYNC109 - a deadline is the point
    ) -> None:
        """Wait until a stderr line contains ``predicate`` (or ``predicate(lines)`` holds).

        Raises:
            AssertionError: the bot closed stderr (exited) or ``timeout`` passed first; the
                message carries the end of the log.
        """
        check = _contains(predicate) if isinstance(predicate, str) else predicate
        try:
            async with asyncio.timeout(timeout):
                while not check(self.lines):
                    if self.eof:
                        raise AssertionError(f"the bot exited first; stderr:\n{self._tail()}")
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(
                f"no such log line within {timeout} s ({predicate!r}); stderr:\n{self._tail()}"
            ) from None

    async def wait(self, timeout: float = TIMEOUT) -> int:  # noqa: ASYNC109
        """Wait for the process to exit and for its stderr to be read; the exit status."""
        status = await asyncio.wait_for(self.process.wait(), timeout)
        await asyncio.wait_for(self._reader, timeout)
        return status

    async def terminate(self, timeout: float = 10.0) -> int:  # noqa: ASYNC109
        """Send SIGTERM (as systemd and Docker do) and return the exit status."""
        self.process.send_signal(signal.SIGTERM)
        return await self.wait(timeout)

    async def kill(self) -> None:
        """Make sure the process is gone and its pipe closed (for ``finally``)."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()
        if not self._reader.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._reader, 5)
        if not self._reader.done():
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    def _tail(self, count: int = 40) -> str:
        return "\n".join(line[:300] for line in self.lines[-count:])


def _contains(needle: str) -> Callable[[list[str]], bool]:
    return lambda lines: any(needle in line for line in lines)


@asynccontextmanager
async def running_bot(cwd: Path, env: Mapping[str, str]) -> AsyncIterator[BotProcess]:
    """``python -m bot`` for the duration of the block; killed afterwards if still running."""
    bot = await BotProcess.start(cwd, env)
    try:
        yield bot
    finally:
        await bot.kill()


async def run_sandbox(
    cwd: Path,
    env: Mapping[str, str],
    stdin: bytes,
    timeout: float = 30.0,  # noqa: ASYNC109
) -> tuple[int, str, str]:
    """``printf ... | python -m bot``: the exit status, stdout and stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=cwd,
        env=bot_env(env),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(stdin), timeout)
    finally:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
