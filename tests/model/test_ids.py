"""One id scheme per record type (model/ids.py): a change in any meaningful field changes the id;
spelling, key order and where a record was read do not; every producer uses these recipes, and
the stored ids are the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from threadline.model import (
    DatasetInfo,
    ListEffect,
    Listing,
    ReferenceEntity,
    Relation,
    RelationKind,
    Reliability,
    Shipment,
    Source,
    SourceKind,
    ids,
)
from threadline.model.documents import DocumentFinding, Mention, MentionKind, Span
from threadline.store import Store
from threadline.store.tables import listings, relations, statements
from threadline.store.writes import shipment_values

SOURCE = Source("https://example.org/a", "Notice A", "CBP", dt.date(2024, 1, 2), "quote", 2)
LISTING = Listing(
    list_id="uflpa",
    list_name="UFLPA Entity List",
    effect=ListEffect.UFLPA,
    entry_id="e1",
    program="UFLPA",
    section="(2)(B)(ii)",
    date_listed=dt.date(2023, 6, 9),
    date_removed=None,
    product_scope="cotton",
    status="active",
    sources=(SOURCE,),
    notes="",
)
RELATION = Relation(
    id="",
    kind=RelationKind.SUPPLIES,
    source_id="mill",
    target_id="buyer",
    start=dt.date(2022, 1, 1),
    end=dt.date(2023, 1, 1),
    share=None,
    quantity="10 t",
    description="yarn",
    sources=(SOURCE,),
)
BILL = Shipment(
    bill_number="COSU1",
    date=dt.date(2024, 2, 1),
    shipper_name="Mill",
    consignee_name="Buyer",
    shipper_address="Aksu",
    consignee_address="Ohio",
    notify_party="Agent",
    product="yarn",
    hs_code="5205",
    quantity="10",
    weight="1000",
    port_of_lading="Qingdao",
    port_of_unlading="LA",
    country_of_origin="CN",
    file="bills.csv",
    row=3,
)
FINDING = DocumentFinding(
    entity_id="mill",
    document_id="d" * 32,
    category="labour_transfer",
    label="transfer",
    terms="surplus labour",
    region="XUAR",
    source=SOURCE,
    quote_span=Span(10, 40),
)
MENTION = Mention(MentionKind.ORGANISATION, "Mill", Span(3, 7), sentence=0, label="org")

# The same name however written: the name key decides (model/names.py).
SPELLINGS = ("Hotan Textile Co., Ltd.", "HOTAN  TEXTILE CO LTD", "Ｈｏｔａｎ Textile Co Ltd")
HAN_SPELLINGS = ("新疆棉紡織有限公司", "新疆棉纺织有限公司", " 新疆棉纺织有限公司 ")


def _every_field_counts(
    make: Callable[[Any], str], base: Any, changed: Mapping[str, Any], same: Mapping[str, Any]
) -> None:
    """Each field in `changed` moved to its value gives another id; those in `same` do not."""
    first = make(base)
    assert make(base) == first
    for field, value in changed.items():
        assert make(replace(base, **{field: value})) != first, field
    for field, value in same.items():
        assert make(replace(base, **{field: value})) == first, field


def test_statement_id_covers_the_fact_and_every_field_of_its_citation() -> None:
    def make(source: Source) -> str:
        return ids.statement_id("ds", "mill", "located_in", "Aksu", source)

    _every_field_counts(
        make,
        SOURCE,
        {
            "url": "https://example.org/b",
            "title": "Notice B",
            "publisher": "DHS",
            "date": dt.date(2024, 1, 3),
            "excerpt": "another quote",
            "reliability": Reliability.MEDIA,
        },
        # The kind is read from the address, so it adds nothing of its own.
        {"kind": SourceKind.NEWS},
    )
    first = make(SOURCE)
    for other in (("ds2", "mill", "located_in", "Aksu"), ("ds", "buyer", "located_in", "Aksu")):
        assert ids.statement_id(*other, SOURCE) != first
    assert ids.statement_id("ds", "mill", "address", "Aksu", SOURCE) != first
    assert ids.statement_id("ds", "mill", "located_in", "Hotan", SOURCE) != first


def test_listing_id_covers_everything_the_listing_says() -> None:
    def make(listing: Listing) -> str:
        return ids.listing_id("ds", "mill", listing.list_id, ids.listing_fields(listing))

    _every_field_counts(
        make,
        LISTING,
        {
            "list_id": "cbp_wro",
            "list_name": "UFLPA list (2024)",
            "effect": ListEffect.WRO,
            "entry_id": "e2",
            "program": "other",
            "section": "(2)(B)(iv)",
            "date_listed": dt.date(2023, 6, 10),
            "date_removed": dt.date(2025, 1, 1),
            "product_scope": "tomatoes",
            "status": "revoked",
            "sources": (replace(SOURCE, excerpt="another"),),
            "notes": "date inferred",
        },
        {},
    )
    fields = ids.listing_fields(LISTING)
    again = ids.listing_id("ds", "mill", "uflpa", fields)
    assert ids.listing_id("ds", "buyer", "uflpa", fields) != again
    assert ids.listing_id("ds2", "mill", "uflpa", fields) != again
    # A relisting read from another official file is another row.
    assert ids.loaded_listing_id(again, "load1", fields) != ids.loaded_listing_id(
        again, "load2", fields
    )


def test_relation_id_covers_every_field_and_its_key_only_which_link() -> None:
    _every_field_counts(
        lambda r: ids.relation_id("ds", r),
        RELATION,
        {
            "kind": RelationKind.OWNS,
            "source_id": "mill2",
            "target_id": "buyer2",
            "start": dt.date(2022, 1, 2),
            "end": None,
            "share": 51.0,
            "quantity": "11 t",
            "description": "fabric",
            "sources": (replace(SOURCE, publisher="other"),),
        },
        {"id": "given-by-a-file"},
    )
    assert ids.relation_id("ds2", RELATION) != ids.relation_id("ds", RELATION)
    # The key says which link a statement is about: a corrected end or share is the same link.
    _every_field_counts(
        ids.relation_key,
        RELATION,
        {"kind": RelationKind.OWNS, "target_id": "other", "start": None},
        {"end": None, "share": 10.0, "quantity": "1 t", "description": "other"},
    )


def test_shipment_id_covers_what_the_bill_says_not_where_it_was_read() -> None:
    said = [f.name for f in fields(Shipment) if f.name not in ("file", "row")]
    moved: dict[str, Any] = {name: "" for name in said} | {"date": None, "bill_number": "COSU2"}
    _every_field_counts(
        lambda b: shipment_values(b, "mill", "buyer", "bills")[0],
        BILL,
        moved,
        {"file": "other.csv", "row": 99},
    )
    first = shipment_values(BILL, "mill", "buyer", "bills")[0]
    assert shipment_values(BILL, "mill2", "buyer", "bills")[0] != first
    assert shipment_values(BILL, "mill", "buyer", "bills2")[0] != first


def test_document_mention_and_finding_ids() -> None:
    assert ids.document_id("text") == ids.document_id("text") != ids.document_id("text.")
    _every_field_counts(
        lambda m: ids.mention_id("doc", m),
        MENTION,
        {"kind": MentionKind.FACILITY, "span": Span(3, 8), "label": "other"},
        {"text": "MILL", "sentence": 2},  # the text and sentence follow from the span
    )
    _every_field_counts(
        ids.finding_id,
        FINDING,
        {
            "entity_id": "buyer",
            "document_id": "e" * 32,
            "category": "camp_contract",
            "label": "camp",
            "terms": "surplus labour; transfer",
            "region": "TIBET",
            "quote_span": Span(10, 41),
        },
        {"entity_name": "Mill Co", "id": "stored", "review": "accepted"},
    )


def test_a_new_source_field_is_a_decision_about_relation_ids() -> None:
    """relation_id hashes its first source as the dataclass writes itself, so a field added to
    Source would change every stored relation id: that needs a migration (see 0005_ids.py)."""
    assert [f.name for f in fields(Source)] == [
        "url",
        "title",
        "publisher",
        "date",
        "excerpt",
        "reliability",
        "kind",
    ]


def test_names_enter_ids_by_their_name_key() -> None:
    for spellings in (SPELLINGS, HAN_SPELLINGS):
        assert len({ids.party_id(n, "cn") for n in spellings}) == 1
        assert len({ids.party_id(n, "CN") for n in spellings}) == 1
        assert len({ids.documented_facility_id(n) for n in spellings}) == 1
        assert len({ids.decision_key(n, "e1") for n in spellings}) == 1
        assert len({ids.disposition_key(n, "ADDRESS") for n in spellings}) == 1
    assert ids.party_id(SPELLINGS[0], "CN") != ids.party_id(SPELLINGS[0], "PT")
    assert ids.party_id(SPELLINGS[0], "CN") != ids.party_id("Hotan Textiles Co Ltd", "CN")
    assert ids.documented_facility_id("Aksu camp") != ids.documented_facility_id("Aksu camp 2")
    assert ids.decision_key(SPELLINGS[0], "e1") != ids.decision_key(SPELLINGS[0], "e2")
    assert ids.disposition_key(SPELLINGS[0], "ADDRESS") != ids.disposition_key(
        SPELLINGS[0], "TIBET"
    )
    assert ids.list_entry_id("bis", "Acme") != ids.list_entry_id("uflpa", "Acme")
    assert ids.list_entry_id("bis", "Acme").startswith("bis-")


def test_json_digest_ignores_key_order_only() -> None:
    row = {"supplier": "Acme", "country": "CN", "since": dt.date(2020, 1, 1)}
    assert ids.json_digest(row) == ids.json_digest(dict(reversed(row.items())))
    assert ids.json_digest(row) != ids.json_digest({**row, "country": "PT"})
    assert ids.json_digest({"n": "新疆"}) != ids.json_digest({"n": "新疆 "})


def test_ids_are_the_same_in_another_process() -> None:
    """No id rests on Python's per-process hash seed or on memory addresses."""
    code = (
        "import datetime as dt; from threadline.model import ids, Relation, RelationKind, Source;"
        "s = Source('u', 't', 'p', dt.date(2024, 1, 2), 'q', 2);"
        "r = Relation('', RelationKind.SUPPLIES, 'a', 'b', sources=(s,));"
        "print(ids.relation_id('ds', r), ids.party_id('Hotan Textile', 'CN'))"
    )
    source = Source("u", "t", "p", dt.date(2024, 1, 2), "q", 2)
    here = ids.relation_id("ds", Relation("", RelationKind.SUPPLIES, "a", "b", sources=(source,)))
    there = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    ).stdout.split()
    assert there == [here, ids.party_id("Hotan Textile", "CN")]


