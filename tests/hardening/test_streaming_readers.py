"""Issue 16: readers stream. A table opened with `open_table` (XLSX included) yields the same
sheet, header and rows as `read_table` reads whole; `match` reads its queries a chunk at a time
and leaves no half-written output when a late row is bad."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from erp_export import write_erp_export
from hostile import one_error_line, run_cli

from threadline.errors import InputError
from threadline.inputs.record_stream import stream_records
from threadline.inputs.records import read_records
from threadline.inputs.stream import open_table
from threadline.inputs.tables import read_table


def test_a_workbook_streams_as_it_reads_whole(tmp_path: Path) -> None:
    book = write_erp_export(tmp_path / "master.xlsx", plain=40)
    whole = read_table(book)
    streamed = open_table(book)
    assert (streamed.sheet, streamed.sheet_position, streamed.sheet_count) == (
        whole.sheet,
        whole.sheet_position,
        whole.sheet_count,
    )
    assert streamed.header == whole.header and streamed.header_row == whole.header_row
    assert list(streamed.rows()) == whole.rows
    named = open_table(book, sheet="1")
    assert named.sheet_position == 1 and named.sheet != whole.sheet


def test_streamed_records_are_the_records_read_whole(tmp_path: Path) -> None:
    book = write_erp_export(tmp_path / "master.xlsx", plain=10)
    assert list(stream_records(book).records()) == read_records(book)


def test_a_workbook_with_a_row_past_the_width_is_one_line(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "country"])
    sheet.append(["Example Co", "CN", "stray"])
    book.save(tmp_path / "wide.xlsx")
    table = open_table(tmp_path / "wide.xlsx")
    with pytest.raises(InputError, match="has a value in column 3") as raised:
        list(table.rows())
    assert raised.value.row == 2


def test_match_reads_queries_in_chunks_and_a_late_bad_row_leaves_no_output(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from threadline.cli import commands

    monkeypatch.setattr(commands, "_MATCH_CHUNK", 2)
    reference = tmp_path / "ref.csv"
    reference.write_text("id,name,country\nr1,Hoshine Silicon Industry Co Ltd,CN\n")
    queries = tmp_path / "q.csv"
    lines = ["id,name,country,hs code"] + [f"q{i},Hoshine Silicon Industry,CN," for i in range(5)]
    queries.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.csv"
    code, _, err = run_cli(
        capsys, monkeypatch, "match", str(queries), "--reference", str(reference), "-o", str(out)
    )
    assert code == 0, err
    found = out.read_text().splitlines()
    assert [line.split(",")[0] for line in found[1:]] == [f"q{i}" for i in range(5)]

    out.unlink()
    queries.write_text("\n".join([*lines, "q9,Late Bad Row,CN,not-a-code"]) + "\n")
    code, _, err = run_cli(
        capsys, monkeypatch, "match", str(queries), "--reference", str(reference), "-o", str(out)
    )
    assert code == 2
    assert "row 7" in one_error_line(err)
    assert not [p.name for p in tmp_path.iterdir() if "out" in p.name]
