"""Compare two stored screenings of 100k rows: the time the web's changes view (and, with one
side in memory, `screen --compare-to`) spends on it: read both screenings' row digests and the
facts of rows whose digests differ, pair rows by key, find what changed and why.

    .venv/bin/python bench/changes.py [--rows 100000] [--runs 3] [--db sqlite:///…]

Builds two seeded synthetic screenings in results.json shape — a tenth of the rows flagged with
matches, listings and exposure paths; in the second, 1% of rows gain a relation and a tier,
0.5% are new and 0.5% are gone — stores both through threadline's own code into an empty SQLite
file (default) or the database --db names, then times the comparison `runs` times and prints
one JSON line per run and the min–max. CPU time is printed beside wall time, because the
machine this runs on is shared and wall time alone is noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from threadline.changes import compare, facts_to_json, row_facts
from threadline.model.changes import RowFacts
from threadline.store import Store
from threadline.store.history import InputFile, NewScreening, ScreeningHistory
from threadline.store.screenings import StoredRow


def result(row: int, tier: str, relation: str | None = None) -> dict[str, Any]:
    flagged = tier != "no signal found"
    return {
        "row": row,
        "input": {"supplier": f"Example Supplier {row} Co", "country": "CN"},
        "matches": [
            {
                "entity_id": f"e{row % 500}",
                "name": f"Listed {row % 500}",
                "band": "match",
                "lists": [
                    {
                        "list_id": "uflpa",
                        "list_name": "UFLPA Entity List",
                        "entry_id": f"E{row % 500}",
                        "date_listed": "2023-06-09",
                        "date_removed": None,
                    }
                ],
                "explanation": {"query": f"Example Supplier {row} Co", "note": ""},
            }
        ]
        if flagged and relation is None
        else [],
        "risk": {
            "tier": tier,
            "reasons": [
                {
                    "code": "SUPPLY_LINK" if relation else "UFLPA",
                    "evidence": [{"source_url": "https://example.org", "title": "t", "date": None}],
                    "paths": [
                        {
                            "nodes": [{"id": "p", "name": "A"}, {"id": "q", "name": "B"}],
                            "edges": [
                                {
                                    "relation_id": relation,
                                    "kind": "supplies",
                                    "source_id": "q",
                                    "target_id": "p",
                                    "sources": [{"title": "record", "date": "2025-01-01"}],
                                }
                            ],
                        }
                    ]
                    if relation
                    else [],
                }
            ]
            if flagged
            else [],
        },
    }


def screenings(rows: int, seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed)
    first = [
        result(n, "prohibited" if rng.random() < 0.1 else "no signal found")
        for n in range(2, rows + 2)
    ]
    second = []
    for item in first:
        draw = rng.random()
        if draw < 0.005:
            continue  # gone
        if draw < 0.015 and item["risk"]["tier"] == "no signal found":
            second.append(result(item["row"], "high", relation=f"r{item['row']}"))
        else:
            second.append(item)
    second += [result(rows + 2 + n, "elevated") for n in range(rows // 200)]  # new
    return first, second


def store_screening(history: ScreeningHistory, ident: str, results: list[dict[str, Any]]) -> None:
    facts = [row_facts(r, f"id:{r['row']}", f"Example Supplier {r['row']} Co") for r in results]
    history.save(
        NewScreening(
            id=ident,
            origin="cli",
            files=(InputFile("suppliers.csv", b"synthetic"),),
            as_of=dt.date(2026, 6, 1),
            data_version="bench",
            algorithm="bench",
            settings={"hops": 2, "key": "column 'Vendor No.'"},
            summary={},
            rows=[_stored(r, f) for r, f in zip(results, facts, strict=True)],
        )
    )


def _stored(result: dict[str, Any], facts: RowFacts) -> StoredRow:
    return StoredRow(
        row=facts.row,
        name=facts.name,
        tier=facts.tier,
        bands=(),
        lists=(),
        result=result,
        key=facts.key,
        facts=facts_to_json(facts),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", default="", help="Database URL (default: a new SQLite file).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="threadline-bench-") as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        with Store.open(url) as store:
            history = ScreeningHistory(store)
            first, second = screenings(args.rows, seed=11)
            started = time.perf_counter()
            store_screening(history, "a" * 32, first)
            store_screening(history, "b" * 32, second)
            stored_s = time.perf_counter() - started
            walls = []
            for run in range(args.runs):
                wall, cpu = time.perf_counter(), time.process_time()
                pair = history.pair("a" * 32, "b" * 32)
                loaded = time.perf_counter()
                assert pair is not None
                previous, current = pair
                changes = compare(previous, current)
                done = time.perf_counter()
                walls.append(done - wall)
                sys.stdout.write(
                    json.dumps(
                        {
                            "run": run + 1,
                            "rows": [len(previous.rows), len(current.rows)],
                            "load_s": round(loaded - wall, 3),
                            "compare_s": round(done - loaded, 3),
                            "total_s": round(done - wall, 3),
                            "cpu_s": round(time.process_time() - cpu, 3),
                            "counts": changes.counts(),
                        }
                    )
                    + "\n"
                )
            sys.stdout.write(
                f"compare two stored screenings of {args.rows} rows ({store.engine.dialect.name}): "
                f"{min(walls):.2f}–{max(walls):.2f} s over {args.runs} runs "
                f"(storing both took {stored_s:.1f} s)\n"
            )


if __name__ == "__main__":
    main()
