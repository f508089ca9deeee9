"""XLSX workbooks → rows of cell text (first worksheet), with the row numbers Excel shows."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile

import openpyxl
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from threadline.errors import InputError
from threadline.inputs.xlsx_limits import bounded_rows, check_workbook


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def read_xlsx_rows(data: bytes, file: str) -> list[tuple[int, list[str]]]:
    """Every row of the first worksheet, blank ones included, as (row number, cell texts)."""
    _require_workbook(data, file)
    check_workbook(data, file)
    try:
        # openpyxl warns about parts it drops (styles, data validation); cell values are unaffected.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0] if book.worksheets else None
                if not isinstance(sheet, ReadOnlyWorksheet):
                    raise InputError("workbook has no worksheet", file=file)
                # Declared sizes are often wrong (whole columns formatted); go by the cells.
                sheet.reset_dimensions()
                return [
                    (number, [cell_text(value) for value in values])
                    for number, values in enumerate(
                        bounded_rows(sheet.iter_rows(values_only=True), file), start=1
                    )
                ]
            finally:
                book.close()
    except InputError:
        raise
    except Exception as exc:  # openpyxl fails on damaged parts with many exception types
        raise InputError(
            f"XLSX workbook cannot be read, it is corrupt or truncated ({type(exc).__name__})",
            file=file,
        ) from exc


def _require_workbook(data: bytes, file: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
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
