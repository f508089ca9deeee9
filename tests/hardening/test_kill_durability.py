"""kill -9 of `threadline import` mid-write leaves no partial import and a sound database, and the
import run again lands whole (issue 16: keep the probe's durability findings under test), on
SQLite and on PostgreSQL when THREADLINE_TEST_PG_URL is set."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from threadline.store import Store
from threadline.store.tables import entities

SCRIPT = str(Path(sys.executable).parent / "threadline")
ROWS = 6000


def _count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count()).select_from(entities).where(entities.c.dataset_id == "big")
                ).scalar_one()
            )
    finally:
        engine.dispose()


def test_kill_9_during_import_leaves_all_or_nothing(tmp_path: Path, db_url: str) -> None:
    path = tmp_path / "big.csv"
    path.write_text(
        "id,name,country,address\n"
        + "".join(f"k{i},Example Trading Company {i} Limited,CN,{i} Road\n" for i in range(ROWS)),
        encoding="utf-8",
    )
    Store.open(db_url).close()  # migrated before the clock starts
    for delay in (0.8, 2.5):
        with subprocess.Popen(
            [SCRIPT, "import", "lists", str(path), "--db", db_url, "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ) as importer:
            time.sleep(delay)
            importer.send_signal(signal.SIGKILL)
            importer.wait(timeout=30)
        count = _count(db_url)
        assert count in (0, ROWS), f"a partial import of {count} rows after kill -9"
    if db_url.startswith("sqlite"):
        engine = create_engine(db_url)
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        engine.dispose()
    done = subprocess.run(
        [SCRIPT, "import", "lists", str(path), "--db", db_url, "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert _count(db_url) == ROWS
