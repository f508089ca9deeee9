"""Loaders for the exposure data: UFLPA sectors (rules/sectors.yaml) and the facility index
built from geo/facilities.csv. Each is read and checked once per process."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from threadline.data import parse_yaml
from threadline.data.check import invalid
from threadline.data.geo import facility_rows
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
    facilities = []
    for number, row in enumerate(facility_rows(), start=2):
        try:
            facilities.append(Facility.from_row(row))
        except (KeyError, ValueError) as exc:
            raise invalid("geo/facilities.csv", ValueError(f"row {number}: {exc}")) from exc
    return FacilityIndex(facilities)