def test_no_id_is_hashed_outside_model_ids() -> None:
    """Every producer routes through model/ids.py: no other module hashes with SHA-1 (the id
    digest), so no identity rule is written twice. Migrations keep frozen copies on purpose."""
    package = Path(ids.__file__).resolve().parents[1]
    hashing = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "sha1(" in path.read_text(encoding="utf-8") and "migrations" not in path.parts
    ]
    assert hashing == ["model/ids.py"]


def test_stored_ids_are_the_recipes_on_each_backend(db_url: str) -> None:
    """What the store writes is what model/ids.py makes, on SQLite and PostgreSQL alike."""
    mill = ReferenceEntity("mill", "Company", "Mill", listings=(LISTING,))
    buyer = ReferenceEntity("buyer", "Company", "Buyer")
    info = DatasetInfo(id="ds", title="t", publisher="p", as_of="", licence="")
    with Store.open(db_url) as store:
        store.import_entities(info, [mill, buyer], [RELATION])
        assert store.add_statements(info, [("mill", "located_in", "Aksu", SOURCE)]) == 1
        with store.engine.connect() as connection:
            stated = set(connection.execute(select(statements.c.id)).scalars())
            listed = set(connection.execute(select(listings.c.id)).scalars())
            linked = set(connection.execute(select(relations.c.id)).scalars())
    assert ids.statement_id("ds", "mill", "located_in", "Aksu", SOURCE) in stated
    assert ids.statement_id("ds", "mill", "name", "Mill", SOURCE) in stated
    assert listed == {ids.listing_id("ds", "mill", "uflpa", ids.listing_fields(LISTING))}
    assert linked == {ids.relation_id("ds", RELATION)}


def test_a_suppliers_dispositions_and_certifications_share_one_key() -> None:
    # Dispositions and certification claims of a supplier are found under the same key, whatever
    # the spelling its rows give.
    assert ids.supplier_key("Hotan  Textile Co.,Ltd") == ids.supplier_key("HOTAN TEXTILE CO LTD")
    assert ids.disposition_key("HOTAN TEXTILE CO LTD", "XUAR_LOCATION") == (
        ids.supplier_key("Hotan Textile Co., Ltd."),
        "XUAR_LOCATION",
    )
