"""How current each reference list is, and the warnings a screening must carry about it.

A list is stale when its as-of date is more than `max_age_days` before the day of the run, and
behind when a screening asks about a later date than the list knows (`--as-of` after its as-of).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from threadline.model.results import DatasetInfo, ListFreshness

DEFAULT_MAX_AGE_DAYS = 45


def list_freshness(
    datasets: Iterable[DatasetInfo],
    *,
    today: dt.date,
    screening_as_of: dt.date,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
) -> tuple[ListFreshness, ...]:
    """One record per dataset with an as-of date (user files without one are the user's own)."""
    out = []
    for info in datasets:
        as_of = _date(info.as_of)
        if as_of is None:
            continue
        age = (today - as_of).days
        warnings = []
        if age > max_age_days:
            warnings.append(
                f"{info.title} is as of {as_of}, {age} days old (limit {max_age_days}): entries "
                "listed since then are missing; refresh it with `threadline data update`"
            )
        if as_of < screening_as_of and screening_as_of != today:
            warnings.append(
                f"{info.title} is as of {as_of}, before the screening date {screening_as_of}: "
                "listings and removals after its as-of date are not in the data"
            )
        out.append(ListFreshness(info.id, info.title, as_of, age, tuple(warnings)))
    return tuple(out)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
