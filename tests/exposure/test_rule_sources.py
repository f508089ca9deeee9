"""The sources rules files cite (rules/sectors.yaml `sources`, rules/tiers.yaml `legal_sources`)
are read by one parser: a sector's source must be dated, a law need not be."""

from __future__ import annotations

import copy
import datetime as dt
from importlib import resources
from typing import Any

import pytest

from threadline.data import parse_yaml
from threadline.data.check import invalid
from threadline.exposure import SectorMap, TierRules


def _packaged(name: str) -> Any:
    return parse_yaml(resources.files("threadline.data").joinpath(name).read_text("utf-8"))


def test_a_sector_source_without_a_date_fails_in_one_line_naming_file_and_field() -> None:
    data = copy.deepcopy(_packaged("rules/sectors.yaml"))
    key = next(iter(data["sources"]))
    del data["sources"][key]["date"]
    with pytest.raises(ValueError) as caught:
        SectorMap.from_mapping(data)
    message = str(invalid("rules/sectors.yaml", caught.value))
    assert message == f"packaged rules/sectors.yaml is malformed: sources.{key}.date: required"


def _law_dates(data: Any) -> set[dt.date | None]:
    rules = TierRules.from_mapping(data).listing.values()
    return {r.legal_source.date for r in rules if r.legal_source is not None}


def test_a_legal_source_without_a_date_is_read_undated() -> None:
    data = copy.deepcopy(_packaged("rules/tiers.yaml"))
    assert _law_dates(data) == {dt.date(2021, 12, 23)}
    del data["legal_sources"]["uflpa"]["date"]
    assert _law_dates(data) == {None}


@pytest.mark.parametrize("date", ["2021-13-01", "soon"])
def test_a_malformed_date_names_the_field(date: str) -> None:
    data = copy.deepcopy(_packaged("rules/tiers.yaml"))
    data["legal_sources"]["uflpa"]["date"] = date
    with pytest.raises(ValueError, match=rf"^legal_sources\.uflpa\.date: '{date}' is not a"):
        TierRules.from_mapping(data)
