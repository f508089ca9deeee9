"""GET /entities/{id} with statements, sources, listings and relations; GET /search."""

from __future__ import annotations

import datetime as dt

import pytest
from api_support import Api

from threadline.model import Relation, RelationKind, Source

XPCC_ZH = "新疆生产建设兵团"


def listed_entity(api: Api) -> str:
    entity = next(e for e in api.app.state.services.screener().entities if e.listings)
    return entity.id


def test_entity_shows_statements_with_sources(api: Api) -> None:
    entity_id = listed_entity(api)
    body = api.get(f"/entities/{entity_id}").json()
    assert body["id"] == entity_id and body["name"]
    names = [s for s in body["statements"] if s["prop"] == "name"]
    assert names and names[0]["value"] == body["name"]
    assert all(s["source_url"] and s["reliability"] for s in names)
    assert body["listings"] and body["listings"][0]["sources"][0]["url"].startswith("http")
    assert body["relations"] == []
    assert api.get("/entities/no-such-entity").status_code == 404


def test_relations_come_from_the_store_when_it_has_them(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    entity_id = listed_entity(api)
    relation = Relation(
        id="rel-1",
        kind=RelationKind.SUPPLIES,
        source_id="supplier-x",
        target_id=entity_id,
        start=dt.date(2020, 1, 1),
        sources=(Source(url="https://example.org/bol", title="Bill of lading"),),
    )
    store = api.app.state.services.store
    monkeypatch.setattr(store, "load_relations", lambda: [relation], raising=False)
    shown = api.get(f"/entities/{entity_id}").json()["relations"]
    assert shown == [
        {
            "id": "rel-1",
            "kind": "supplies",
            "source_id": "supplier-x",
            "source_name": "supplier-x",
            "target_id": entity_id,
            "target_name": api.get(f"/entities/{entity_id}").json()["name"],
            "start": "2020-01-01",
            "end": None,
            "description": "",
            "sources": [
                {
                    "url": "https://example.org/bol",
                    "title": "Bill of lading",
                    "publisher": "",
                    "date": None,
                    "reliability": "official list",
                }
            ],
        }
    ]


def test_search_finds_names_across_scripts(api: Api) -> None:
    results = api.get("/search", params={"q": XPCC_ZH}).json()["results"]
    assert results and "Production and Construction Corps" in results[0]["name"]
    assert results[0]["score"] > 0.5
    assert api.get("/search", params={"q": ""}).status_code == 422
