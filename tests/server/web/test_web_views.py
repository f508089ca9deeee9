"""The web pages' view logic: review queue, exposure paths, map points."""

from __future__ import annotations

from typing import Any

from threadline.data.geo import facility_rows, load_gazetteer
from threadline.decide import ReviewDecision, Verdict, decision_key
from threadline.server.web import views


def _match(entity_id: str, band: str, query: str = "Hoshine Silicon (Shanshan)") -> dict[str, Any]:
    return {
        "entity_id": entity_id,
        "name": entity_id.upper(),
        "score": 0.5,
        "band": band,
        "lists": [{"list_id": "uflpa", "list_name": "UFLPA Entity List"}],
        "explanation": {"query": query, "features": {}},
    }


def _row(row: int, *matches: dict[str, Any], address: str = "") -> dict[str, Any]:
    return {
        "row": row,
        "file": "suppliers.csv",
        "input": {"supplier": "Hoshine Silicon (Shanshan)", "address": address},
        "matches": list(matches),
        "risk": {"tier": "elevated", "reasons": []},
    }


def _decision(entity_id: str, verdict: Verdict) -> dict[tuple[str, str], ReviewDecision]:
    decision = ReviewDecision(
        "HOSHINE  silicon (shanshan)", entity_id, verdict, "ana", "2025-01-02"
    )
    return {decision_key("Hoshine Silicon (Shanshan)", entity_id): decision}


def test_review_queue_holds_possible_matches_even_beside_a_confident_one() -> None:
    rows = [_row(2, _match("a", "match"), _match("b", "review")), _row(3, _match("c", "match"))]
    items = views.review_queue(rows, {})
    assert [(i.row["row"], i.match["entity_id"]) for i in items] == [(2, "b")]
    assert items[0].query_name == "Hoshine Silicon (Shanshan)"


def test_a_decided_pair_leaves_the_queue_but_unsure_stays_for_a_second_reviewer() -> None:
    rows = [_row(2, _match("b", "review"))]
    assert views.review_queue(rows, _decision("b", Verdict.NOT_SAME)) == []
    unsure = views.review_queue(rows, _decision("b", Verdict.UNSURE))
    assert unsure[0].decision is not None
    assert unsure[0].decision.user == "ana"
    decided = views.review_queue(rows, _decision("b", Verdict.SAME), include_decided=True)
    assert [i.match["entity_id"] for i in decided] == ["b"]


def test_supplier_name_is_the_screened_name_never_another_input_cell() -> None:
    """A row without a name match once showed its Vendor No. ("V10016") as the supplier."""
    row = {**_row(4), "input": {"Vendor No.": "V10016", "Vendor Name": "Acme Knits"}}
    assert views.supplier_name({**row, "screened": {"name": "Acme Knits"}}) == "Acme Knits"
    only_address = {**row, "screened": {"name": "", "address": "Kashgar"}}
    assert views.supplier_name(only_address) == "Kashgar"
    assert views.supplier_name(row) == "row 4"  # stored before `screened` existed


def test_exposure_paths_read_edges_with_names_ids_and_sources() -> None:
    reason = {
        "paths": [
            {
                "edges": [
                    {
                        "source_id": "supplier",
                        "source_name": "Harbourline Knitting",
                        "kind": "shipped_to",
                        "target_id": "x1",
                        "sources": [{"url": "https://example.org/bol/1", "title": "B/L 1"}],
                    },
                    {"source_id": "x1", "relation": "subsidiary_of", "target_id": "xpcc"},
                    {
                        "source_id": "xpcc",
                        "kind": "shipped_to",
                        "label": "shipped_to bill B-100",
                        "relation_id": "3f9a2c7e1b",
                        "target_id": "y2",
                    },
                ]
            }
        ]
    }
    (path,) = views.exposure_paths(reason)
    assert [(s.source, s.relation, s.target) for s in path] == [
        ("Harbourline Knitting", "shipped to", "x1"),
        ("x1", "subsidiary of", "xpcc"),
        ("xpcc", "shipped_to bill B-100", "y2"),  # the bill's number, not the relation's hash
    ]
    assert path[0].sources[0]["title"] == "B/L 1"
    assert path[1].sources == () == path[2].sources
    assert views.exposure_paths({"code": "list-match"}) == []


def test_locate_picks_the_county_over_its_prefecture() -> None:
    place = views.locate("新疆阿克苏地区阿瓦提县示例路1号", load_gazetteer())
    assert place is not None
    assert place.name_zh == "阿瓦提县"
    assert place.lat is not None


def test_supplier_points_place_suppliers_by_address_and_skip_unknown_places() -> None:
    rows = [
        _row(2, address="Shanshan County, Turpan"),
        _row(3, address="Rua do Exemplo 10, Porto"),
    ]
    points = views.supplier_points(rows, load_gazetteer(), "address", "/ui/rows/{row}")
    assert [(p["href"], p["place"]) for p in points] == [("/ui/rows/2", "Shanshan (鄯善县)")]
    assert 42 < points[0]["lat"] < 44


def test_facility_points_keep_only_web_links_and_every_located_facility() -> None:
    rows = facility_rows()
    points = views.facility_points(rows)
    assert len(points) == sum(1 for r in rows if r["lat"] and r["lon"])
    assert all(p["url"] == "" or p["url"].startswith("https://") for p in points)
    evil = {
        "name": "<b>x</b>",
        "kind": "prison",
        "lat": "40",
        "lon": "80",
        "source_url": "javascript:alert(1)",
    }
    assert views.facility_points([evil])[0]["url"] == ""


def test_exposure_paths_name_ids_from_the_path_nodes_as_results_json_writes_them() -> None:
    reason = {
        "paths": [
            {
                "nodes": [
                    {"id": "party-1", "name": "Lakeview Trading"},
                    {"id": "uflpa-x", "name": "Listed Silicon Co"},
                ],
                "edges": [
                    {
                        "source_id": "uflpa-x",
                        "kind": "shipped_to",
                        "target_id": "party-1",
                        "sources": [{"url": "bill:B-1", "title": "Bill of lading B-1"}],
                    }
                ],
            }
        ]
    }
    [[step]] = views.exposure_paths(reason)
    assert (step.source, step.relation, step.target) == (
        "Listed Silicon Co",
        "shipped to",
        "Lakeview Trading",
    )
    assert step.sources[0]["url"] == "bill:B-1"
