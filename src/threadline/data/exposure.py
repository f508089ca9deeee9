"""Loaders for the exposure data: UFLPA sectors (rules/sectors.yaml) and the facility index
built from geo/facilities.csv. Each is read and checked once per process."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from threadline.data import parse_yaml
from threadline.data.check import invalid
from threadline.data.geo import facility_rows
from threadline.errors import DataError
from threadline.exposure import Facility, FacilityIndex, SectorMap


@lru_cache(maxsize=1)
def load_sector_map() -> SectorMap:
    text = (
        resources.files("threadline.data")
        .joinpath("rules/sectors.yaml")
        .read_text(encoding="utf-8")
    )
    try:
        return SectorMap.from_mapping(parse_yaml(text))
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise invalid("rules/sectors.yaml", exc) from exc


@lru_cache(maxsize=1)
def load_facility_index() -> FacilityIndex:
    sources = _facility_sources()
    facilities = []
    for number, row in enumerate(facility_rows(), start=2):
        source = next((s for s in sources if row.get("id", "").startswith(s["id_prefix"])), None)
        if source is None:
            raise DataError(
                f"packaged geo/facilities.csv row {number}: id '{row.get('id', '')}' is of no "
                "dataset geo/facility_sources.yaml names"
            )
        try:
            facilities.append(Facility.from_row(row, publisher=source["publisher"]))
        except (KeyError, ValueError) as exc:
            raise invalid("geo/facilities.csv", ValueError(f"row {number}: {exc}")) from exc
    return FacilityIndex(facilities, sources=[s["name"] for s in sources])


def _facility_sources() -> list[dict[str, str]]:
    """The facility datasets (geo/facility_sources.yaml): id prefix, name and publisher each."""
    name = "geo/facility_sources.yaml"
    try:
        loaded = parse_yaml(resources.files("threadline.data").joinpath(name).read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(f"packaged {name} is not valid YAML: {exc}") from exc
    entries = loaded.get("sources") if isinstance(loaded, dict) else None
    fields = ("id_prefix", "name", "publisher")
    if not isinstance(entries, list) or not entries:
        raise DataError(f"packaged {name} must hold a list 'sources'")
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(f), str) and entry[f] for f in fields
        ):
            raise DataError(f"packaged {name}: source {number} needs {', '.join(fields)} as text")
    return [{f: str(e[f]) for f in fields} for e in entries]
