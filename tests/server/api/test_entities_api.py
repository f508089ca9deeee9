"""GET /entities/{id} with statements, sources, listings and relations; GET /search."""

from __future__ import annotations

from pathlib import Path

from api_support import Api

from threadline.importing import import_relations

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


def test_entity_shows_its_imported_relations_with_sources(api: Api, tmp_path: Path) -> None:
    entity_id = listed_entity(api)
    links = tmp_path / "links.csv"
    links.write_text(
        "from,to,relation,share,start,end,source\n"
        f"Example Supplier X Ltd,{entity_id},supplies,,2020-01-01,,https://example.org/bol\n",
        encoding="utf-8",
    )
    store = api.app.state.services.store
    assert import_relations(store, links).counts.added == 1
    body = api.get(f"/entities/{entity_id}").json()
    [shown] = body["relations"]
    assert (shown["kind"], shown["target_id"], shown["target_name"]) == (
        "supplies",
        entity_id,
        body["name"],
    )
    assert shown["start"] == "2020-01-01" and shown["end"] is None
    assert [s["url"] for s in shown["sources"]] == ["https://example.org/bol"]
    # The supplier entered the store with the import, after the server started: still shown.
    supplier = api.get(f"/entities/{shown['source_id']}").json()
    assert supplier["name"] == "Example Supplier X Ltd" and supplier["relations"][0]["id"] == shown["id"]


def test_search_finds_names_across_scripts(api: Api) -> None:
    results = api.get("/search", params={"q": XPCC_ZH}).json()["results"]
    assert results and "Production and Construction Corps" in results[0]["name"]
    assert results[0]["score"] > 0.5
    assert api.get("/search", params={"q": ""}).status_code == 422


def test_an_entry_folded_into_a_company_shows_every_listing_of_it(api: Api) -> None:
    body = api.get("/entities/cbp-wro-2020-baoding-lyszd").json()
    assert body["same_company"] == [
        "uflpa-baoding-lyszd-trade-and-business",
        "cbp-wro-2020-baoding-lyszd",
    ]
    assert {x["list_id"] for x in body["listings"]} == {"uflpa", "cbp_wro"}
