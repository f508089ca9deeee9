"""Import a million synthetic bills of lading into SQLite and PostgreSQL; time it twice.

    .venv/bin/python bench/imports.py --rows 1000000 [--pg postgresql+psycopg://…/db | --start-pg]

Writes bench/out/imports/bills.csv (seeded; a few thousand distinct shippers, some of them listed
names), then for each backend runs `threadline.importing.import_shipments` into an empty store in
a child process — once (everything added) and again (everything unchanged) — and prints wall and
CPU time and the child's peak memory (CPU time tells a busy machine's figures apart). The PostgreSQL URL may also come from
THREADLINE_TEST_PG_URL; its database is emptied first. `--start-pg` instead starts a throwaway
server as scripts/test does (initdb into a temporary folder, a free loopback port) but with the
server's default settings (fsync on), and stops it afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bills import HEADER  # the bills of lading's columns, as bench/bills.py writes them

OUT = Path(__file__).resolve().parent / "out" / "imports"
LISTED = ["Hetian Taida Apparel Co Ltd", "Aksu Huafu Textiles Co", "Changji Esquel Textile Co"]
WORDS = ["Golden", "Harbor", "Eastern", "Silk", "Bright", "Ocean", "Summit", "Jade", "Pacific"]
GOODS = [
    ("cotton shirts", "620520"),
    ("denim fabric", "520942"),
    ("polysilicon", "280461"),
    ("tomato paste", "200290"),
    ("aluminium sheet", "760612"),
    ("hair extensions", "670411"),
]


def write_bills(path: Path, rows: int, shippers: int, consignees: int, seed: int) -> None:
    rng = random.Random(seed)
    shipper_names = LISTED + [
        f"{rng.choice(WORDS)} {rng.choice(WORDS)} Trading Co {n}" for n in range(shippers)
    ]
    consignee_names = [f"Importer {n} LLC" for n in range(consignees)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            product, hs = rng.choice(GOODS)
            consignee = rng.choice(consignee_names)
            writer.writerow(
                [
                    f"SYNU{n:09d}",
                    f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    rng.choice(shipper_names),
                    "Ningbo, Zhejiang",
                    consignee,
                    consignee,
                    product,
                    hs,
                    f"{rng.randint(1, 900)} CTN",
                    str(rng.randint(100, 20000)),
                    "Ningbo",
                    "Los Angeles",
                    "CN",
                ]
            )


def child(url: str, bills: Path) -> None:
    """One backend, in its own process so peak memory is its own."""
    from threadline.importing import import_shipments
    from threadline.pipeline import ensure_reference_data
    from threadline.store import Store

    class Phases:
        def __init__(self) -> None:
            self.times: dict[str, float] = {}
            self.current, self.started = "", time.perf_counter()

        def phase(self, name: str, total: int | None) -> None:
            self.close()
            self.current, self.started = name.split()[0], time.perf_counter()

        def advance(self, steps: int) -> None:
            pass

        def close(self) -> None:
            if self.current:
                self.times[self.current] = round(time.perf_counter() - self.started, 1)

    figures: dict[str, object] = {}
    with Store.open(url) as store:
        ensure_reference_data(store)
        for run in ("first", "again"):
            phases = Phases()
            started, cpu = time.perf_counter(), time.process_time()
            report = import_shipments(store, bills, progress=phases)
            phases.close()
            c = report.counts
            figures[run] = {
                "wall_s": round(time.perf_counter() - started, 1),
                "cpu_s": round(time.process_time() - cpu, 1),
                **phases.times,
                "added": c.added,
                "unchanged": c.unchanged,
                "notes": report.notes,
            }
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    sys.stdout.write(json.dumps(figures) + "\n")


def empty_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A fresh PostgreSQL server with default settings; its URL. As root, it runs as postgres."""
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bindir:
        raise SystemExit("PostgreSQL's initdb was not found (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="threadline-bench-pg-"))
    run_as = []
    if os.getuid() == 0:  # the server refuses to run as root
        shutil.chown(folder, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = str(folder / "data")
    ctl = [*run_as, str(bindir[-1] / "pg_ctl"), "-D", data, "-s"]
    initdb = [*run_as, str(bindir[-1] / "initdb"), "-D", data, "-A", "trust", "-U", "postgres"]
    subprocess.run([*initdb, "-E", "UTF8"], check=True, capture_output=True)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    subprocess.run([*ctl, "-l", str(folder / "log"), "-w", "start", "-o", options], check=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*ctl, "-m", "fast", "stop"], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--shippers", type=int, default=5000)
    parser.add_argument("--consignees", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg", default=os.environ.get("THREADLINE_TEST_PG_URL", ""))
    parser.add_argument("--start-pg", action="store_true", help="start a throwaway server")
    parser.add_argument("--child", nargs=2, metavar=("URL", "BILLS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0
    if args.start_pg:
        with throwaway_postgres() as url:
            return run(args.rows, args.shippers, args.consignees, args.seed, url)
    return run(args.rows, args.shippers, args.consignees, args.seed, args.pg)


def run(rows: int, shippers: int, consignees: int, seed: int, pg: str) -> int:
    bills = OUT / f"bills-{rows}.csv"
    if not bills.exists():
        started = time.perf_counter()
        write_bills(bills, rows, shippers, consignees, seed)
        sys.stderr.write(f"wrote {bills} in {time.perf_counter() - started:.0f} s\n")
    backends = {"sqlite": f"sqlite:///{OUT / 'bench.db'}"}
    if pg:
        backends["postgresql"] = pg
    else:
        sys.stderr.write("no --pg URL and THREADLINE_TEST_PG_URL unset: PostgreSQL skipped\n")
    for name, url in backends.items():
        if name == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                (OUT / f"bench.db{suffix}").unlink(missing_ok=True)
        else:
            empty_postgres(url)
        result = subprocess.run(
            [sys.executable, __file__, "--child", url, str(bills)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            sys.stderr.write(result.stderr)
            return 1
        record = {"backend": name, "rows": rows, **json.loads(result.stdout)}
        sys.stdout.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
