"""Screenings kept and compared on each backend: every kind of change, through real data in the
store (a relation, a list, a review decision, a setting, an edited input), and the monitors."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from threadline import __version__
from threadline.decide import ReviewDecision, Verdict
from threadline.errors import InputError, NotFound
from threadline.importing import import_lists, import_relations
from threadline.inputs import read_records
from threadline.model.changes import Cause, Status
from threadline.monitoring.alerts import alert_monitors
from threadline.monitoring.keys import row_keys
from threadline.monitoring.session import (
    Compared,
    ScreenSettings,
    assemble,
    baseline,
    keep,
    new_screening_id,
)
from threadline.pipeline import build_screener, ensure_reference_data
from threadline.store import Store
from threadline.store.history import InputFile, NewScreening, ScreeningHistory
from threadline.store.screenings import StoredRow

AS_OF = dt.date(2026, 6, 1)
SUPPLIERS = (
    "Vendor No.,supplier,country,address\n"
    "V1,Northwind Example Textiles Ltd,Portugal,Porto\n"
    "V2,Esquel Textile,CN,\n"
    "V3,Acme Example Trading Co,CN,Shanghai\n"
    "V4,Aksu Example Tekstil A.S.,Turkey,Antalya\n"
)


def screen(store: Store, path: Path, *, hops: int | None = None) -> Compared:
    """What `threadline screen` does after reading: screen, compare with the last, keep."""
    records = read_records(path)
    run = build_screener(store).run(as_of=AS_OF, max_hops=hops)
    rows = run.screen(records)
    keys = row_keys(records)
    history = ScreeningHistory(store)
    compared = assemble(
        screening_id=new_screening_id(),
        meta=run.metadata([str(path)]),
        rows=rows,
        keys=keys,
        settings=ScreenSettings(hops=run.hops, key=keys.label),
        previous=baseline(history, "last", path.name),
        stored=True,
    )
    keep(history, compared, rows, [InputFile(path.name, path.read_bytes())], origin="cli")
    return compared


def changed(compared: Compared) -> dict[str, tuple[Status, list[Cause], str]]:
    assert compared.changes is not None
    return {
        c.key: (c.status, [w.cause for w in c.why], " ".join(w.text for w in c.why))
        for c in compared.changes.changed()
    }


def test_each_kind_of_change_is_found_with_its_cause(store: Store, tmp_path: Path) -> None:
    ensure_reference_data(store)
    path = tmp_path / "suppliers.csv"
    path.write_text(SUPPLIERS, encoding="utf-8")
    first = screen(store, path)
    assert first.changes is None  # nothing stored before
    assert first.document["row_key"] == {"kind": "column", "column": "Vendor No."}
    assert [r["key"] for r in first.document["results"]] == ["id:v1", "id:v2", "id:v3", "id:v4"]

    history = ScreeningHistory(store)
    history.add_monitor(first.screening_id)

    # A relation touching one supplier: only that supplier changes, because of the relation.
    links = tmp_path / "links.csv"
    links.write_text(
        "from,to,relation,start,source,source_title\n"
        "uflpa-changji-esquel-textile,Northwind Example Textiles Ltd,supplies,2024-01-01,"
        "https://example.org/record-1,Customs record 1\n",
        encoding="utf-8",
    )
    import_relations(store, links)
    (check,) = alert_monitors(store, as_of=AS_OF)
    assert [(c.key, c.previous_tier, c.tier) for c in check.tier_changes()] == [
        ("id:v1", "no signal found", "high")
    ]
    assert check.screening_id is not None
    (monitor,) = history.monitors()
    assert (monitor.screening_id, monitor.previous_id) == (check.screening_id, first.screening_id)
    assert (monitor.changed, monitor.raised) == (1, 1)
    second = screen(store, path)  # compared with `first`: the monitor's re-screen does not count
    assert changed(second) == {
        "id:v1": (Status.RAISED, [Cause.RELATIONS], changed(second)["id:v1"][2])
    }
    assert "Customs record 1" in changed(second)["id:v1"][2]
    assert second.document["changes"]["counts"]["raised"] == 1

    # A list update: the buyer's watch list names one supplier.
    watch = tmp_path / "watch.csv"
    watch.write_text(
        "id,name,country,date_listed,source_url,effect\n"
        "w1,Acme Example Trading Co,CN,2026-01-01,https://example.org/w1,other_sanction\n",
        encoding="utf-8",
    )
    import_lists(store, watch, list_id="watch", list_name="Buyer watch list")
    third = screen(store, path)
    assert list(changed(third)) == ["id:v3"]
    status, causes, text = changed(third)["id:v3"]
    assert status is Status.RAISED and causes == [Cause.LIST_UPDATE]
    assert "Buyer watch list" in text and "2026-01-01" in text

    # A review decision on a possible match.
    store.add_decision(
        ReviewDecision(
            query_name="Esquel Textile",
            entity_id="uflpa-changji-esquel-textile",
            verdict=Verdict.SAME,
            user="ana",
            decided_at="2026-05-01T10:00:00+00:00",
        ),
        data_version="test",
        algorithm="test",
    )
    fourth = screen(store, path)
    assert list(changed(fourth)) == ["id:v2"]
    assert changed(fourth)["id:v2"][:2] == (Status.RAISED, [Cause.REVIEW])

    # A setting: no links followed.
    fifth = screen(store, path, hops=0)
    status, causes, text = changed(fifth)["id:v1"]
    assert status is Status.LOWERED and Cause.SETTINGS in causes and "hops: 2 → 0" in text

    # The input edited: one row's address moves to Xinjiang, one row goes, one comes.
    path.write_text(
        SUPPLIERS.replace(
            "V3,Acme Example Trading Co,CN,Shanghai", "V5,Fresh Example Co,CN,"
        ).replace("Turkey,Antalya", "CN,新疆阿克苏地区阿瓦提县示例路1号"),
        encoding="utf-8",
    )
    sixth = screen(store, path, hops=0)
    got = changed(sixth)
    assert got["id:v4"][:2] == (Status.RAISED, [Cause.INPUT])
    assert got["id:v5"][0] is Status.NEW
    assert got["id:v3"][0] is Status.GONE
    assert [g["key"] for g in sixth.document["changes"]["gone"]] == ["id:v3"]


def test_a_failed_save_leaves_no_screening(store: Store) -> None:
    """Stored in one transaction: a screening that breaks while being written is not there."""
    row = StoredRow(row=2, name="a", tier="high", bands=(), lists=(), result={}, key="k")
    broken = NewScreening(
        id="s1",
        origin="cli",
        files=(InputFile("a.csv", b"supplier\na\n"),),
        as_of=AS_OF,
        data_version="d",
        algorithm="a",
        settings={},
        summary={},
        rows=[row, row],  # the same row twice breaks the primary key
    )
    history = ScreeningHistory(store)
    with pytest.raises(IntegrityError):
        history.save(broken)
    assert history.recent() == []
    assert history.inputs("s1") == []


def test_compare_to_refuses_other_versions_inputs_and_unknown_ids(
    store: Store, tmp_path: Path
) -> None:
    history = ScreeningHistory(store)
    stored = NewScreening(
        id="s1",
        origin="cli",
        files=(InputFile("other.csv", b"supplier\na\n"),),
        as_of=AS_OF,
        data_version="d",
        algorithm="a",
        settings={},
        summary={},
        rows=[],
    )
    history.save(stored)
    with pytest.raises(NotFound, match="no finished screening 'nope'"):
        baseline(history, "nope", "suppliers.csv")
    with pytest.raises(InputError, match=re.escape("screened 'other.csv', not 'suppliers.csv'")):
        baseline(history, "s1", "suppliers.csv")
    old = tmp_path / "results.json"
    doc = {
        "tool": "threadline",
        "tool_version": "0.0.1",
        "inputs": ["suppliers.csv"],
        "results": [],
    }
    old.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape("written by threadline 0.0.1")):
        baseline(history, str(old), "suppliers.csv")
    old.write_text(json.dumps({**doc, "tool_version": __version__}), encoding="utf-8")
    assert baseline(history, str(old), "suppliers.csv") is not None
    with pytest.raises(InputError, match=re.escape("not 'x.csv'")):
        baseline(history, str(old), "x.csv")
    assert baseline(history, "last", "suppliers.csv") is None  # nothing of that name stored
