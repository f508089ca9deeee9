"""Issue 16, failure 10: a writer waits for SQLite's lock instead of failing "database is
locked", two imports of one file at once both succeed (merged), on both backends."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from threadline.errors import StoreBusy
from threadline.importing import import_lists
from threadline.store import Store

LIST = "id,name,country\n" + "".join(f"c{i},Example Company {i} Ltd,CN\n" for i in range(300))


def test_import_waits_for_a_held_sqlite_lock(tmp_path: Path) -> None:
    db = tmp_path / "locked.db"
    path = tmp_path / "watch.csv"
    path.write_text(LIST, encoding="utf-8")
    with Store.open(f"sqlite:///{db}") as store:
        holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # another process writing, e.g. a long import

        def release() -> None:
            time.sleep(1.5)
            holder.execute("COMMIT")

        thread = threading.Thread(target=release)
        thread.start()
        started = time.perf_counter()
        report = import_lists(store, path)
        thread.join()
        holder.close()
        assert time.perf_counter() - started >= 1.0  # it waited rather than failing
        assert report.counts.added > 0


def test_same_file_imported_twice_at_once_merges(tmp_path: Path, db_url: str) -> None:
    path = tmp_path / "watch.csv"
    path.write_text(LIST, encoding="utf-8")
    results: list[object] = []
    with Store.open(db_url) as store:

        def run() -> None:
            try:
                results.append(import_lists(store, path).counts)
            except Exception as exc:  # recorded: the test says which failed and how
                results.append(exc)

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not [r for r in results if isinstance(r, Exception)], results
        again = import_lists(store, path).counts
        assert again.added == 0 and again.unchanged > 0


def test_an_import_that_loses_a_race_runs_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "watch.csv"
    path.write_text(LIST, encoding="utf-8")
    with Store.open(f"sqlite:///{tmp_path / 'race.db'}") as store:
        real = store.import_entities
        calls: list[int] = []

        def losing_once(*args: object, **kwargs: object) -> object:
            calls.append(1)
            if len(calls) == 1:
                raise StoreBusy("could not store watch: UNIQUE constraint failed")
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(store, "import_entities", losing_once)
        report = import_lists(store, path)
        assert len(calls) == 2 and report.counts.added > 0
