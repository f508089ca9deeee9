"""read_records: rows → InputRecord with file, row, guessed columns and ISO country codes."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from threadline.errors import InputError
from threadline.inputs import read_records, read_records_many


def write_csv(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("China", "CN"),
        ("PRC", "CN"),
        ("P.R. China", "CN"),
        ("People's Republic of China", "CN"),
        ("CHN", "CN"),
        ("CN", "CN"),
        ("中国", "CN"),
        ("中华人民共和国", "CN"),
        ("Hong Kong", "HK"),
        ("USA", "US"),
        ("Atlantis", ""),
    ],
)
def test_country_is_an_iso_code_and_the_original_is_kept(
    tmp_path: Path, raw: str, code: str
) -> None:
    path = write_csv(tmp_path, "s.csv", f'name,country\nAcme,"{raw}"\n')
    [record] = read_records(path)
    assert (record.country, record.country_raw) == (code, raw)


def test_gbk_supplier_master_with_chinese_headers(tmp_path: Path) -> None:
    text = (
        "序号,供应商名称,地址,国家,统一社会信用代码\r\n"
        "1,新疆棉业有限公司,新疆乌鲁木齐市天山区,中国,91650100MA77XXXX1X\r\n"
        "2,,和田地区墨玉县,,\r\n"
        "3,,,中国,\r\n"
        "4,宁波纺织有限公司,,,\r\n"
    )
    path = write_csv(tmp_path, "供应商.csv", text, "gbk")
    records = read_records(path)
    assert [(r.row, r.name, r.address) for r in records] == [
        (2, "新疆棉业有限公司", "新疆乌鲁木齐市天山区"),
        (3, "", "和田地区墨玉县"),  # an address alone can be screened
        (4, "", ""),  # kept, with the reason it cannot be screened: no row goes missing
        (5, "宁波纺织有限公司", ""),
    ]
    assert [r.row for r in records if r.unscreenable] == [4]
    assert "'供应商名称'" in records[2].unscreenable
    first = records[0]
    assert first.file == str(path)
    assert first.identifier == "91650100MA77XXXX1X"
    assert first.country == "CN"
    assert first.raw == {
        "序号": "1",
        "供应商名称": "新疆棉业有限公司",
        "地址": "新疆乌鲁木齐市天山区",
        "国家": "中国",
        "统一社会信用代码": "91650100MA77XXXX1X",
    }


def test_missing_optional_columns_leave_fields_empty(tmp_path: Path) -> None:
    [record] = read_records(write_csv(tmp_path, "s.csv", "Vendor\nAcme\n"))
    assert (record.name, record.address, record.country, record.identifier) == ("Acme", "", "", "")


def test_overrides(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "s.csv", "Firma;Ort;Land;Nr\nAcme GmbH;Köln;USA;HRB 1\n")
    [record] = read_records(
        path, name_col="firma", address_col="ort", country_col="land", id_col="nr"
    )
    assert (record.name, record.address, record.country, record.identifier) == (
        "Acme GmbH",
        "Köln",
        "US",
        "HRB 1",
    )


def test_override_naming_a_missing_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "s.csv", "name,address\nA,B\n")
    with pytest.raises(InputError) as caught:
        read_records(path, address_col="Street")
    assert str(caught.value) == (
        f"{path}: column 'Street' given for --address-col is not in the file; "
        "columns are: name, address"
    )


def test_no_name_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "s.csv", "Firma,Ort\nA,B\n")
    with pytest.raises(InputError, match=r"s\.csv: no name column found; columns are: Firma, Ort"):
        read_records(path)


def test_xlsx_records_keep_spreadsheet_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Shipper", "Shipper Address", "Goods Description", "HS Code"])
    sheet.append(["Hotan Cotton Co", "Hotan, Xinjiang", "cotton yarn", 520512])
    sheet.append([])
    sheet.append(["Acme", None, "gloves", "6116.10"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "bl.xlsx"
    path.write_bytes(buffer.getvalue())
    records = read_records(path)
    assert [(r.row, r.name, r.address) for r in records] == [
        (2, "Hotan Cotton Co", "Hotan, Xinjiang"),
        (4, "Acme", ""),
    ]
    assert records[0].raw["HS Code"] == "520512"


def test_many_files_in_order_each_with_its_own_columns(tmp_path: Path) -> None:
    first = write_csv(tmp_path, "a.csv", "name,address\nA,x\n")
    second = write_csv(tmp_path, "b.tsv", "地址\t供应商\ny\tB\n")
    records = read_records_many([first, second])
    assert [(r.file, r.row, r.name, r.address) for r in records] == [
        (str(first), 2, "A", "x"),
        (str(second), 2, "B", "y"),
    ]


def test_many_stops_at_the_first_bad_file(tmp_path: Path) -> None:
    good = write_csv(tmp_path, "a.csv", "name\nA\n")
    with pytest.raises(InputError, match=r"missing\.csv: file not found"):
        read_records_many([good, tmp_path / "missing.csv"])
