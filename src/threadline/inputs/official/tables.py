"""CSV files of the official lists: decoding and finding columns by their published names."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from threadline.inputs.official.base import layout_error


def decode(data: bytes, encoding: str) -> str:
    """UTF-8 when the bytes are UTF-8 (with or without BOM), else the format's own encoding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode(encoding, "replace")


def rows(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]


def key(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").strip().lower().split())


def find(header: Sequence[str], file: str, expected: str, *names: str) -> int:
    """The index of the first column called one of `names` (case and spacing ignored)."""
    keys = [key(h) for h in header]
    for name in names:
        if name in keys:
            return keys.index(name)
    raise layout_error(file, f"{expected}: a column {' or '.join(repr(n) for n in names)}")


def optional(header: Sequence[str], *names: str) -> int | None:
    keys = [key(h) for h in header]
    return next((keys.index(n) for n in names if n in keys), None)


def cell(row: Sequence[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""
