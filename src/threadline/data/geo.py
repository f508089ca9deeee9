"""Loaders for the packaged geography files in data/geo/ (see data/geo/SOURCES.md).

Rows come back as plain dicts of strings, as the CSV has them; `load_gazetteer()` compiles them
with the place rules and country names into the pure `Gazetteer` of threadline.normalise.places.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from threadline.built_cache import cached_build
from threadline.data import parse_yaml
from threadline.data.check import invalid
from threadline.data.countries import country_names
from threadline.errors import DataError
from threadline.normalise.place_types import GazetteerCitation
from threadline.normalise.places import Gazetteer, PlaceRules

_PLACE_COLUMNS = ("id", "level", "name_zh", "name_pinyin", "other_names", "parent_id", "adcode")
_FACILITY_COLUMNS = ("id", "name", "kind", "lat", "lon", "region", "source_url")
_EXPECTED_ROWS = {"gazetteer.csv": 207, "facilities.csv": 490}


def _text(name: str) -> str:
    return resources.files("threadline.data").joinpath(f"geo/{name}").read_text(encoding="utf-8")


@cache
def _rows(name: str, required: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    reader = csv.DictReader(io.StringIO(_text(name)))
    missing = [c for c in required if c not in (reader.fieldnames or ())]
    if missing:
        raise invalid(f"geo/{name}", KeyError(", ".join(missing)))
    rows = tuple({k: (v or "").strip() for k, v in row.items() if k} for row in reader)
    expected = _EXPECTED_ROWS.get(name)
    if expected is not None and len(rows) != expected:
        raise DataError(f"packaged geo/{name} has {len(rows)} rows, expected {expected}")
    return rows


def gazetteer_rows() -> list[dict[str, str]]:
    """XUAR and TAR divisions (region, prefectures, XPCC cities, counties)."""
    return [dict(r) for r in _rows("gazetteer.csv", _PLACE_COLUMNS)]


def china_admin_rows() -> list[dict[str, str]]:
    """The other provinces of China, their prefecture-level units and some county-level hubs."""
    return [dict(r) for r in _rows("china_admin.csv", _PLACE_COLUMNS)]


def facility_rows() -> list[dict[str, str]]:
    """Suspected detention facilities in XUAR (ASPI XJDP v1 and OpenStreetMap)."""
    return [dict(r) for r in _rows("facilities.csv", _FACILITY_COLUMNS)]


def place_rules() -> dict[str, Any]:
    """The reviewed vocabulary for reading places in free text (geo/place_rules.yaml)."""
    try:
        loaded = parse_yaml(_text("place_rules.yaml"))
    except yaml.YAMLError as exc:
        raise invalid("geo/place_rules.yaml", exc) from exc
    if not isinstance(loaded, dict):
        raise invalid("geo/place_rules.yaml", TypeError("not a mapping"))
    return loaded


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer: built once, then loaded (built_cache.py)."""
    return cached_build("gazetteer", Gazetteer, _build_gazetteer)


def _build_gazetteer() -> Gazetteer:
    return Gazetteer.from_rows(
        gazetteer_rows(),
        china_admin_rows(),
        rules=PlaceRules.from_mapping(place_rules()),
        country_names=country_names(),
        citation=gazetteer_citation(),
    )


def gazetteer_citation() -> GazetteerCitation:
    """How results cite the gazetteer (geo/gazetteer_citation.yaml)."""
    name = "geo/gazetteer_citation.yaml"
    try:
        loaded = parse_yaml(_text("gazetteer_citation.yaml"))
    except yaml.YAMLError as exc:
        raise DataError(f"packaged {name} is not valid YAML: {exc}") from exc
    if not isinstance(loaded, dict):
        raise DataError(f"packaged {name} must be a mapping")
    as_of, publisher, files = loaded.get("as_of"), loaded.get("publisher"), loaded.get("files")
    if not isinstance(as_of, dt.date):
        raise DataError(f"packaged {name}: 'as_of' must be a date (YYYY-MM-DD)")
    if not isinstance(publisher, str) or not publisher:
        raise DataError(f"packaged {name}: 'publisher' must be text")
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        raise DataError(f"packaged {name}: 'files' must map id prefixes to file names")
    return GazetteerCitation(as_of, publisher, tuple(files.items()))
