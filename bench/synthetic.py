"""Generate a seeded synthetic screening set in the dev set's shapes.

    bench/.venv/bin/python bench/synthetic.py --entities 100000 --queries 100000 \
        --out bench/out/synth-100k

writes OUT/reference.csv and OUT/queries.csv (columns as bench/matching-dev/).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib.synthset import write_synthetic_set


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=100_000, help="reference rows")
    parser.add_argument("--queries", type=int, default=100_000, help="query rows")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--positive-share",
        type=float,
        default=0.5,
        help="share of queries that should match a reference row",
    )
    args = parser.parse_args(argv)
    if args.entities < 1 or args.queries < 0 or not 0 <= args.positive_share <= 1:
        parser.error("--entities must be >= 1, --queries >= 0, --positive-share in [0, 1]")
    started = time.perf_counter()
    reference, queries = write_synthetic_set(
        args.out, args.entities, args.queries, args.seed, args.positive_share
    )
    elapsed = time.perf_counter() - started
    sys.stderr.write(f"wrote {reference} and {queries} in {elapsed:.1f}s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
