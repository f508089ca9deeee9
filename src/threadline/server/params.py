"""Numeric path and query parameters, bounded to what the database's integer columns hold:
a row number or offset past them is a 422 naming the parameter, not an overflow and a 500."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

# PostgreSQL's `integer`; SQLite's are wider, and no screening has this many rows.
DB_INT_MAX = 2**31 - 1

RowNumber = Annotated[int, Path(ge=0, le=DB_INT_MAX, description="The row number in the file")]
Offset = Annotated[int, Query(ge=0, le=DB_INT_MAX, description="Rows to skip")]
