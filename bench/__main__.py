"""``python -m bench``: run the benchmarks and print their tables (never part of the tests).

``--quick`` runs smaller versions (fewer prompts, a higher SEND_RATE, fewer people) that take
about two minutes instead of about fifteen; ``--only 1,3`` picks benchmarks.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys

from bench import drain, pipeline, scale


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the chosen benchmarks, print tables."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="smaller, faster runs")
    parser.add_argument("--only", default="1,2,3,4", help="comma-separated benchmark numbers")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
