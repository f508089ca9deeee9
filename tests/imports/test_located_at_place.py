"""`located_at` a place: the gazetteer resolves it into the company's location, so an owner of the
company is exposed, instead of a party named "Aksu, Xinjiang" that nothing can follow."""

import datetime as dt
import json
from pathlib import Path

import pytest

from threadline.importing import import_ftm, import_relations
from threadline.model import InputRecord, Tier
from threadline.pipeline import build_screener, screen
from threadline.store import Store

RELATIONS = """\
from,to,relation,source
Quillfeather Example Holdings Ltd,Redpoplar Example Spinning Co,owns,https://example.org/registry/1
Redpoplar Example Spinning Co,"Aksu, Xinjiang",located_at,https://example.org/report/2
Redpoplar Example Spinning Co,Harbourline Example Knitting Co,supplies,https://example.org/report/3
"""

FTM = [
    {
        "id": "co-1",
        "schema": "Company",
        "properties": {"name": ["Quillfeather Example Holdings Ltd"]},
    },
    {"id": "co-2", "schema": "Company", "properties": {"name": ["Redpoplar Example Spinning Co"]}},
    {"id": "place-1", "schema": "LegalEntity", "properties": {"name": ["Aksu, Xinjiang"]}},
    {"id": "addr-1", "schema": "Address", "properties": {"full": ["Aksu, Xinjiang"]}},
    {"id": "own-1", "schema": "Ownership", "properties": {"owner": ["co-1"], "asset": ["co-2"]}},
    {
        "id": "at-1",
        "schema": "UnknownLink",
        "properties": {
            "subject": ["co-2"],
            "object": ["place-1"],
            "role": ["located_at"],
            "sourceUrl": ["https://example.org/report/2"],
        },
    },
]


def test_a_place_target_becomes_the_company_location_and_exposes_its_owner(
    tmp_path: Path,
) -> None:
    path = tmp_path / "links.csv"
    path.write_text(RELATIONS, encoding="utf-8")
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store:
        report = import_relations(store, path)
        assert any("located_at a place" in note for note in report.notes)
        names = {e.name for e in store.load_entities()}
        assert "Aksu, Xinjiang" not in names
        assert "Harbourline Example Knitting Co" in names  # a company target stays a party
        screener = build_screener(store)
        (owner,) = screen(
            [InputRecord(file="s.csv", row=2, name="Quillfeather Example Holdings Ltd")],
            reference=screener,
            as_of=dt.date(2026, 1, 1),
        )
    assert owner.risk.tier is Tier.HIGH
    (link,) = [r for r in owner.risk.reasons if r.paths]
    assert "recorded location in the XUAR" in link.text
    assert link.paths[0].end.name == "Redpoplar Example Spinning Co"


@pytest.mark.parametrize("place", ["place-1", "addr-1"])  # a party named as a place; an Address
def test_an_ftm_link_to_a_place_becomes_the_company_location_and_exposes_its_owner(
    tmp_path: Path, place: str
) -> None:
    lines = [item for item in FTM if item["id"] not in {"place-1", "addr-1"} - {place}]
    lines[-1] = {**lines[-1], "properties": {**lines[-1]["properties"], "object": [place]}}
    path = tmp_path / "graph.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in lines), encoding="utf-8")
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store:
        report = import_ftm(store, path)
        assert report.notes == [
            "1 located_at a place: recorded as the company's location, not a party"
        ]
        names = {e.name for e in store.load_entities()}
        assert "Aksu, Xinjiang" not in names
        assert "Redpoplar Example Spinning Co" in names
        assert import_ftm(store, path).counts.statements == 0  # a rerun changes nothing
        screener = build_screener(store)
        (owner,) = screen(
            [InputRecord(file="s.csv", row=2, name="Quillfeather Example Holdings Ltd")],
            reference=screener,
            as_of=dt.date(2026, 1, 1),
        )
    assert owner.risk.tier is Tier.HIGH
    (link,) = [r for r in owner.risk.reasons if r.paths]
    assert "recorded location in the XUAR" in link.text
    assert link.paths[0].end.name == "Redpoplar Example Spinning Co"
