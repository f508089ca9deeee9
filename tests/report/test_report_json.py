from __future__ import annotations

import json
from pathlib import Path

from threadline.model import InputRecord, RiskAssessment, RunMetadata, ScreenedRow, Tier
from threadline.report import results_document, write_json


def test_top_level_keys_in_stable_order(meta: RunMetadata, rows: list[ScreenedRow]) -> None:
    doc = results_document(meta, rows)
    assert list(doc) == [
        "tool",
        "tool_version",
        "data_version",
        "data_as_of",
        "as_of",
        "algorithm",
        "thresholds",
        "generated_at",
        "inputs",
        "inputs_read",
        "datasets",
        "data_freshness",
        "summary",
        "disclaimer",
        "certification_caveat",
        "results",
    ]
    assert doc["tool"] == "threadline"
    assert doc["as_of"] == "2025-06-01"
    assert doc["thresholds"] == {"match": 0.9, "review": 0.75}
    assert doc["data_as_of"] == {"uflpa": "2025-01-15", "cbp_wro": "2025-12-01"}
    assert doc["datasets"][0]["attribution"] == "Compiled from DHS Federal Register notices."


def test_summary_counts_every_tier_worst_first(meta: RunMetadata, rows: list[ScreenedRow]) -> None:
    summary = results_document(meta, rows + rows[2:3])["summary"]
    assert list(summary.items()) == [
        ("prohibited", 2),
        ("high", 1),
        ("elevated", 1),
        ("no signal found", 1),
    ]
    assert results_document(meta, [])["summary"] == dict.fromkeys(
        ["prohibited", "high", "elevated", "no signal found"], 0
    )


def test_results_keep_input_order_and_raw_row(meta: RunMetadata, rows: list[ScreenedRow]) -> None:
    results = results_document(meta, rows)["results"]
    assert [r["row"] for r in results] == [2, 3, 4, 5]
    assert [r["risk"]["tier"] for r in results] == [
        "no signal found",
        "elevated",
        "prohibited",
        "high",
    ]
    assert results[0] == {
        "row": 2,
        "file": "suppliers.csv",
        "input": {"Supplier": "Acme Knitting Mills 针织厂", "City": "Ningbo"},
        # What was screened, beside the row as the user's file has it.
        "screened": {
            "name": "Acme Knitting Mills 针织厂",
            "other_names": [],
            "address": "12 Harbour Road, Ningbo",
            "country": "CN",
            "key": "",
            "product": "",
            "hs_code": "",
            "certifications": [],
            "not_screened": "",
        },
        "matches": [],
        "risk": {"tier": "no signal found", "reasons": []},
    }


def test_input_falls_back_to_parsed_fields_without_raw(meta: RunMetadata) -> None:
    record = InputRecord(file="a.csv", row=7, name="Foo Ltd", country="CN")
    doc = results_document(meta, [ScreenedRow(record, (), RiskAssessment(Tier.NO_SIGNAL))])
    assert doc["results"][0]["input"] == {"name": "Foo Ltd", "country": "CN"}


def test_match_listing_and_evidence_shape(meta: RunMetadata, rows: list[ScreenedRow]) -> None:
    prohibited = results_document(meta, rows)["results"][2]
    (match,) = prohibited["matches"]
    assert match["entity_id"] == "uflpa-hoshine-silicon-industry-shanshan"
    assert match["score"] == 0.97
    assert match["band"] == "match"
    assert match["lists"] == [
        {
            "list_id": "uflpa",
            "list_name": "UFLPA Entity List",
            "program": "",
            "section": "2(d)(2)(B)(i)",
            "date_listed": "2022-06-21",
            "date_removed": None,
            "entry_id": "uflpa-hoshine-silicon-industry-shanshan",
            "product_scope": "",
            "status": "",
            "sources": [
                {
                    "url": "https://www.federalregister.gov/d/2022-13370?a=1&b=2",
                    "title": "Federal Register notice",
                    "publisher": "DHS",
                    "date": "2022-06-21",
                    "kind": "unclassified",
                }
            ],
            "notes": "",
        }
    ]
    assert match["explanation"] == rows[2].matches[0].explanation.as_dict()
    (reason,) = prohibited["risk"]["reasons"]
    assert reason["code"] == "uflpa_listed"
    assert reason["tier"] == "prohibited"
    # The official source first, whatever order the reason cites them in.
    assert reason["evidence"][0] == {
        "source_url": "https://www.dhs.gov/uflpa-entity-list",
        "title": "DHS: UFLPA Entity List",
        "date": "2022-06-21",
        "fact": "listed under section 2(d)(2)(B)(i)",
        "publisher": "US Department of Homeland Security",
        "reliability": "official list",
        "kind": "unclassified",
        "excerpt": "",
    }


def test_removed_listing_and_missing_evidence_date(
    meta: RunMetadata, rows: list[ScreenedRow]
) -> None:
    high = results_document(meta, rows)["results"][3]
    assert high["matches"][0]["lists"][0]["date_removed"] == "2024-01-01"
    assert high["risk"]["reasons"][0]["evidence"][1]["date"] is None


def test_write_json_round_trips_and_keeps_chinese_readable(
    tmp_path: Path, meta: RunMetadata, rows: list[ScreenedRow]
) -> None:
    doc = results_document(meta, rows)
    path = tmp_path / "results.json"
    write_json(path, doc)
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == doc
    assert "针织厂" in text
    assert "\\u" not in text


def test_disclaimer_never_calls_a_row_clean(meta: RunMetadata) -> None:
    disclaimer = results_document(meta, [])["disclaimer"]
    assert "no signal found" in disclaimer
    assert "clean" not in disclaimer.lower()
