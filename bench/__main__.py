"""``python -m bench``: run the benchmarks and print their tables (never part of the tests).

``--quick`` runs smaller versions (fewer prompts, a higher SEND_RATE, fewer people) that take
about three minutes instead of about twenty; ``--only 1,3`` picks benchmarks. ``--only 5
--quick`` (load while people talk) takes under a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
from datetime import timedelta

from bench import drain, morning, pipeline, scale


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the chosen benchmarks, print tables."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="smaller, faster runs")
    parser.add_argument("--only", default="1,2,3,4,5", help="comma-separated benchmark numbers")
    args = parser.parse_args(argv)
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    chosen = {part.strip() for part in args.only.split(",")}
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print()
    if "1" in chosen:
        print(asyncio.run(pipeline.run(1000 if args.quick else 3000)), flush=True)
        print()
    if "2" in chosen:
        if args.quick:
            table = asyncio.run(drain.run(2000, send_rate=100, global_limit=120))
        else:
            table = asyncio.run(drain.run(10_000, send_rate=25, global_limit=30))
        print(table, flush=True)
        print()
    if "3" in chosen:
        sizes = [10_000, 100_000] if args.quick else [100_000, 1_000_000]
        print(scale.ledger_table(sizes), flush=True)
        print()
    if "4" in chosen:
        print(scale.jobqueue_table(30_000 if args.quick else 100_000), flush=True)
        print()
    if "5" in chosen:
        if args.quick:
            # 30 s of drain at the real rate and limits, due at once; fewer people and a
            # shorter wait before Done, so everyone finishes with the drain.
            pace = morning.Pace(window=18.0, later=(3.0, 8.0))
            run = morning.run(750, 40, 25, 30, pace, lead=timedelta(0))
        else:
            run = morning.run(10_000, 200, 25, 30, morning.Pace(window=0.8 * 10_000 / 25))
        print(asyncio.run(run), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
