"""Times as the store hands them back: SQLite gives naive datetimes, PostgreSQL aware ones, and
every time the store writes is UTC, so a naive one is read as UTC."""

from __future__ import annotations

import datetime as dt
from typing import overload


@overload
def as_utc(value: dt.datetime) -> dt.datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value and value.tzinfo is None else value
