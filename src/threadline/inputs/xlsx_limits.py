"""Checks of an XLSX workbook made before openpyxl parses it, so a zip bomb or a sheet claiming
two billion rows is refused in a second with one line, not after gigabytes.

openpyxl fills the gap up to a row's number with blank rows (`<row r="2000000000">` is two billion
of them) and unpacks every part it reads; zipfile stops each part at its declared size, so the
declared sizes bound what parsing can unpack.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from threadline import limits
from threadline.errors import InputError

_CHUNK = 1 << 20
_RATIO_FROM_BYTES = 1 << 20  # small parts compress as they like
_MAX_TAG_BYTES = 1 << 16
_EXCEL_COLUMNS = 16_384
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["']\s*(\d+)""")
_DIMENSION = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*\bref\s*=\s*["']([^"']*)""")
_CELL_REF = re.compile(r"([A-Za-z]{1,7})(\d{1,12})$")


def check_workbook(data: bytes | Path, file: str) -> None:
    """Refuse a workbook (its bytes, or its path) whose parts unpack past the limits, or whose
    sheets declare or number more rows than Excel allows (or the configured `xlsx_rows`)."""
    bounds = limits.current()
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
            parts = archive.infolist()
            total = sum(part.file_size for part in parts)
            if total > bounds.xlsx_uncompressed_bytes:
                raise limits.breach(
                    f"workbook unpacks to {total:,} bytes",
                    bounds.xlsx_uncompressed_bytes,
                    "xlsx_uncompressed_bytes",
                    file=file,
                )
            for part in parts:
                ratio = part.file_size / max(part.compress_size, 1)
                if part.file_size > _RATIO_FROM_BYTES and ratio > bounds.xlsx_compression_ratio:
                    raise limits.breach(
                        f"part {part.filename[:80]} is compressed {ratio:,.0f} to 1 (a zip bomb?)",
                        bounds.xlsx_compression_ratio,
                        "xlsx_compression_ratio",
                        file=file,
                    )
            for part in parts:
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                    with archive.open(part) as stream:
                        _check_sheet(_chunks(stream), file)
    except InputError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
    ) as exc:
        raise InputError(
            f"XLSX workbook is corrupt or truncated ({type(exc).__name__})", file=file
        ) from exc
    except NotImplementedError as exc:  # a compression method zipfile does not know
        raise InputError(f"XLSX workbook cannot be unpacked ({exc})", file=file) from exc


def bounded_rows(rows: Iterable[tuple[object, ...]], file: str) -> Iterator[tuple[object, ...]]:
    """openpyxl's rows, stopped with a one-line error past the row limit (a backstop for the
    check above)."""
    most = limits.current().xlsx_rows
    for number, row in enumerate(rows, start=1):
        if number > most:
            raise limits.breach("too many worksheet rows", most, "xlsx_rows", file=file, row=number)
        yield row


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK):
        yield chunk


def _check_sheet(chunks: Iterable[bytes], file: str) -> None:
    most = limits.current().xlsx_rows
    row = 0
    tail = b""
    first = True
    for chunk in chunks:
        buffer = tail + chunk
        if first:
            _check_dimension(buffer, file, most)
            first = False
        # Keep an unfinished tag for the next chunk; text without tags is dropped.
        cut = buffer.rfind(b"<")
        if cut < 0 or buffer.find(b">", cut) >= 0 or len(buffer) - cut > _MAX_TAG_BYTES:
            cut = len(buffer)
        for match in _ROW.finditer(buffer, 0, cut):
            number = _ROW_NUMBER.search(match.group(1))
            row = int(number.group(1)[:12]) if number else row + 1
            if row > most:
                raise limits.breach(
                    "worksheet row number too high",
                    most,
                    "xlsx_rows",
                    file=file,
                    row=row,
                )
        tail = buffer[cut:]


def _check_dimension(head: bytes, file: str, most: int) -> None:
    """The sheet's declared extent (`<dimension ref="A1:Z99">`), which Excel never sets past its
    own grid; beyond it, the file was not written by a spreadsheet."""
    found = _DIMENSION.search(head[:_CHUNK])
    if found is None:
        return
    last = found.group(1).decode("ascii", "replace").split(":")[-1].replace("$", "")
    cell = _CELL_REF.match(last)
    if cell is None:
        return
    letters, digits = cell.groups()
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    if int(digits) > most or column > _EXCEL_COLUMNS:
        raise limits.breach(
            f"worksheet declares its size as {last[:30]}",
            most,
            "xlsx_rows",
            file=file,
        )
