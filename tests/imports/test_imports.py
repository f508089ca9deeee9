"""Imports through threadline.importing on both backends: counts, rejects, idempotency,
name resolution, FtM round trip."""

import datetime as dt
import json
from pathlib import Path

import pytest
from ftm_validation import ftm_problems

from threadline.errors import InputError
from threadline.importing import import_ftm, import_lists, import_relations, import_shipments
from threadline.model import ListEffect, RelationKind
from threadline.model.ids import party_id
from threadline.pipeline import ensure_reference_data
from threadline.report.ftm_export import ftm_records
from threadline.store import Store

BILLS = """\
Bill of Lading Number,Arrival Date,Shipper,Shipper Address,Consignee,Product Description,HS Code,Weight (kg),Country of Origin
B1,2024-03-05,HETIAN TAIDA APPAREL CO LTD,"Hotan, Xinjiang",Example Imports LLC,cotton shirts,6205.20,5400,China
B2,2024/03/09,Hetian Taida Trading Co,Urumqi,Example Imports LLC,cotton fabric,5208 12,900,CN
B3,2024-03-10,Northwind Textile Co,Ningbo,EXAMPLE IMPORTS LLC,denim,520942,1200,CN
B4,last spring,Foo Co,,Bar Co,x,,,
B5,2024-04-01,,,Bar Co,x,,,
B6,2024-04-02,Foo Co,,Bar Co,x,12ab,,
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def seeded(store: Store) -> Store:
    ensure_reference_data(store)
    return store


def test_bills_land_bad_rows_are_rejected_and_a_rerun_changes_nothing(
    seeded: Store, tmp_path: Path
) -> None:
    bills = write(tmp_path, "bills.csv", BILLS)
    report = import_shipments(seeded, bills)
    assert (report.counts.added, report.counts.changed, report.counts.unchanged) == (3, 0, 0)
    assert [(r.row, r.column) for r in report.rejected] == [
        (5, "Arrival Date"),
        (6, "Shipper"),
        (7, "HS Code"),
    ]
    shipments = {s.shipment.bill_number: s for s in seeded.load_shipments()}
    # A match-band shipper links to the listed entity; the consignee becomes one new party,
    # whatever the case of its name.
    # (Its CBP and BIS entries are the same company: the UFLPA id stands for all three.)
    assert shipments["B1"].shipper_id == "uflpa-hetian-taida-apparel"
    assert shipments["B1"].consignee_id == shipments["B3"].consignee_id
    assert shipments["B1"].consignee_id == party_id("Example Imports LLC", "")
    assert shipments["B2"].shipment.hs_code == "520812"
    assert shipments["B2"].shipment.date == dt.date(2024, 3, 9)

    # A review-band name is a new party with candidate links, never merged into the listed one.
    trading = shipments["B2"].shipper_id
    assert trading == party_id("Hetian Taida Trading Co", "")
    record = seeded.entity_statements(trading)
    assert record is not None
    # One candidate for the one company, not one per list it is on.
    assert [c["candidate_id"] for c in record.candidate_links] == ["uflpa-hetian-taida-apparel"]

    relations_before = seeded.load_relations()
    rerun = import_shipments(seeded, bills)
    assert (rerun.counts.added, rerun.counts.changed, rerun.counts.unchanged) == (0, 0, 3)
    assert seeded.load_relations() == relations_before
    assert len(seeded.load_entities()) == len({e.id for e in seeded.load_entities()})


def test_a_file_unreadable_after_some_stored_batches_leaves_the_store_as_it_was(
    seeded: Store, tmp_path: Path
) -> None:
    """Bills go in batch by batch; a broken line after several batches undoes them all."""
    header = BILLS.splitlines()[0]
    good = [f"M{n},2024-05-01,Mill Co {n % 7},,Buyer LLC,yarn,520512,10,CN" for n in range(12000)]
    broken = "M-last,2024-05-02,Mill Co,,Buyer LLC,yarn,520512,10,CN,extra,cells"
    bills = write(tmp_path, "bills.csv", "\n".join([header, *good, broken, ""]))
    entities_before = len(seeded.load_entities())
    with pytest.raises(InputError, match="row 12002"):
        import_shipments(seeded, bills)
    assert seeded.load_shipments() == []
    assert len(seeded.load_entities()) == entities_before


def test_a_file_without_a_consignee_column_is_refused_and_stores_nothing(
    seeded: Store, tmp_path: Path
) -> None:
    bad = write(tmp_path, "bad.csv", "Bill of Lading,Shipper\nB1,Foo\n")
    with pytest.raises(InputError, match="no consignee_name column"):
        import_shipments(seeded, bad)
    assert seeded.load_shipments() == []
    renamed = write(tmp_path, "renamed.csv", "Bill of Lading,Shipper,Buyer Co\nB1,Foo,Bar\n")
    import_shipments(seeded, renamed, columns={"consignee_name": "buyer co"})
    [stored] = seeded.load_shipments()
    assert stored.shipment.consignee_name == "Bar"


def test_a_list_with_a_bad_row_keeps_the_good_ones_and_records_a_delisting(
    seeded: Store, tmp_path: Path
) -> None:
    header = "id,name,country,date_listed,date_removed,source_url,effect\n"
    listed = header + "u1,Alpha Cotton Co,CN,2023-01-05,,https://example.org/a,uflpa\n"
    bad = "u2,Beta Yarn Co,CN,05/01/2023,,,uflpa\n"
    first = import_lists(seeded, write(tmp_path, "mine.csv", listed + bad))
    assert (first.counts.added, len(first.rejected)) == (1, 1)
    assert first.rejected[0].column == "date_listed"
    assert import_lists(seeded, write(tmp_path, "mine.csv", listed)).counts.unchanged == 1

    delisted = listed.replace(",,https", ",2025-02-01,https")
    assert import_lists(seeded, write(tmp_path, "mine.csv", delisted)).counts.changed == 1
    [alpha] = [e for e in seeded.load_entities() if e.id == "u1"]
    # The delisting supersedes the open listing when read; both statements stay stored.
    assert [lst.date_removed for lst in alpha.listings] == [dt.date(2025, 2, 1)]
    assert {lst.effect for lst in alpha.listings} == {ListEffect.UFLPA}
    stored = [r for r in seeded.table_rows("listings") if r["entity_id"] == "u1"]
    assert {r["date_removed"] for r in stored} == {None, dt.date(2025, 2, 1)}


def test_relations_by_id_and_by_name(seeded: Store, tmp_path: Path) -> None:
    rows = (
        "from,to,relation,share,start,end,source\n"
        "Gamma Holdings Ltd,uflpa-changji-esquel-textile,owns,51%,2020-01-01,,https://example.org/g\n"
        "Gamma Holdings Ltd,Delta Trading,supplies,,,,\n"
        "Gamma Holdings Ltd,Delta Trading,employs,,,,\n"
        "Gamma Holdings Ltd,Delta Trading,owns,150,,,\n"
    )
    report = import_relations(seeded, write(tmp_path, "links.csv", rows))
    assert report.counts.added == 2
    assert [(r.row, r.column) for r in report.rejected] == [(4, "relation"), (5, "share")]
    gamma = party_id("Gamma Holdings Ltd", "")
    owns = [r for r in seeded.load_relations() if r.kind is RelationKind.OWNS]
    assert [(r.source_id, r.target_id, r.share) for r in owns] == [
        (gamma, "uflpa-changji-esquel-textile", 51.0)
    ]
    assert owns[0].sources[0].url == "https://example.org/g"
    assert import_relations(seeded, write(tmp_path, "links.csv", rows)).counts.unchanged == 2


FTM = [
    {
        "id": "co-1",
        "schema": "Company",
        "properties": {
            "name": ["Epsilon Cotton Co"],
            "country": ["cn"],
            "addressEntity": ["addr-1"],
        },
    },
    {
        "id": "addr-1",
        "schema": "Address",
        "properties": {"full": ["Aksu, Xinjiang"], "latitude": ["41.17"], "longitude": ["80.26"]},
    },
    {"id": "co-2", "schema": "Company", "properties": {"name": ["Zeta Holdings"]}},
    {
        "id": "own-1",
        "schema": "Ownership",
        "properties": {
            "owner": ["co-2"],
            "asset": ["co-1"],
            "percentage": ["75"],
            "startDate": ["2021-03-01"],
            "sourceUrl": ["https://example.org/own"],
        },
    },
    {
        "id": "san-1",
        "schema": "Sanction",
        "properties": {
            "entity": ["co-1"],
            "authority": ["DHS"],
            "program": ["UFLPA Entity List"],
            "startDate": ["2024-08-01"],
        },
    },
    {"id": "p-1", "schema": "Person", "properties": {"name": ["Private Person"]}},
    {
        "id": "dir-1",
        "schema": "Directorship",
        "properties": {"director": ["p-1"], "organization": ["co-2"]},
    },
]


def test_ftm_import_and_export_round_trip(seeded: Store, tmp_path: Path) -> None:
    lines = [json.dumps(item) for item in FTM] + ["{not json"]
    source = write(tmp_path, "os.jsonl", "\n".join(lines) + "\n")
    report = import_ftm(seeded, source)
    assert [r.row for r in report.rejected] == [8]
    assert report.counts.added == 3  # two companies and the ownership; the person is skipped
    assert any("Person not on any sanctions list" in note for note in report.notes)
    assert import_ftm(seeded, source).counts.unchanged == 3

    mine = [e for e in seeded.load_entities() if e.id in {"co-1", "co-2"}]
    relations = seeded.load_relations()
    exported = list(ftm_records(mine, relations))
    assert ftm_problems(exported) == []  # known schemata and properties, values that clean
    schemata = sorted(item["schema"] for item in exported)
    assert schemata == ["Company", "Company", "Ownership", "Sanction"]

    again = write(tmp_path, "export.jsonl", "\n".join(json.dumps(i) for i in exported) + "\n")
    with Store.open(f"sqlite:///{tmp_path / 'copy.db'}") as other:
        copy = import_ftm(other, again, dataset="os")
        assert copy.rejected == []
        [epsilon] = [e for e in other.load_entities() if e.id == "co-1"]
        assert epsilon.address == "Aksu, Xinjiang"
        assert epsilon.listings[0].effect is ListEffect.UFLPA
        assert epsilon.listings[0].date_listed == dt.date(2024, 8, 1)
        [own] = [r for r in other.load_relations() if r.kind is RelationKind.OWNS]
        assert (own.source_id, own.target_id, own.share) == ("co-2", "co-1", 75.0)
        assert own.sources[0].url == "https://example.org/own"
