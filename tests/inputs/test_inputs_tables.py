"""read_table: formats, encodings, cell cleaning, row numbers, and every refusal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threadline.errors import InputError
from threadline.inputs import read_table
from threadline.inputs.files import MAX_CELL_CHARS
from threadline.inputs.tables import sniff_delimiter

CHINESE = (
    "供应商名称,地址\r\n"
    "新疆棉业有限公司,新疆乌鲁木齐市天山区\r\n"
    "华孚时尚股份有限公司,浙江省宁波市\r\n"
)
CHINESE_ROWS = [
    (2, ["新疆棉业有限公司", "新疆乌鲁木齐市天山区"]),
    (3, ["华孚时尚股份有限公司", "浙江省宁波市"]),
]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert str(path) in str(caught.value)
    return str(caught.value)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(CHINESE.encode("utf-8"), id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + CHINESE.encode("utf-8"), id="utf-8-bom"),
        pytest.param(CHINESE.encode("utf-16"), id="utf-16-bom"),
        pytest.param(b"\xfe\xff" + CHINESE.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(CHINESE.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(CHINESE.encode("utf-16-be"), id="utf-16-be-no-bom"),
        pytest.param(CHINESE.encode("gbk"), id="gbk"),
        pytest.param(CHINESE.encode("gb18030"), id="gb18030"),
    ],
)
def test_chinese_table_reads_the_same_in_every_encoding(tmp_path: Path, encoded: bytes) -> None:
    table = read_table(write(tmp_path, "suppliers.csv", encoded))
    assert table.header == ["供应商名称", "地址"]
    assert table.rows == CHINESE_ROWS


def test_short_gbk_file_is_not_taken_for_korean(tmp_path: Path) -> None:
    # charset-normalizer alone calls these bytes cp949.
    table = read_table(write(tmp_path, "s.csv", "名称\n华为\n".encode("gbk")))
    assert table.rows == [(2, ["华为"])]


def test_gb18030_only_characters_survive(tmp_path: Path) -> None:
    text = "名称,备注\n𠀀记有限公司,€ 报价\n"  # neither is in GBK
    table = read_table(write(tmp_path, "s.csv", text.encode("gb18030")))
    assert table.rows == [(2, ["𠀀记有限公司", "€ 报价"])]


@pytest.mark.parametrize(
    "text",
    [
        "name,city\nMüller Textil GmbH,Köln\nSociété Générale du Coton,Montréal\n",
        # charset-normalizer alone reads these as Big5, Shift-JIS and cp1250.
        "name,city\nÅngström AB,São Paulo Ltda\n",
        "name,city\nMüller GmbH,Ångström AB\n",
        "name,city\nSociété Générale,Zürich Textil\nCafé Noir,Ångström AB\n",
    ],
)
def test_western_legacy_file_is_read_as_windows_1252(tmp_path: Path, text: str) -> None:
    table = read_table(write(tmp_path, "s.csv", text.encode("cp1252")))
    assert [cells for _, cells in table.rows] == [line.split(",") for line in text.splitlines()[1:]]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("name;address\nHotan Cotton, Ltd;Hotan\nAcme;Urumqi\n", "semi.csv"),
        ("name\taddress\nHotan Cotton, Ltd\tHotan\nAcme\tUrumqi\n", "tabs.tsv"),
        ("name\taddress\nHotan Cotton, Ltd\tHotan\nAcme\tUrumqi\n", "tabs.csv"),
        ('name,address\n"Hotan Cotton, Ltd",Hotan\nAcme,Urumqi\n', "comma.csv"),
    ],
)
def test_delimiter_is_sniffed(tmp_path: Path, text: str, name: str) -> None:
    table = read_table(write(tmp_path, name, text.encode()))
    assert table.header == ["name", "address"]
    assert table.rows == [(2, ["Hotan Cotton, Ltd", "Hotan"]), (3, ["Acme", "Urumqi"])]


def test_single_column_file_keeps_commas_inside_quotes(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "names.csv", b'name\n"Foo; Bar"\nBaz\n'))
    assert table.rows == [(2, ["Foo; Bar"]), (3, ["Baz"])]


def test_tsv_extension_prefers_tab_on_a_tie() -> None:
    text = "a\tb,c\n1\t2,3\n"
    assert sniff_delimiter(text, prefer_tab=True) == "\t"
    assert sniff_delimiter(text) == ","


def test_row_numbers_count_blank_rows_and_cells_are_cleaned(tmp_path: Path) -> None:
    text = (
        "\n name , address \n\n\u00a0Xinjiang\u00a0Zhongtai\u202fGroup , Urumqi\n,\n b ,\u200bc\n"
    )
    table = read_table(write(tmp_path, "s.csv", text.encode()))
    assert table.header == ["name", "address"]
    assert table.rows == [(4, ["Xinjiang Zhongtai Group", "Urumqi"]), (6, ["b", "c"])]


def test_multi_line_cell_is_one_row(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "s.csv", b'name,address\r\nA,"line 1\r\nline 2"\r\nB,x\r\n'))
    assert table.rows == [(2, ["A", "line 1\r\nline 2"]), (3, ["B", "x"])]


def test_short_rows_are_padded_and_trailing_empty_cells_ignored(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "s.csv", b"name,address,country\nA\nB,x,CN,,\n"))
    assert table.rows == [(2, ["A", "", ""]), (3, ["B", "x", "CN"])]


def test_blank_and_repeated_headers_get_names(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "s.csv", b"name,,Name,\nA,b,c,\n"))
    assert table.header == ["name", "column 2", "Name (2)"]


def test_xlsx_cells_become_text(tmp_path: Path) -> None:
    data = xlsx_bytes(
        [
            ["name", "uscc", "listed", "at", "share", "flag"],
            [],
            ["Xinjiang Cotton Co", 650100123456, dt.datetime(2023, 6, 12), None, 0.25, True],
            [
                "  Acme\u00a0Ltd ",
                12.0,
                dt.date(2024, 1, 2),
                dt.datetime(2024, 1, 2, 9, 30),
                3,
                False,
            ],
        ]
    )
    table = read_table(write(tmp_path, "s.xlsx", data))
    assert table.header == ["name", "uscc", "listed", "at", "share", "flag"]
    assert table.rows == [
        (3, ["Xinjiang Cotton Co", "650100123456", "2023-06-12", "", "0.25", "TRUE"]),
        (4, ["Acme Ltd", "12", "2024-01-02", "2024-01-02T09:30:00", "3", "FALSE"]),
    ]


def test_xlsx_is_recognised_by_content_whatever_its_name(tmp_path: Path) -> None:
    data = xlsx_bytes([["名称", "地址"], ["新疆棉业有限公司", "乌鲁木齐"]])
    assert read_table(write(tmp_path, "export.dat", data)).rows == [
        (2, ["新疆棉业有限公司", "乌鲁木齐"])
    ]


def test_xlsx_value_beyond_the_header_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "s.xlsx", xlsx_bytes([["name"], ["A", "stray"]]))
    assert "row 2: has a value in column 2 but the header has only 1 columns" in refusal(path)


def test_missing_file(tmp_path: Path) -> None:
    assert refusal(tmp_path / "nope.csv").endswith("nope.csv: file not found")


def test_directory(tmp_path: Path) -> None:
    assert "is a directory" in refusal(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    assert "file is empty (0 bytes)" in refusal(write(tmp_path, "e.csv", b""))


@pytest.mark.parametrize("data", [b"  \n\t\r\n  ", "\ufeff \n".encode(), " \n".encode("utf-16")])
def test_whitespace_only_file(tmp_path: Path, data: bytes) -> None:
    assert "file is empty (only whitespace)" in refusal(write(tmp_path, "w.csv", data))


def test_only_delimiters(tmp_path: Path) -> None:
    assert "every row is blank" in refusal(write(tmp_path, "d.csv", b",,,\n , ,\n"))


def test_header_only(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "h.csv", b"\nname,address\n\n"))
    assert "has a header (row 2) but no data rows" in message


def test_png(tmp_path: Path) -> None:
    path = write(tmp_path, "logo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    assert "is a PNG image, not a text table" in refusal(path)


def test_legacy_xls(tmp_path: Path) -> None:
    path = write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert "legacy Excel .xls" in refusal(path)


def test_random_binary(tmp_path: Path) -> None:
    data = bytes((i * 7919 + 13) % 256 for i in range(4096))
    assert "binary data, not a text table" in refusal(write(tmp_path, "r.csv", data))


def test_nul_bytes_in_text(tmp_path: Path) -> None:
    path = write(tmp_path, "n.csv", b"name,address\nAcme\x00Ltd,Urumqi\nB,C\n")
    assert "contains NUL bytes: binary data" in refusal(path)


def test_control_characters(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", b"name\n" + b"\x01\x02\x03\x04abc" * 50)
    assert "mostly control characters" in refusal(path)


def test_zip_that_is_not_xlsx(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("suppliers.csv", "name\nA\n")
    message = refusal(write(tmp_path, "s.zip", buffer.getvalue()))
    assert "is a ZIP archive but not an XLSX workbook" in message


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = xlsx_bytes([["name"], ["A"]])
    message = refusal(write(tmp_path, "t.xlsx", data[: len(data) // 2]))
    assert "XLSX workbook is corrupt or truncated" in message


def test_xlsx_with_a_damaged_part(tmp_path: Path) -> None:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["name"], ["A"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            archive.writestr(item, content)
    message = refusal(write(tmp_path, "d.xlsx", buffer.getvalue()))
    assert "XLSX workbook cannot be read, it is corrupt or truncated" in message


def test_text_named_xlsx(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "renamed.xlsx", b"name\nA\n"))
    assert "is named .xlsx but is not an XLSX workbook" in message


def test_undecodable_bytes(tmp_path: Path) -> None:
    # Valid UTF-16 by its mark, then a lone surrogate.
    path = write(tmp_path, "u.csv", b"\xff\xfen\x00a\x00\x00\xd8")
    assert "marked as UTF-16 but is not valid UTF-16" in refusal(path)


def test_unclosed_quote_names_the_row(tmp_path: Path) -> None:
    path = write(tmp_path, "q.csv", b'name,address\nA,x\n"B,y\nC,z\n')
    assert "row 3: a quoted cell is never closed" in refusal(path)


def test_stray_quote_inside_a_cell_is_read_leniently(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "q.csv", b'name,size\n"Pipe" 5 inch,x\n'))
    assert table.rows == [(2, ["Pipe 5 inch", "x"])]


def test_extra_cells_name_the_row(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", b"name,address\nA,x\nHotan Cotton, Ltd,Hotan\n")
    assert "row 3: has a value in column 3 but the header has only 2 columns" in refusal(path)


def test_huge_cell(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", b"name,notes\nA," + b"x" * (MAX_CELL_CHARS + 1) + b"\n")
    message = refusal(path)
    assert "row 2: column 'notes': cell is longer than 100,000 characters" in message


def test_cell_over_the_csv_module_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", b'name\nA\n"' + b"x" * 200_000 + b'"\n')
    assert "row 3: cell is longer than 100,000 characters" in refusal(path)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", b"name\n" + b"A\n" * 1000)
    with pytest.raises(InputError, match=r"s\.csv: file is 0\.0 MB, over the 0\.0 MB limit"):
        read_table(path, max_bytes=1000)


def test_too_many_columns(tmp_path: Path) -> None:
    header = ",".join(f"c{i}" for i in range(1001))
    path = write(tmp_path, "wide.csv", f"{header}\n{'x,' * 1000}x\n".encode())
    assert "row 1: header has 1001 columns" in refusal(path)


# Delimiters other than the comma are left out: a comma-separated cell holding "a;b" is, read
# cold, as much a two-column semicolon file as a one-column CSV.
_CELL = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
        blacklist_characters=";\u00a0\u2007\u202f\u200b\ufeff",
    ),
    max_size=12,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(
        _CELL.filter(lambda s: bool(s.strip())), min_size=1, max_size=5, unique_by=str.casefold
    ),
    body=st.lists(st.lists(_CELL, min_size=5, max_size=5), min_size=1, max_size=8),
)
def test_any_csv_written_by_the_csv_module_reads_back(
    tmp_path: Path, header: list[str], body: list[list[str]]
) -> None:
    stripped = [cell.strip() for cell in header]
    if len({cell.casefold() for cell in stripped}) < len(stripped):
        return  # distinct only after stripping; renaming repeats is tested above
    rows = [row[: len(header)] for row in body]
    expected = [
        (number, [cell.strip() for cell in row])
        for number, row in enumerate(rows, start=2)
        if any(cell.strip() for cell in row)
    ]
    if not expected:
        return
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path = tmp_path / "prop.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    table = read_table(path)
    assert table.header == stripped
    assert table.rows == expected
