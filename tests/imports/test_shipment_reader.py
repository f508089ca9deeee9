"""Reading bills of lading: encodings, Chinese headers, overrides, and row-level rejects."""

import datetime as dt
from pathlib import Path

import pytest

from threadline.errors import InputError
from threadline.inputs.rejects import Rejected
from threadline.inputs.shipments import ShipmentRow, open_shipments

CHINESE = "提单号,日期,发货人,发货人地址,收货人,品名,海关编码,原产国\n" + (
    "D1,2024-06-01,新疆棉业有限公司,新疆阿克苏,示例进口公司,棉纱,5205.12,中国\n" * 3
)


def rows(path: Path, **overrides: str) -> list[ShipmentRow | Rejected]:
    return list(open_shipments(path, overrides).rows())


@pytest.mark.parametrize("codec", ["utf-8-sig", "gb18030", "utf-16"])
def test_chinese_headers_in_every_encoding_users_hand_in(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "bills.csv"
    path.write_bytes(CHINESE.encode(codec))
    read = rows(path)
    assert len(read) == 3 and all(isinstance(r, ShipmentRow) for r in read)
    first = read[0]
    assert isinstance(first, ShipmentRow)
    bill = first.shipment
    assert (bill.bill_number, bill.shipper_name, bill.consignee_name) == (
        "D1",
        "新疆棉业有限公司",
        "示例进口公司",
    )
    assert (bill.shipper_address, bill.hs_code, bill.country_of_origin) == (
        "新疆阿克苏",
        "520512",
        "CN",
    )
    assert bill.date == dt.date(2024, 6, 1) and bill.row == 2


def test_overrides_and_rejects_keep_their_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "bills.tsv"
    path.write_text(
        "BL\tFrom\tTo\tWhen\nX1\tA Co\tB Co\t2024-01-02\n\nX2\tA Co\t\t2024-01-03\n"
        "X3\tA Co\tB Co\t2024-13-40\n",
        encoding="utf-8",
    )
    read = rows(path, bill_number="bl", shipper_name="FROM", consignee_name="to", date="When")
    assert isinstance(read[0], ShipmentRow)
    assert [(r.row, r.column, r.message) for r in read[1:] if isinstance(r, Rejected)] == [
        (4, "To", "consignee name is empty"),
        (
            5,
            "When",
            "date '2024-13-40' is not a date threadline reads "
            "(YYYY-MM-DD, 2026/03/02, 2 Mar 2026, Mar 2, 2026 or 03/02/2026 with --date-order)",
        ),
    ]


def test_unknown_override_field_and_missing_header_are_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "bills.csv"
    path.write_text("Bill of Lading,Shipper,Consignee\nB1,A,B\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown field"):
        open_shipments(path, {"vessel": "Shipper"})
    with pytest.raises(InputError, match="column 'Carrier' given for --column shipper_name"):
        open_shipments(path, {"shipper_name": "Carrier"})
    with pytest.raises(InputError, match="file not found"):
        open_shipments(tmp_path / "missing.csv")


def test_the_reader_takes_every_field_the_vocabulary_names() -> None:
    """A field added to data/import_columns.yaml must be read, not silently dropped."""
    from threadline.data.input_vocab import load_shipment_vocabulary
    from threadline.inputs import shipments

    assert sorted(shipments._FIELDS) == sorted(load_shipment_vocabulary())


def test_title_rows_above_the_header_of_a_bills_csv_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bills.csv"
    path.write_text(
        "Trade data export — generated 2026-03-02\n\n"
        "Bill of Lading;Shipper;Consignee;Date\nB1;A Co;B Co;2 Mar 2026\n",
        encoding="utf-8",
    )
    bills = open_shipments(path)
    assert bills.table.header == ["Bill of Lading", "Shipper", "Consignee", "Date"]
    (row,) = bills.rows()
    assert isinstance(row, ShipmentRow)
    assert (row.shipment.row, row.shipment.date) == (4, dt.date(2026, 3, 2))
