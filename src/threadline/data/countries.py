"""Loader for the packaged ISO 3166-1 country table (data/countries.csv)."""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

from threadline.errors import DataError
from threadline.normalise.countries import CountryTable
from threadline.normalise.countries import normalise_country as _normalise_with

_COLUMNS = ("alpha2", "alpha3", "name", "other_names", "names_zh")
_EXPECTED_ROWS = 249


def country_rows() -> list[dict[str, str]]:
    """The rows of countries.csv; its leading '#' lines say where the facts come from."""
    text = resources.files("threadline.data").joinpath("countries.csv").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    reader = csv.DictReader(io.StringIO(body))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise DataError(f"packaged countries.csv lacks columns: {', '.join(missing)}")
    rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    if len(rows) != _EXPECTED_ROWS:
        raise DataError(f"packaged countries.csv has {len(rows)} rows, expected {_EXPECTED_ROWS}")
    return rows


@lru_cache(maxsize=1)
def country_table() -> CountryTable:
    return CountryTable.from_rows(country_rows())


def country_names() -> dict[str, str]:
    """Every country name in English and Chinese → alpha-2 (for reading addresses)."""
    return country_table().spellings()


# A reference or a manifest repeats a few country spellings on every row: each is keyed once.
@lru_cache(maxsize=4096)
def normalise_country(value: str) -> str:
    """ISO 3166-1 alpha-2 for a country as users write it, with the packaged table ('' if unknown)."""
    return _normalise_with(value, country_table())
