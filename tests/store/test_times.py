"""Times read back from the store: SQLite's naive datetimes are UTC, PostgreSQL's aware ones
are kept as they are."""

from __future__ import annotations

import datetime as dt

from threadline.store.times import as_utc


def test_a_naive_time_is_read_as_utc_and_an_aware_one_is_kept() -> None:
    naive = dt.datetime(2026, 3, 1, 12, 30)
    assert as_utc(naive) == naive.replace(tzinfo=dt.UTC)
    paris = dt.datetime(2026, 3, 1, 13, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert as_utc(paris) is paris
    assert as_utc(None) is None
