"""The reproducers of issue 16, failures 1, 7 and 8: each hostile input is refused fast, with one
line naming the file, the row or line and the limit, and exit code 2 — never an internal error."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest
from hostile import one_error_line, row, run_cli, workbook

from threadline import limits
from threadline.errors import InputError
from threadline.inputs import read_records, read_reference
from threadline.inputs.ftm import read_ftm
from threadline.inputs.stream import open_table
from threadline.inputs.tables import read_table


def test_row_numbered_two_billion_is_refused_before_parsing(tmp_path: Path) -> None:
    book = workbook(
        tmp_path / "tall.xlsx",
        row(1, "name", "country") + row(2, "Acme", "CN") + row(2_000_000_000, "X", "CN"),
    )
    assert book.stat().st_size < 4096
    started = time.perf_counter()
    with pytest.raises(InputError) as refused:
        read_records(book)
    assert time.perf_counter() - started < 5
    message = str(refused.value)
    assert "tall.xlsx" in message and "row 2000000000" in message
    assert "THREADLINE_MAX_XLSX_ROWS" in message


def test_declared_dimension_past_excel_grid_is_refused(tmp_path: Path) -> None:
    book = workbook(
        tmp_path / "wide.xlsx", row(1, "name") + row(2, "Acme"), dimension="A1:B9999999"
    )
    with pytest.raises(InputError, match="declares its size as B9999999"):
        read_records(book)


def test_rows_past_the_limit_are_refused_even_unnumbered(tmp_path: Path) -> None:
    rows = "".join(f"<row><c t='inlineStr'><is><t>n{i}</t></is></c></row>" for i in range(30))
    book = workbook(tmp_path / "many.xlsx", rows)
    with limits.use(limits.Limits(xlsx_rows=20)), pytest.raises(InputError) as refused:
        read_table(book)
    assert "row 21" in str(refused.value)
    assert len(read_table(book).rows) == 29  # within the default limit it reads


def test_zip_bomb_workbook_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    padding = " " * (64 * 1024 * 1024)  # 64 MiB of whitespace packs into ~64 KB
    book = workbook(tmp_path / "bomb.xlsx", row(1, "name") + row(2, "Acme") + padding)
    assert book.stat().st_size < 1024 * 1024
    with pytest.raises(InputError) as refused:
        read_records(book)
    assert "zip bomb" in str(refused.value) and "bomb.xlsx" in str(refused.value)


def test_uncompressed_size_limit(tmp_path: Path) -> None:
    book = workbook(tmp_path / "big.xlsx", row(1, "name") + row(2, "Acme"))
    with limits.use(limits.Limits(xlsx_uncompressed_bytes=500)), pytest.raises(InputError) as no:
        read_records(book)
    assert "THREADLINE_MAX_XLSX_UNCOMPRESSED_BYTES" in str(no.value)


def test_ftm_line_with_52000_aliases_reads_in_linear_time(tmp_path: Path) -> None:
    aliases = [f"Alias {i}" for i in range(52_000)]
    line = {"id": "e1", "schema": "Company", "properties": {"name": ["Acme"], "alias": aliases}}
    path = tmp_path / "aliases.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    started = time.perf_counter()
    [entity] = read_ftm(path).entities
    assert time.perf_counter() - started < 5  # was 32 s: each alias compared with every other
    assert len(entity.aliases) == 52_000


def _ftm_line(path: Path, text: str) -> Path:
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _nested(depth: int) -> str:
    text = '{"id":"e0","schema":"Company","properties":{"name":["A"]}}'
    for i in range(1, depth):
        text = f'{{"id":"e{i}","schema":"Company","properties":{{"name":["A"],"parent":[{text}]}}}}'
    return text


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("deep.jsonl", _nested(1000), "nested too deep"),
        ("deep_ok_for_json.jsonl", _nested(200), "nested too deep"),
        (
            "bigint.jsonl",
            '{"id":"e1","schema":"Company","properties":{"name":["A"],"x":[' + "9" * 4400 + "]}}",
            "number too long",
        ),
        (
            "surrogate.jsonl",
            '{"id":"e1","schema":"Company","properties":{"name":["A\\ud800b"]}}',
            "lone surrogate",
        ),
        (
            "longname.jsonl",
            json.dumps({"id": "e1", "schema": "Company", "properties": {"name": ["x" * 200_001]}}),
            "value too long",
        ),
    ],
)
def test_hostile_ftm_line_is_one_line_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    text: str,
    expected: str,
) -> None:
    reference = _ftm_line(tmp_path / name, text)
    with pytest.raises(InputError, match=expected):
        read_reference(reference)
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n1,Acme\n", encoding="utf-8")
    code, _, err = run_cli(
        capsys, monkeypatch, "match", str(queries), "--reference", str(reference)
    )
    assert code == 2
    line = one_error_line(err)
    assert name in line and "line 1" in line and expected in line


def test_valid_surrogate_pair_escape_is_kept(tmp_path: Path) -> None:
    reference = _ftm_line(
        tmp_path / "emoji.jsonl",
        '{"id":"e1","schema":"Company","properties":{"name":["Acme \\ud83d\\ude00"]}}',
    )
    [entity] = read_ftm(reference).entities
    assert entity.name == "Acme \U0001f600"


def test_first_line_cell_past_csv_field_limit_in_shipments(tmp_path: Path) -> None:
    path = tmp_path / "bills.csv"
    path.write_text("shipper," + "x" * 140_000 + "\nAcme,b\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        open_table(path)
    assert "row 1" in str(refused.value) and "cell too long" in str(refused.value)


def test_too_many_rows_names_the_row_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("name\n" + "".join(f"n{i}\n" for i in range(10)), encoding="utf-8")
    with limits.use(limits.Limits(rows=5)), pytest.raises(InputError) as refused:
        read_records(path)
    assert "row 7" in str(refused.value) and "THREADLINE_MAX_ROWS" in str(refused.value)


def test_limits_from_environment() -> None:
    got = limits.Limits.from_env({"THREADLINE_MAX_ROWS": "5_000", "THREADLINE_MAX_JSON_DEPTH": "8"})
    assert (got.rows, got.json_depth, got.columns) == (5000, 8, limits.Limits().columns)
    with pytest.raises(InputError, match="THREADLINE_MAX_ROWS"):
        limits.Limits.from_env({"THREADLINE_MAX_ROWS": "-1"})


def test_header_with_line_breaks_gives_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "breaks.csv"
    path.write_text('"Supp\nlier\rname",country\nAcme,CN\n', encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_records(path, name_col="missing")
    assert "\n" not in str(refused.value) and "\r" not in str(refused.value)
    assert "Supp lier name" in str(refused.value)


def test_corrupt_deflate_stream_in_a_sheet_is_one_line(tmp_path: Path) -> None:
    """Found by the fuzz suite: a damaged compressed sheet raised zlib.error (exit 70)."""
    book = workbook(
        tmp_path / "damaged.xlsx",
        row(1, "name") + "".join(row(i, f"Company {i} Ltd") for i in range(2, 400)),
    )
    data = book.read_bytes()
    with zipfile.ZipFile(book) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    outcomes = set()
    for offset in range(4, min(info.compress_size, 400), 7):
        damaged = bytearray(data)
        damaged[start + offset] ^= 0xFF
        book.write_bytes(bytes(damaged))
        try:
            read_table(book)
            outcomes.add("read")
        except InputError as exc:
            assert "\n" not in str(exc)
            outcomes.add("refused")
    assert "refused" in outcomes


def test_zip_needing_a_newer_version_is_one_line(tmp_path: Path) -> None:
    """Found by the fuzz suite: 'zip file version 6.4' (NotImplementedError) was exit 70."""
    book = workbook(tmp_path / "future.xlsx", row(1, "name") + row(2, "Acme"))
    data = bytearray(book.read_bytes())
    directory = data.index(b"PK\x01\x02")
    data[directory + 6] = 64  # "version needed to extract": 6.4
    book.write_bytes(bytes(data))
    with pytest.raises(InputError) as refused:
        read_table(book)
    assert "future.xlsx" in str(refused.value)


def test_a_huge_value_echoed_in_an_error_is_cut(tmp_path: Path) -> None:
    """Found by the fuzz suite: a 5,000-digit date was echoed whole into the message."""
    path = tmp_path / "list.csv"
    path.write_text(
        "id,name,date_listed\nx1,Acme Ltd," + "9" * 5000 + "2023-06-09\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as refused:
        read_reference(path)
    message = str(refused.value)
    assert len(message) < 600 and "row 2" in message and "characters)…" in message
