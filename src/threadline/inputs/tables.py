"""User tables (CSV, TSV, XLSX) → header and numbered rows of clean cell text.

Row numbers are the ones a spreadsheet shows (header = 1 when it is the first line), so an error or
a result can send the user straight to the row. Blank rows are skipped but still counted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from threadline import limits
from threadline.errors import InputError
from threadline.inputs.decoding import binary_kind, decode_text
from threadline.inputs.files import read_bytes
from threadline.inputs.header_row import choose_sheet, header_index
from threadline.inputs.xlsx import is_zip, read_xlsx_sheets

_XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_TAB_SUFFIXES = frozenset({".tsv", ".tab"})
_DELIMITERS = (",", ";", "\t")
_SNIFF_CHARS = 65536
# Characters that look like a space or like nothing; exported ERP data is full of them.
_SPACE_LIKE = str.maketrans(
    {"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": None, "\ufeff": None}
)


@dataclass(frozen=True, slots=True)
class Table:
    """A read table: `rows` pairs each data row's 1-based row number with its cells.

    `header_row` is the header's row number; `sheet` names the worksheet read ('' for CSV/TSV),
    `sheet_position` its 1-based place among `sheet_count` sheets."""

    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    header_row: int = 1
    sheet: str = ""
    sheet_position: int = 0
    sheet_count: int = 0


def read_table(path: Path, *, max_bytes: int | None = None, sheet: str | None = None) -> Table:
    """Read a CSV, TSV or XLSX file, telling formats apart by content, then by extension.

    `sheet` (a name or 1-based number) picks a worksheet; by default the first one with a header
    row is read. CSV and TSV files have one table, so `sheet` does not apply to them."""
    file = str(path)
    data = read_bytes(path, max_bytes)
    suffix = path.suffix.lower()
    if is_zip(data):
        sheets = read_xlsx_sheets(data, file)
        name, position, rows = choose_sheet(sheets, sheet, file)
        table = build_table(file, rows)
        return Table(
            file=file,
            header=table.header,
            rows=table.rows,
            header_row=table.header_row,
            sheet=name,
            sheet_position=position,
            sheet_count=len(sheets),
        )
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(f"is {kind}, not a text table (expected CSV, TSV or XLSX)", file=file)
    if suffix in _XLSX_SUFFIXES:
        raise InputError(
            f"is named {suffix} but is not an XLSX workbook (corrupt, or another format renamed)",
            file=file,
        )
    text = decode_text(data, file)
    if not text.strip():
        raise InputError("file is empty (only whitespace)", file=file)
    delimiter = sniff_delimiter(text, prefer_tab=suffix in _TAB_SUFFIXES)
    return build_table(file, parse_delimited(text, delimiter, file))


def clean_cell(value: str) -> str:
    # ASCII text holds none of the look-alike spaces: skip the translation (most cells).
    return value.strip() if value.isascii() else value.translate(_SPACE_LIKE).strip()


def sniff_delimiter(text: str, *, prefer_tab: bool = False) -> str:
    """The delimiter that gives a header of 2+ columns and the most rows of that width.

    Ties go to the first candidate (comma, or tab for .tsv); a one-column file keeps that default.
    """
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    order = ("\t", ",", ";") if prefer_tab else _DELIMITERS
    best, best_score = order[0], (0.0, 0)
    for delimiter in order:
        try:
            rows = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)]
        except csv.Error:
            continue
        rows = [r for r in rows if any(cell.strip() for cell in r)]
        # The first row of 2+ cells is the header; narrower title rows above it do not count.
        start = next((i for i, r in enumerate(rows) if len(r) >= 2), None)
        if start is None:
            continue
        width = len(rows[start])
        body = rows[start + 1 :]
        consistent = sum(len(r) == width for r in body) / len(body) if body else 1.0
        if (consistent, width) > best_score:
            best, best_score = delimiter, (consistent, width)
    return best


def parse_delimited(text: str, delimiter: str, file: str) -> list[tuple[int, list[str]]]:
    """Records with their row numbers; strict quoting first so a runaway quote is caught."""
    records: list[tuple[int, list[str]]] = []
    try:
        records.extend(_numbered(text, delimiter, strict=True))
        return records
    except csv.Error as exc:
        row = len(records) + 1
        if "unexpected end of data" in str(exc):
            raise InputError(
                "a quoted cell is never closed (unbalanced '\"'), so the rest of the file "
                "would be one cell",
                file=file,
                row=row,
            ) from exc
        if "field limit" in str(exc):
            raise _cell_too_long(file, row, None) from exc
    # A stray quote inside a cell: read it the forgiving way spreadsheets do.
    try:
        return list(_numbered(text, delimiter, strict=False))
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", file=file) from exc


def _numbered(text: str, delimiter: str, *, strict: bool) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
    return enumerate(reader, start=1)


def build_table(file: str, records: Sequence[tuple[int, list[str]]]) -> Table:
    """Header = the first row that reads as one (see `header_row`), else the first non-blank
    row; title rows above it are left out; cells cleaned; blank rows dropped; shapes checked."""
    # Rows are cleaned in place and kept as read unless reshaped: a million-row file then holds
    # one list a row, not three.
    for _, raw in records:
        raw[:] = map(clean_cell, raw)
    filled = [row for row in records if any(row[1])]
    start = header_index([cells for _, cells in filled]) or 0
    header: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, list[str]]] = []
    bounds = limits.current()
    for row in filled[start:]:
        number, cells = row
        if header is None:
            header, header_row = header_names(cells, file, number), number
            continue
        if len(rows) >= bounds.rows:
            raise limits.breach("too many data rows", bounds.rows, "rows", file=file, row=number)
        fits = len(cells) <= len(header) and max(map(len, cells)) <= bounds.cell_chars
        for index, cell in enumerate(() if fits else cells):
            if len(cell) > bounds.cell_chars:
                raise _cell_too_long(file, number, _column_label(header, index))
            if cell and index >= len(header):
                raise InputError(
                    f"has a value in column {index + 1} but the header has only "
                    f"{len(header)} columns; check the delimiter and quoting",
                    file=file,
                    row=number,
                )
        if len(cells) != len(header):
            cells = cells[: len(header)]
            row = (number, cells + [""] * (len(header) - len(cells)))
        rows.append(row)
    if header is None:
        raise InputError("has no data: every row is blank", file=file)
    if not rows:
        raise InputError(f"has a header (row {header_row}) but no data rows", file=file)
    return Table(file=file, header=header, rows=rows, header_row=header_row)


def header_names(cells: list[str], file: str, number: int) -> list[str]:
    """Header names: trailing blanks dropped, blanks named 'column N', repeats numbered."""
    while cells and not cells[-1]:
        cells.pop()
    bounds = limits.current()
    if len(cells) > bounds.columns:
        raise limits.breach(
            f"header has {len(cells)} columns", bounds.columns, "columns", file=file, row=number
        )
    names: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        if len(cell) > bounds.cell_chars:
            raise _cell_too_long(file, number, f"column {index + 1}")
        name = cell or f"column {index + 1}"
        candidate, repeat = name, 1
        while candidate.casefold() in seen:
            repeat += 1
            candidate = f"{name} ({repeat})"
        seen.add(candidate.casefold())
        names.append(candidate)
    return names


def _column_label(header: list[str], index: int) -> str:
    return header[index] if index < len(header) else f"column {index + 1}"


def _cell_too_long(file: str, row: int, column: str | None) -> InputError:
    bound = limits.current().cell_chars
    return InputError(
        f"cell is longer than {bound:,} characters; this does not look like a table "
        "(limit: THREADLINE_MAX_CELL_CHARS)",
        file=file,
        row=row,
        column=column,
    )
