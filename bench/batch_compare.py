"""Same answers at scale: the outputs of bench/batch.py's engines, row by row, and a sample
screened by `threadline screen`.

    .venv/bin/python bench/batch_compare.py --size 1000000 --engines local spark2 --sample 5000

Reads bench/out/batch/out-bills-SIZE-ENGINE/results of each engine, keyed by bill number, and
compares tier, reason codes, matched entity ids and bands, evidence ids and path ids. Then runs
`threadline screen` on the first --sample bills and compares those rows with the first engine's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "batch"
THREADLINE = Path(sys.executable).parent / "threadline"
COLUMNS = ["bill_number", "tier", "reasons", "matches", "evidence_ids", "path_ids"]


def answers(folder: Path) -> dict[str, tuple[Any, ...]]:
    table = pq.read_table(folder / "results", columns=COLUMNS)
    out: dict[str, tuple[Any, ...]] = {}
    for batch in table.to_batches():
        for row in batch.to_pylist():
            out[row["bill_number"]] = (
                row["tier"],
                tuple(r["code"] for r in row["reasons"]),
                tuple((m["entity_id"], m["band"]) for m in row["matches"]),
                tuple(row["evidence_ids"]),
                tuple(row["path_ids"]),
            )
    return out


def screened(bills: Path, sample: int, store: str) -> dict[str, tuple[Any, ...]]:
    head = OUT / f"sample-{sample}.csv"
    with bills.open(encoding="utf-8") as source, head.open("w", encoding="utf-8") as target:
        for _, line in zip(range(sample + 1), source, strict=False):
            target.write(line)
    out = OUT / f"screen-{sample}"
    command = [str(THREADLINE), "screen", str(head), "--out", str(out), "--db", store]
    subprocess.run([*command, "--as-of", "2025-06-30", "-q"], check=True)
    rows = json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    result: dict[str, tuple[Any, ...]] = {}
    for row in rows:
        reasons = row["risk"]["reasons"]
        paths = (
            ">".join(e["relation_id"] for e in p["edges"]) for r in reasons for p in r["paths"]
        )
        result[row["input"]["Bill of Lading Number"]] = (
            row["risk"]["tier"],
            tuple(r["code"] for r in reasons),
            tuple((m["entity_id"], m["band"]) for m in row["matches"]),
            tuple(dict.fromkeys(e["source_url"] for r in reasons for e in r["evidence"])),
            tuple(dict.fromkeys(paths)),
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--engines", nargs="+", default=["local", "spark2"])
    parser.add_argument("--sample", type=int, default=5000)
    args = parser.parse_args(argv)
    found = {e: answers(OUT / f"out-bills-{args.size}-{e}") for e in args.engines}
    first, *others = args.engines
    for engine in others:
        same = sum(found[first].get(key) == value for key, value in found[engine].items())
        sys.stdout.write(
            f"{first} vs {engine}: {len(found[first])} and {len(found[engine])} rows, "
            f"{same} identical\n"
        )
    bills = ROOT / "bench" / "out" / "bills" / f"bills-{args.size}.csv"
    sample = screened(bills, args.sample, f"sqlite:///{OUT / 'store.db'}")
    same = sum(found[first].get(key) == value for key, value in sample.items())
    sys.stdout.write(f"screen vs {first}: {len(sample)} sampled rows, {same} identical\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
