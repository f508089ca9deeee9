"""Every screening output carries each list's as-of date and warns about stale lists."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from refresh_cli import CliRun

from threadline.data.lists import bundled_entities_by_list, bundled_lists
from threadline.model import DatasetInfo
from threadline.model.freshness import list_freshness
from threadline.pipeline import ensure_reference_data
from threadline.store import Store

TODAY = dt.date(2026, 12, 4)


def _info(as_of: str) -> DatasetInfo:
    return DatasetInfo(
        id="uflpa", title="UFLPA Entity List", publisher="DHS", as_of=as_of, licence=""
    )


def test_a_list_older_than_the_limit_is_stale_and_a_recent_one_is_not() -> None:
    old, recent = list_freshness(
        [_info("2026-10-01"), _info("2026-11-20")],
        today=TODAY,
        screening_as_of=TODAY,
        max_age_days=45,
    )
    assert old.age_days == 64 and "64 days old (limit 45)" in old.warnings[0]
    assert recent.age_days == 14 and recent.warnings == ()


def test_the_limit_is_configurable() -> None:
    (fresh,) = list_freshness(
        [_info("2026-10-01")], today=TODAY, screening_as_of=TODAY, max_age_days=90
    )
    assert fresh.warnings == ()


def test_a_list_older_than_a_later_screening_date_is_flagged_even_when_recent() -> None:
    (behind,) = list_freshness(
        [_info("2026-11-20")],
        today=TODAY,
        screening_as_of=dt.date(2026, 12, 1),
        max_age_days=45,
    )
    assert (
        len(behind.warnings) == 1 and "before the screening date 2026-12-01" in behind.warnings[0]
    )
    (earlier,) = list_freshness(
        [_info("2026-11-20")], today=TODAY, screening_as_of=dt.date(2025, 1, 1), max_age_days=45
    )
    assert earlier.warnings == ()


def test_lists_without_a_date_get_no_record() -> None:
    assert list_freshness([_info("")], today=TODAY, screening_as_of=TODAY) == ()


def test_store_counts_the_rows_of_each_bundled_list(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        ensure_reference_data(store)
        rows = {info.id: info.rows for info in store.dataset_infos()}
    for meta in bundled_lists():
        assert rows[meta.id] == len(bundled_entities_by_list(meta)) > 0


def test_data_status_shows_each_list_with_its_rows_age_and_origin(cli: CliRun) -> None:
    result = cli("data", "status", "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    by_id = {item["id"]: item for item in doc["lists"]}
    uflpa = by_id["uflpa"]
    meta = next(m for m in bundled_lists() if m.id == "uflpa")
    assert uflpa["rows"] == len(bundled_entities_by_list(meta))
    assert uflpa["as_of"] == meta.as_of and uflpa["publisher"] == meta.publisher
    assert uflpa["origin"] == "bundled snapshot" and uflpa["notes"]
    expected_age = (dt.date.today() - dt.date.fromisoformat(meta.as_of)).days
    assert uflpa["age_days"] == expected_age
    assert bool(uflpa["warnings"]) == (expected_age > 45)

    lenient = json.loads(cli("data", "status", "--json", "--max-age", "100000").out)
    assert all(item["warnings"] == [] for item in lenient["lists"])
    text = cli("data", "status", "--max-age", "100000")
    assert "uflpa — UFLPA Entity List" in text.out and "bundled snapshot" in text.out
    assert "warning:" not in text.err
    strict = cli("data", "status", "--max-age", "0")
    assert "warning: UFLPA Entity List is as of" in strict.err


def test_every_screening_output_carries_as_of_dates_and_the_warning(
    cli: CliRun, tmp_path: Path, example_suppliers: Path
) -> None:
    out = tmp_path / "out"
    result = cli("screen", str(example_suppliers), "--out", str(out), "--max-age", "10")
    assert result.code == 0, result.err
    assert "warning: UFLPA Entity List is as of" in result.err  # the terminal
    meta = next(m for m in bundled_lists() if m.id == "uflpa")
    assert f"uflpa {meta.as_of}" in result.out.split("Lists as of:")[1]
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    uflpa = next(d for d in doc["datasets"] if d["id"] == "uflpa")
    assert uflpa["rows"] > 0 and uflpa["age_days"] > 10 and uflpa["warnings"]
    assert doc["data_freshness"]["max_age_days"] == 10
    assert any("UFLPA Entity List" in w for w in doc["data_freshness"]["warnings"])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'class="notice data-warning"' in html
    assert html.index('class="notice data-warning"') < html.index('id="summary"')  # near the top
    with (out / "data_sources.csv").open(encoding="utf-8-sig", newline="") as handle:
        sidecar = {row["dataset"]: row for row in csv.DictReader(handle)}
    assert sidecar["uflpa"]["as_of"] == uflpa["as_of"] and sidecar["uflpa"]["warning"]
    # results.csv stays a plain table: its first line is the header (the input's columns, then
    # threadline's).
    first = (out / "results.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    header = next(csv.reader([first]))
    assert header[0] == "supplier" and header[header.index("file") :][:3] == ["file", "row", "name"]

    calm = cli("screen", str(example_suppliers), "--out", str(out), "-q", "--max-age", "100000")
    assert "warning:" not in calm.err
    assert 'class="notice data-warning"' not in (out / "report.html").read_text(encoding="utf-8")
