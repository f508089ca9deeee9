"""Relations, shipments and entity records on both backends (SQLite and PostgreSQL)."""

import datetime as dt
from dataclasses import replace

from threadline.model import (
    DatasetInfo,
    ReferenceEntity,
    Relation,
    RelationKind,
    Reliability,
    Shipment,
    Source,
)
from threadline.store import CandidateLink, ResolvedBatch, Store, StoredShipment, bill_source

INFO = DatasetInfo(id="research", title="Research", publisher="me", as_of="", licence="")
REPORT = Source(
    url="https://example.org/report",
    title="Ownership report",
    publisher="Example Research",
    date=dt.date(2024, 5, 1),
    excerpt="Parent Co holds 60% of Mill Co",
    reliability=Reliability.INVESTIGATIVE_RESEARCH,
)
PARENT = ReferenceEntity(id="parent-co", schema="Company", name="Parent Co", country="CN")
MILL = ReferenceEntity(
    id="mill-co",
    schema="Company",
    name="Mill Co",
    extra=(("latitude", "41.1"), ("longitude", "80.2")),
)
OWNS = Relation(
    id="",
    kind=RelationKind.OWNS,
    source_id="parent-co",
    target_id="mill-co",
    start=dt.date(2019, 1, 1),
    share=60.0,
    sources=(REPORT,),
)


def test_relations_are_idempotent_and_a_dated_end_supersedes(store: Store) -> None:
    first = store.import_entities(INFO, [PARENT, MILL], [OWNS])
    assert (first.added, first.changed, first.unchanged) == (3, 0, 0)
    again = store.import_entities(INFO, [PARENT, MILL], [OWNS])
    assert (again.added, again.changed, again.unchanged, again.statements) == (0, 0, 3, 0)

    ended = store.import_relations(INFO, [replace(OWNS, end=dt.date(2023, 6, 30))])
    assert (ended.added, ended.changed) == (0, 1)
    [relation] = store.load_relations()
    assert relation.end == dt.date(2023, 6, 30) and relation.share == 60.0
    assert relation.sources == (REPORT,)
    assert store.load_relations(as_of=dt.date(2022, 1, 1)) == [relation]
    assert store.load_relations(as_of=dt.date(2024, 1, 1)) == []
    # Both statements stay: the removal is a dated statement, not a deletion.
    record = store.entity_statements("mill-co")
    assert record is not None
    assert [r.end for r in record.relations] == [None, dt.date(2023, 6, 30)]


def test_user_entities_load_beside_bundled_ones_with_coordinates(store: Store) -> None:
    store.import_entities(INFO, [PARENT, MILL])
    loaded = {e.id: e for e in store.load_entities()}
    assert set(loaded) == {"parent-co", "mill-co"}
    assert dict(loaded["mill-co"].extra) == {"latitude": "41.1", "longitude": "80.2"}
    assert loaded["parent-co"].country == "CN"


def test_shipments_are_relations_citing_their_bill(store: Store) -> None:
    bill = Shipment(
        bill_number="MAEU1",
        date=dt.date(2024, 3, 5),
        shipper_name="Mill Co",
        consignee_name="Parent Co",
        product="cotton yarn",
        hs_code="520512",
        quantity="10 bales",
        file="bills.csv",
        row=2,
    )
    source = bill_source("MAEU1", bill.date, "bills.csv", "cotton yarn")
    link = CandidateLink("mill-co", "parent-co", "Mill Co", 0.41, "threadline-match-2")
    parties = [(MILL, source), (PARENT, source)]
    stored = [StoredShipment("", bill, "mill-co", "parent-co")]
    batch = ResolvedBatch(parties, [link], shipments=stored)
    first = store.import_resolved(INFO, [batch])
    assert (first.added, first.unchanged) == (1, 0)
    again = store.import_resolved(INFO, [batch])
    assert (again.added, again.unchanged) == (0, 1)
    corrected = [replace(stored[0], shipment=replace(bill, quantity="12 bales"))]
    assert store.import_resolved(INFO, [ResolvedBatch(shipments=corrected)]).changed == 1

    [shipment] = store.load_shipments()
    assert shipment.shipment.quantity == "12 bales" and shipment.shipment.hs_code == "520512"
    assert (shipment.shipper_id, shipment.consignee_id) == ("mill-co", "parent-co")
    [edge] = store.load_relations()
    assert edge.kind is RelationKind.SHIPPED_TO and edge.id == shipment.id
    assert edge.sources[0].url == "bill:MAEU1" and edge.sources[0].excerpt == "cotton yarn"
    assert edge.sources[0].reliability is Reliability.USER_SUPPLIED

    record = store.entity_statements("mill-co")
    assert record is not None
    [name] = [s for s in record.statements if s.prop == "name"]
    assert name.source.url == "bill:MAEU1" and name.source.publisher == "bills.csv"
    assert len(record.relations) == 2  # both versions of the bill
    assert [c["candidate_id"] for c in record.candidate_links] == ["parent-co"]
    assert store.entity_statements("no-such-id") is None
