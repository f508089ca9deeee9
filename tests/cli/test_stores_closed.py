"""Every store a command opens is closed when the command ends, whether it succeeds or refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import threadline

from threadline.store import Store


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> dict[int, bool]:
    """Each store opened while the test runs, by id: closed or not."""
    stores: dict[int, bool] = {}
    open_store, close_store = Store.open.__func__, Store.close  # type: ignore[attr-defined]

    def tracked_open(cls: type[Store], url: str) -> Store:
        store: Store = open_store(cls, url)
        stores[id(store)] = False
        return store

    def tracked_close(self: Store) -> None:
        stores[id(self)] = True
        close_store(self)

    monkeypatch.setattr(Store, "open", classmethod(tracked_open))
    monkeypatch.setattr(Store, "close", tracked_close)
    return stores


def test_each_command_closes_the_stores_it_opened(
    opened: dict[int, bool], tmp_path: Path, example_suppliers: Path
) -> None:
    listed = tmp_path / "watch.csv"
    listed.write_text("id,name,country\nw1,Quillfeather Example Spinning Co,CN\n")
    commands = [
        ("import", "lists", str(listed)),
        ("entity", "w1", "--json"),
        ("screen", str(example_suppliers), "--out", str(tmp_path / "out"), "-q"),
        ("screenings", "--json"),
        ("data", "status", "--json"),
        ("review", "--json"),
        ("user", "add", "ana"),
        ("user", "list"),
        ("monitor", "remove", "9"),  # refused: no such monitor
    ]
    for args in commands:
        ran = threadline(*args)
        assert ran.returncode in (0, 2), (args, ran.stderr)
        assert opened and all(opened.values()), args
