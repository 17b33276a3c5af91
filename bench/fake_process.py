"""The loopback fake in a process of its own, so it never competes with the bot for the GIL.

In a thread of the benchmark's process the fake takes the GIL in slices of up to 5 ms; code
that hops between threads often (aiosqlite runs every statement on a thread of its own) then
waits for those slices, and the benchmark measures the fake as much as the bot. Telegram is
not in the bot's process either.

``python -m bench.fake_process --people N`` serves a fake with ``N`` people who started the
bot (ids from :data:`~bench.common.FIRST_TELEGRAM_ID`) and prints its base URL.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
from collections.abc import Iterator

from bench.common import start_fake


def main(argv: list[str] | None = None) -> None:
    """Serve until stdin closes (the benchmark ended or died)."""
    parser = argparse.ArgumentParser(prog="python -m bench.fake_process")
    parser.add_argument("--people", type=int, required=True)
    args = parser.parse_args(argv)
    _fake, thread = start_fake(args.people)
    print(thread.base_url, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        sys.stdin.read()
    thread.stop()


@contextlib.contextmanager
def fake_in_own_process(people: int) -> Iterator[str]:
    """Start the fake in a child process; yield its base URL; stop it afterwards."""
    child = subprocess.Popen(  # our own interpreter and module
        [sys.executable, "-m", "bench.fake_process", "--people", str(people)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        base_url = child.stdout.readline().strip()
        if not base_url:
            raise RuntimeError("the fake process did not start")
        yield base_url
    finally:
        if child.stdin is not None:
            child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


if __name__ == "__main__":
    main()
