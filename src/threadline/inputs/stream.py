"""Large tables read row by row: memory holds one row, not the file.

For bills of lading, whose exports run to millions of rows, and every reader that does not need
the whole table at once. The encoding and delimiter are told from the file's first bytes, the rest
is decoded as it is read; cells are cleaned as in `read_table`. An XLSX workbook's sheet is read
row by row too (openpyxl read-only), after its size checks; only its shared strings are held.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from threadline import limits
from threadline.errors import InputError
from threadline.inputs.decoding import binary_kind, stream_codec
from threadline.inputs.header_row import choose_sheet, header_index
from threadline.inputs.tables import clean_cell, header_names, read_table, sniff_delimiter
from threadline.inputs.xlsx import is_zip, open_workbook, xlsx_rows

_HEAD_BYTES = 1 << 20
_HEADER_SEARCH = 30  # non-blank rows looked at for the header
_TAB_SUFFIXES = frozenset({".tsv", ".tab"})


@dataclass(frozen=True, slots=True)
class StreamedTable:
    """A table's header, and its data rows read afresh from the file on each `rows()` call."""

    path: Path
    file: str
    header: list[str]
    codec: str  # "" for an XLSX workbook
    delimiter: str
    header_row: int = 0  # the header's row number; title rows above it are not data
    sheet: str = ""  # the worksheet read ('' for CSV/TSV), its place among `sheet_count` sheets
    sheet_position: int = 0
    sheet_count: int = 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells) of each non-blank data row, padded to the header's width."""
        if not self.codec:
            yield from self._sheet_rows()
            return
        number = 0
        try:
            with self.path.open(encoding=self.codec, newline="") as handle:
                records = csv.reader(handle, delimiter=self.delimiter)
                seen_header = False
                for number, raw in enumerate(records, start=1):
                    if number <= self.header_row:
                        seen_header = True
                        continue
                    # Plain ASCII rows (most of a trade export) are only stripped, in C.
                    if all(map(str.isascii, raw)):
                        cells = list(map(str.strip, raw))
                    else:
                        cells = list(map(clean_cell, raw))
                    if not any(cells):
                        continue
                    if not seen_header:  # header_row unknown: the first non-blank row
                        seen_header = True
                        continue
                    yield number, self._fitted(number, cells)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"cannot be decoded as {self.codec} after row {number}", file=self.file
            ) from exc
        except csv.Error as exc:
            raise _csv_error(exc, self.file, number + 1) from exc
        except OSError as exc:
            raise InputError(f"cannot be read: {exc.strerror or exc}", file=self.file) from exc

    def _sheet_rows(self) -> Iterator[tuple[int, list[str]]]:
        with open_workbook(self.path, self.file, checked=True) as sheets:  # by open_table
            for number, raw in xlsx_rows(sheets[self.sheet_position - 1], self.file):
                if number <= self.header_row:
                    continue
                cells = [clean_cell(cell) for cell in raw]
                if any(cells):
                    yield number, self._fitted(number, cells)

    def _fitted(self, number: int, cells: list[str]) -> list[str]:
        """The row's cells padded or cut to the header's width, once checked against it."""
        width = len(self.header)
        max_cell = limits.current().cell_chars
        if max(map(len, cells)) > max_cell:
            raise limits.breach("cell too long", max_cell, "cell_chars", file=self.file, row=number)
        if len(cells) != width:
            if any(cells[width:]):
                raise InputError(
                    f"has a value in column {len(cells)} but the header has only "
                    f"{width} columns; check the delimiter and quoting",
                    file=self.file,
                    row=number,
                )
            cells = (cells + [""] * width)[:width]
        return cells


def open_table(path: Path, *, sheet: str | None = None) -> StreamedTable:
    """Check the file and read its header; refuse what cannot be a table, with one line.
    `sheet` (a name or 1-based number) picks a workbook's sheet, as in `read_table`."""
    file = str(path)
    if not path.is_file():
        read_table(path)  # raises the right InputError: missing, a folder, not a file
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", file=file) from exc
    if not head.strip():
        raise InputError("file is empty", file=file)
    if is_zip(head):
        return _open_sheet(path, file, sheet)
    kind = binary_kind(head)
    if kind is not None:
        raise InputError(f"is {kind}, not a text table (expected CSV, TSV or XLSX)", file=file)
    codec = stream_codec(head, file, whole=len(head) < _HEAD_BYTES)
    text = head.decode(codec, errors="ignore")
    delimiter = sniff_delimiter(text, prefer_tab=path.suffix.lower() in _TAB_SUFFIXES)
    lines = text.splitlines(keepends=True)
    filled: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, cells in enumerate(csv.reader(lines[:-1] or lines, delimiter=delimiter), 1):
            cleaned = [clean_cell(cell) for cell in cells]
            if any(cleaned):
                filled.append((number, cleaned))
            if len(filled) >= _HEADER_SEARCH:
                break
    except csv.Error as exc:
        raise _csv_error(exc, file, number + 1) from exc
    if not filled:
        raise InputError("has no header row in its first megabyte", file=file)
    # Title rows above the header (an export's banner) are skipped, as read_table does.
    number, cleaned = filled[header_index([cells for _, cells in filled]) or 0]
    header = header_names(cleaned, file, number)
    return StreamedTable(path, file, header, codec, delimiter, header_row=number)


def _open_sheet(path: Path, file: str, wanted: str | None) -> StreamedTable:
    """The workbook's sheet (the one named, else the first with a header row) and its header,
    found in the first rows of each sheet, as `read_table` finds them in the whole sheet."""
    with open_workbook(path, file) as sheets:
        previews = []
        for sheet in sheets:
            filled: list[tuple[int, list[str]]] = []
            for number, raw in xlsx_rows(sheet, file):
                cells = [clean_cell(cell) for cell in raw]
                if any(cells):
                    filled.append((number, cells))
                    if len(filled) >= _HEADER_SEARCH:
                        break
            previews.append((sheet.title, filled))
    name, position, filled = choose_sheet(previews, wanted, file)
    if not filled:
        raise InputError("has no data: every row is blank", file=file)
    number, cells = filled[header_index([cells for _, cells in filled]) or 0]
    header = header_names(cells, file, number)
    return StreamedTable(path, file, header, "", "", number, name, position, len(previews))


def _csv_error(exc: csv.Error, file: str, row: int) -> InputError:
    """The csv module's own cap on a cell (131,072 characters) is a limit, not damage."""
    if "field limit" in str(exc):
        return limits.breach(
            "cell too long", csv.field_size_limit(), "cell_chars", file=file, row=row
        )
    return InputError(f"malformed CSV: {exc}", file=file, row=row)
