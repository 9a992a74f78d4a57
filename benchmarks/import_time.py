"""Time ``import lrbook`` in fresh interpreters (numpy already imported, as in a notebook).

    python benchmarks/import_time.py [--repeats 15] [--limit 0.25]

Each repeat starts a new Python process, imports numpy, then measures ``import lrbook``
alone. The script prints the median and the fastest time and exits with status 1 if the
median exceeds ``--limit`` seconds. It is a benchmark, not a test: on a loaded machine
the times grow, so compare medians taken on the same machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = (
    "import time\n"
    "import numpy\n"
    "t = time.perf_counter()\n"
    "import lrbook\n"
    "print(time.perf_counter() - t)\n"
)


def once() -> float:
    """Seconds spent in ``import lrbook`` in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--limit", type=float, default=0.25)
    args = parser.parse_args()
    times = [once() for _ in range(args.repeats)]
    median = statistics.median(times)
    print(f"import lrbook, {args.repeats} fresh interpreters")
    print(f"median  : {1000 * median:7.1f} ms")
    print(f"fastest : {1000 * min(times):7.1f} ms")
    print(f"limit   : {1000 * args.limit:7.1f} ms")
    return 0 if median <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
