"""Dates in bills of lading: the common forms read, an ambiguous day and month refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from threadline.inputs.dates import AmbiguousDate, date_problem, parse_date
from threadline.inputs.rejects import Rejected
from threadline.inputs.shipments import ShipmentRow, open_shipments

MARCH_2 = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-02",
        "2026-03-02T10:15:00",
        "2026-03-02 10:15:00",
        "2026/3/2",
        "2026.03.02",
        "20260302",
        "2026年3月2日",
        "2 Mar 2026",
        "02-MAR-2026",
        "2 March 2026",
        "Mar 2, 2026",
        "March 2nd 2026",
    ],
)
def test_common_forms(text: str) -> None:
    assert parse_date(text) == MARCH_2


def test_day_and_month_read_when_only_one_order_fits_or_the_order_is_named() -> None:
    assert parse_date("03/31/2026") == dt.date(2026, 3, 31)  # US
    assert parse_date("31.03.2026") == dt.date(2026, 3, 31)
    assert parse_date("03/03/2026") == dt.date(2026, 3, 3)
    assert parse_date("03/02/2026", "mdy") == MARCH_2
    assert parse_date("03/02/2026", "dmy") == dt.date(2026, 2, 3)
    with pytest.raises(AmbiguousDate) as caught:
        parse_date("03/02/2026")
    assert date_problem("03/02/2026", caught.value) == (
        "date '03/02/2026' is ambiguous (2 March 2026 or 3 February 2026); "
        "name the order with --date-order mdy (US) or dmy"
    )
    for bad in ("13/13/2026", "2026-02-30", "Marchish 2, 2026", "yesterday"):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_a_us_bill_is_rejected_with_the_line_then_read_with_the_order(tmp_path: Path) -> None:
    path = tmp_path / "bills.csv"
    path.write_text(
        "Bill of Lading,Shipper,Consignee,Date\nB1,A Co,B Co,03/02/2026\nB2,A Co,B Co,03/31/2026\n",
        encoding="utf-8",
    )
    first, second = open_shipments(path).rows()
    assert isinstance(first, Rejected) and "ambiguous" in first.message
    assert isinstance(second, ShipmentRow) and second.shipment.date == dt.date(2026, 3, 31)
    us = [r for r in open_shipments(path, date_order="mdy").rows() if isinstance(r, ShipmentRow)]
    assert [r.shipment.date for r in us] == [MARCH_2, dt.date(2026, 3, 31)]
