"""Files as ERP systems export them: title rows, a cover sheet, several name and address columns."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest

from threadline.errors import InputError
from threadline.inputs import read_records_with_report, read_table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from erp_export import VENDORS, write_erp_export


@pytest.fixture
def erp(tmp_path: Path) -> Path:
    return write_erp_export(tmp_path / "supplier_master.xlsx")


def test_header_below_title_rows_on_the_sheet_that_has_one(erp: Path) -> None:
    read = read_records_with_report(erp)
    assert (read.table.sheet, read.table.sheet_position, read.table.header_row) == ("Vendors", 2, 4)
    assert [r.row for r in read.records] == list(range(5, 5 + len(VENDORS)))
    assert read.report == (
        "supplier_master.xlsx: sheet 'Vendors' (2 of 2), header row 4, 12 rows; "
        "name: Vendor Name (EN) + 供应商名称 (Local Name); address: Street + City + Province; "
        "country: Country; key: Vendor No.; certifications: Certifications; product: Product Group; "
        "1 row(s) cannot be screened (see results)"
    )


def test_english_and_chinese_names_and_city_column_are_all_used(erp: Path) -> None:
    records = {r.raw["Vendor No."]: r for r in read_records_with_report(erp).records}
    assert records["V10002"].name == "新疆协鑫新能源材料科技有限公司"  # only the Chinese name
    assert records["V10007"].other_names == ("港线示例针织有限公司",)
    assert records["V10003"].address == "No. 8 Example Street, Kashgar"  # Kashgar only in City
    assert records["V10004"].unscreenable.startswith("no name or address to screen")


def test_named_name_column_keeps_rows_it_leaves_empty(erp: Path) -> None:
    """`--name-col "供应商名称 (Local Name)"` once lost rows without a Chinese name."""
    read = read_records_with_report(erp, name_col=["供应商名称 (Local Name)"])
    assert len(read.records) == len(VENDORS)
    assert read.columns.names == ("供应商名称 (Local Name)",)
    both = read_records_with_report(
        erp,
        name_col=["Vendor Name (EN)", "供应商名称 (Local Name)"],
        address_col=["Street", "City"],
    )
    assert both.columns.names == ("Vendor Name (EN)", "供应商名称 (Local Name)")
    assert both.columns.address_parts[:2] == ("Street", "City")


def test_sheet_by_name_or_number_and_a_wrong_one_lists_the_sheets(erp: Path) -> None:
    assert read_table(erp, sheet="vendors").sheet == "Vendors"
    assert read_table(erp, sheet="1").sheet == "Cover"
    with pytest.raises(InputError, match=r"--sheet 'Prices'.*1 'Cover', 2 'Vendors'"):
        read_table(erp, sheet="Prices")


def test_a_data_row_that_merely_names_a_company_is_not_taken_for_the_header(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("foo,bar\nAcme Company,Kashgar\n", encoding="utf-8")
    table = read_table(path)
    assert (table.header, table.header_row) == (["foo", "bar"], 1)


def test_title_rows_above_a_csv_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in (
        ["Supplier list"],
        ["Printed 2026-03-01"],
        ["Supplier", "Address"],
        ["Acme", "Hotan"],
    ):
        sheet.append(line)
    book.save(path)
    table = read_table(path)
    assert (table.header_row, table.rows) == (3, [(4, ["Acme", "Hotan"])])
