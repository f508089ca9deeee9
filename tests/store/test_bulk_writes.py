"""Bills written by the bulk path: the same content-hashed ids as before, counted, on both
backends, across more than one insert batch."""

import datetime as dt
from dataclasses import replace

import pytest

from threadline.model import DatasetInfo, ReferenceEntity, Shipment
from threadline.model.ids import digest
from threadline.store import ResolvedBatch, Store, StoredShipment, bill_source
from threadline.store.bulk import BATCH
from threadline.store.writes import shipment_values

INFO = DatasetInfo(id="bills", title="Bills", publisher="me", as_of="", licence="")
BILL = Shipment(
    bill_number="COSU7",
    date=dt.date(2024, 2, 29),
    shipper_name="Mill Co",
    consignee_name="Buyer LLC",
    shipper_address="Aksu",
    product="cotton yarn",
    hs_code="520512",
    weight="900",
    country_of_origin="CN",
    file="bills.csv",
    row=7,
)


@pytest.mark.parametrize("date", [dt.date(2024, 2, 29), None])
def test_bill_ids_hash_what_the_bill_says_as_digest_does(date: dt.date | None) -> None:
    """Stores written before the bulk path keep their ids, so re-imports still change nothing."""
    bill = replace(BILL, date=date)
    said = [getattr(bill, f) for f in ("bill_number", "date", "shipper_name", "shipper_address")]
    said += [getattr(bill, f) for f in ("consignee_name", "consignee_address", "notify_party")]
    said += [getattr(bill, f) for f in ("product", "hs_code", "quantity", "weight")]
    said += [bill.port_of_lading, bill.port_of_unlading, bill.country_of_origin, "mill", "buyer"]
    values = shipment_values(bill, "mill", "buyer", "bills")
    assert values[0] == digest("bills", *said)
    assert values[1:3] == ("COSU7", date.isoformat() if date else None)
    assert values[-3:] == ("bills.csv", 7, "bills")
    # A file's name and row are where the bill was read, not what it says.
    assert shipment_values(replace(bill, file="b.csv", row=9), "mill", "buyer", "bills")[0] == (
        values[0]
    )


def test_bills_beyond_one_batch_are_counted_and_read_back(store: Store) -> None:
    parties = [
        (ReferenceEntity(id=i, schema="Company", name=i), bill_source("B0", None, "f", ""))
        for i in ("mill", "buyer")
    ]
    bills = [
        StoredShipment("", replace(BILL, bill_number=f"B{n}", row=n), "mill", "buyer")
        for n in range(BATCH + 10)
    ]
    repeated = [*bills[: BATCH + 5], bills[3]]  # the same bill twice in one import
    first = store.import_resolved(INFO, [ResolvedBatch(parties, shipments=repeated)])
    assert (first.added, first.changed, first.unchanged) == (BATCH + 5, 0, 1)

    undated = replace(bills[-1].shipment, date=None)
    second = store.import_resolved(
        INFO, [ResolvedBatch(shipments=[*bills[:-1], replace(bills[-1], shipment=undated)])]
    )
    assert (second.added, second.changed, second.unchanged) == (5, 0, BATCH + 5)
    corrected = replace(bills[0], shipment=replace(BILL, bill_number="B0", weight="950"))
    third = store.import_resolved(INFO, [ResolvedBatch(shipments=[corrected, *bills[:2]])])
    assert (third.added, third.changed, third.unchanged) == (0, 1, 2)

    stored = {s.shipment.bill_number: s for s in store.load_shipments()}
    assert len(stored) == BATCH + 10
    assert stored["B0"].shipment.weight == "950"  # the correction is the latest statement
    assert stored["B9"].shipment == replace(BILL, bill_number="B9", row=9)
    assert stored[undated.bill_number].shipment.date is None
    [edge] = [r for r in store.load_relations() if r.id == stored["B9"].id]
    assert edge.start == dt.date(2024, 2, 29) and edge.quantity == "900"
