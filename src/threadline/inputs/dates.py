"""Dates as bills of lading write them: ISO, 2026/03/02, 20260302, 2026年3月2日, 2 Mar 2026,
Mar 2, 2026, 02-MAR-2026, and day and month in either order (03/02/2026).

Day-and-month dates are read when only one order makes sense (31/01/2026, 01/31/2026), or in the
order the user names (`mdy`, US; `dmy`); otherwise they are refused as ambiguous, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

DateOrder = Literal["mdy", "dmy"]
DATE_ORDERS: tuple[DateOrder, ...] = ("mdy", "dmy")

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_DAY_MONTH = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?")
_DAY_NAMED = re.compile(r"(\d{1,2})[-\s]+([A-Za-z]+)\.?[-\s,]+(\d{4})")
_NAMED_DAY = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


class AmbiguousDate(ValueError):
    """Day and month could be either way round and no order was named."""


def parse_date(value: str, order: DateOrder | None = None) -> dt.date:
    """The date a cell writes; ValueError when it is none, AmbiguousDate when it could be two."""
    text = value.strip()
    for pattern in (_YMD, _COMPACT, _CHINESE):
        if match := pattern.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    if named := _DAY_NAMED.fullmatch(text):
        day_text, month_name, year_text = named.groups()
        return dt.date(int(year_text), _month(month_name), int(day_text))
    if named := _NAMED_DAY.fullmatch(text):
        month_name, day_text, year_text = named.groups()
        return dt.date(int(year_text), _month(month_name), int(day_text))
    if match := _DAY_MONTH.fullmatch(text):
        first, second, year = (int(part) for part in match.groups())
        if first > 12 or (order == "dmy" and second <= 12):
            return dt.date(year, second, first)
        if second > 12 or order == "mdy" or first == second:
            return dt.date(year, first, second)
        raise AmbiguousDate(value)
    raise ValueError(value)


def date_problem(value: str, exc: ValueError) -> str:
    """The one line a user reads when a date cannot be read."""
    if isinstance(exc, AmbiguousDate):
        match = _DAY_MONTH.fullmatch(value.strip())
        assert match is not None  # AmbiguousDate is raised only for this form
        first, second, year = (int(part) for part in match.groups())
        as_mdy = dt.date(year, first, second).strftime("%-d %B %Y")
        as_dmy = dt.date(year, second, first).strftime("%-d %B %Y")
        return (
            f"date '{value}' is ambiguous ({as_mdy} or {as_dmy}); "
            "name the order with --date-order mdy (US) or dmy"
        )
    return (
        f"date '{value}' is not a date threadline reads "
        "(YYYY-MM-DD, 2026/03/02, 2 Mar 2026, Mar 2, 2026 or 03/02/2026 with --date-order)"
    )


def _month(name: str) -> int:
    month = _MONTHS.get(name.casefold())
    if month is None:
        raise ValueError(name)
    return month
