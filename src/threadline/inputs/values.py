"""Cell values of reference lists: multi-valued cells, partial ISO dates, generated ids."""

from __future__ import annotations

import datetime as dt
import re

_MULTI = re.compile(r"\s*\|\s*|;\s+")
_PIPE = re.compile(r"\s*\|\s*")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def split_multi(value: str) -> list[str]:
    """Names and identifiers: ' | ' or '; ' separate values."""
    if "|" not in value and ";" not in value:  # one value or none (most cells)
        value = value.strip()
        return [value] if value else []
    return _unique([part.strip() for part in _MULTI.split(value)])


def split_pipe(value: str) -> list[str]:
    """URLs and titles: only ' | ' separates (titles may contain ';'); order kept for pairing."""
    if "|" not in value:
        return [value] if value else []
    return [part for part in _PIPE.split(value) if part]


def iso_date(value: str) -> dt.date | None:
    """YYYY-MM-DD, or YYYY-MM / YYYY meaning its first day; '' → None; anything else ValueError."""
    if not value:
        return None
    match = _DATE.fullmatch(value)
    if match is None:
        raise ValueError(value)
    year, month, day = match.groups()
    return dt.date(int(year), int(month or 1), int(day or 1))


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return out
