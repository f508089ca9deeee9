"""Exposure paths in every report: each edge with its relation and the relation's sources."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from threadline.model import RunMetadata, ScreenedRow, Source
from threadline.report import render_html, results_document, write_csv
from threadline.report.common import edge_label

# The values the `exposure_row` fixture (conftest.py) puts on the path's relations.
SHIPMENT_URL = "https://example.org/bills/BL-1"
HOSTILE_RELATION_SOURCE = "javascript:alert(5)"


def test_json_reason_carries_its_paths_edge_by_edge(
    meta: RunMetadata, exposure_row: ScreenedRow
) -> None:
    (result,) = results_document(meta, [exposure_row])["results"]
    (reason,) = result["risk"]["reasons"]
    (path,) = reason["paths"]
    assert path["hops"] == 2
    assert [n["id"] for n in path["nodes"]] == ["supplier", "middle", "listed"]
    first, second = path["edges"]
    assert (first["relation_id"], first["kind"], first["from"], first["to"]) == (
        "r2",
        "owns",
        "supplier",
        "middle",
    )
    assert (first["source_id"], first["target_id"], first["share"]) == ("middle", "supplier", 60.0)
    assert second["start"] == "2024-03-01" and second["end"] is None
    assert second["sources"] == [
        {
            "url": SHIPMENT_URL,
            "title": "Bill of lading BL-1",
            "publisher": "Example Trade Data",
            "date": "2024-03-02",
        }
    ]


def test_reasons_without_paths_have_an_empty_list(
    meta: RunMetadata, rows: list[ScreenedRow]
) -> None:
    results = results_document(meta, rows)["results"]
    assert all(r["paths"] == [] for row in results for r in row["risk"]["reasons"])


def test_csv_spells_each_path_on_one_safe_line(tmp_path: Path, exposure_row: ScreenedRow) -> None:
    path = tmp_path / "results.csv"
    write_csv(path, [exposure_row])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, line = list(csv.reader(handle))
    cell = line[header.index("exposure_paths")]
    # The supplier's name starts like a formula, so the cell is defused.
    # Relations are named by what a reader can look up (the share; a bill's number), not ids.
    assert cell == "'=Supplier Co <-[owns 60%]- Middle Ltd <-[shipped_to]- Listed Cotton"


def test_a_shipment_link_is_named_by_its_bill_number(exposure_row: ScreenedRow) -> None:
    (reason,) = exposure_row.risk.reasons
    (path,) = reason.paths
    edge = path.edges[1]
    billed = replace(edge.relation, sources=(Source("bill:MEDU 4471", "Bill of lading MEDU 4471"),))
    assert edge_label(replace(edge, relation=billed)) == "<-[shipped_to bill MEDU 4471]-"


def test_html_shows_each_edge_with_its_sources_and_keeps_hostile_ones_inert(
    meta: RunMetadata, exposure_row: ScreenedRow
) -> None:
    html = render_html(meta, [exposure_row])
    assert '<ol class="paths">' in html
    assert f'<a href="{SHIPMENT_URL}">Bill of lading BL-1</a>' in html
    assert "<code>shipped_to</code> (2024-03-01 – —)" in html
    assert "<code>owns 60%</code>" in html
    assert f'href="{HOSTILE_RELATION_SOURCE}' not in html
    assert "&lt;b&gt;registry&lt;/b&gt;" in html


def test_html_and_json_name_a_shipment_link_by_its_bill_not_its_hash(
    meta: RunMetadata, exposure_row: ScreenedRow
) -> None:
    (reason,) = exposure_row.risk.reasons
    (path,) = reason.paths
    owned, shipped = path.edges
    bill = Source("bill:B-100", "Bill of lading B-100")
    hashed = replace(shipped.relation, id="3f9a2c7e1b", sources=(bill,))
    billed_path = replace(path, edges=(owned, replace(shipped, relation=hashed)))
    row = replace(
        exposure_row,
        risk=replace(exposure_row.risk, reasons=(replace(reason, paths=(billed_path,)),)),
    )
    html = render_html(meta, [row])
    assert "<code>shipped_to bill B-100</code>" in html
    assert "3f9a2c7e1b" not in html
    (result,) = results_document(meta, [row])["results"]
    edges = result["risk"]["reasons"][0]["paths"][0]["edges"]
    assert [e["label"] for e in edges] == ["owns 60%", "shipped_to bill B-100"]
