"""XLSX workbooks → rows of cell text, with the row numbers Excel shows.

`read_xlsx_sheets` reads every worksheet with its name, so the table reader can pick the sheet
that holds a header (see `inputs.header_row`).
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threadline.errors import InputError
from threadline.inputs.xlsx_limits import bounded_rows, check_workbook

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def read_xlsx_sheets(data: bytes, file: str) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """Every worksheet as (sheet name, rows), in workbook order; each row as (row number, cell
    texts), blank ones included. The archive and each sheet's size are checked against the
    limits before and while reading, so a bomb or a row numbered in the billions stops early."""
    _require_workbook(data, file)
    check_workbook(data, file)
    # openpyxl is imported only for a workbook: a CSV screening does not pay its start-up.
    import openpyxl
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheets: list[tuple[str, list[tuple[int, list[str]]]]] = []
                for sheet in book.worksheets:
                    if not isinstance(sheet, ReadOnlyWorksheet):
                        continue  # a chart sheet holds no cells
                    # Declared sizes are often wrong (whole columns formatted); go by the cells.
                    sheet.reset_dimensions()
                    rows = [
                        (number, [cell_text(value) for value in values])
                        for number, values in enumerate(
                            bounded_rows(sheet.iter_rows(values_only=True), file), start=1
                        )
                    ]
                    sheets.append((sheet.title, rows))
            finally:
                book.close()
    except InputError:
        raise
    except Exception as exc:  # openpyxl fails on damaged parts with many exception types
        raise InputError(
            f"XLSX workbook cannot be read, it is corrupt or truncated ({type(exc).__name__})",
            file=file,
        ) from exc
    if not sheets:
        raise InputError("workbook has no worksheet", file=file)
    return sheets


@contextmanager
def open_workbook(
    path: Path, file: str, *, checked: bool = False
) -> Iterator[Sequence[ReadOnlyWorksheet]]:
    """The workbook's worksheets, each read row by row from the file as it is iterated (openpyxl
    read-only), after the same checks as `read_xlsx_sheets` (unless already `checked`). Its rows
    are those of `xlsx_rows(sheet, file)`."""
    if not checked:
        _require_workbook(path, file)
        check_workbook(path, file)
    import openpyxl
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet as Sheet

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl fails on damaged parts with many exception types
        raise _corrupt(exc, file) from exc
    try:
        sheets = [sheet for sheet in book.worksheets if isinstance(sheet, Sheet)]
        if not sheets:
            raise InputError("workbook has no worksheet", file=file)
        yield sheets
    finally:
        book.close()


def xlsx_rows(sheet: ReadOnlyWorksheet, file: str) -> Iterator[tuple[int, list[str]]]:
    """A read-only sheet's rows as (row number, cell texts), blank ones included, streamed."""
    # Declared sizes are often wrong (whole columns formatted); go by the cells.
    sheet.reset_dimensions()
    streamed: Any = sheet  # openpyxl's stubs give iter_rows to Worksheet only
    rows = bounded_rows(streamed.iter_rows(values_only=True), file)
    number = 0
    while True:
        # Warnings are silenced around each step only: a generator left suspended must not
        # leave the process's warning filters changed.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                values = next(rows)
            except StopIteration:
                return
            except InputError:
                raise
            except Exception as exc:  # openpyxl fails on damaged parts in many ways
                raise _corrupt(exc, file) from exc
        number += 1
        yield number, [cell_text(value) for value in values]


def _corrupt(exc: Exception, file: str) -> InputError:
    return InputError(
        f"XLSX workbook cannot be read, it is corrupt or truncated ({type(exc).__name__})",
        file=file,
    )


def _require_workbook(data: bytes | Path, file: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as exc:
        raise InputError(
            "XLSX workbook is corrupt or truncated (not a readable ZIP archive)", file=file
        ) from exc
    if "xl/workbook.xml" in names:
        return
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise InputError("is an OpenDocument file; save it as .xlsx or CSV", file=file)
    raise InputError(
        "is a ZIP archive but not an XLSX workbook (expected CSV, TSV or XLSX)", file=file
    )


def cell_text(value: object) -> str:
    """A cell as the text a user reads: integers without '.0', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
