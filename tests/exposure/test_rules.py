"""The exposure settings and wording in rules/tiers.yaml load, and bad edits fail clearly."""

from __future__ import annotations

import copy
import datetime as dt
from importlib import resources
from typing import Any

import pytest
import yaml

from threadline.data.exposure import load_facility_index, load_sector_map
from threadline.data.rules import load_tier_rules
from threadline.exposure import PlaceSignal, TierRules, describe_exposure
from threadline.exposure.links import direct_rule
from threadline.exposure.signals import rule_names
from threadline.model import RelationKind, Tier

DAY = dt.date(2025, 1, 1)


def _packaged() -> dict[str, Any]:
    text = resources.files("threadline.data").joinpath("rules/tiers.yaml").read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def test_packaged_exposure_rules() -> None:
    rules = load_tier_rules()
    assert (rules.links.max_hops, rules.facilities.distance_km) == (2, 5.0)
    assert rules.reason(direct_rule(RelationKind.OWNS)).tier is Tier.HIGH
    assert rules.reason(direct_rule(RelationKind.SHIPPED_TO)).code == "SUPPLY_LINK"
    assert rules.reason(direct_rule(RelationKind.LOCATED_AT)).code == "SITE_LINK"
    assert rules.reason("link_indirect").tier is Tier.ELEVATED
    assert rules.reason("sector_china_origin").tier is Tier.ELEVATED
    assert rules.links.phrases[RelationKind.SUBSIDIARY_OF] == (
        "is a subsidiary of",
        "is the parent of",
    )


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("links", "max_hops"), 0, "links.max_hops must be positive"),
        (("facilities", "distance_km"), -1, "facilities.distance_km must be positive"),
    ],
)
def test_non_positive_settings_are_refused(path: tuple[str, str], value: int, message: str) -> None:
    data = copy.deepcopy(_packaged())
    data[path[0]][path[1]] = value
    with pytest.raises(ValueError, match=message):
        TierRules.from_mapping(data)


def test_a_relation_kind_without_phrases_is_refused() -> None:
    data = copy.deepcopy(_packaged())
    del data["links"]["phrases"]["operates"]
    with pytest.raises(ValueError, match="no link phrases for operates"):
        TierRules.from_mapping(data)


def test_every_rule_a_packaged_kind_names_exists_and_every_rule_is_some_kinds() -> None:
    load_tier_rules().check_names(rule_names())  # what the loader runs
    named = {name for names in rule_names().values() for name in names}
    assert named == set(load_tier_rules().reasons)


def test_a_kind_naming_a_rule_that_does_not_exist_is_refused() -> None:
    used = {**rule_names(), "GhostSignal": ("ghost",)}
    with pytest.raises(ValueError, match=r"^reasons: no rule ghost \(signal kind GhostSignal\)$"):
        load_tier_rules().check_names(used)


def test_a_rule_no_kind_is_given_is_refused() -> None:
    data = copy.deepcopy(_packaged())
    data["reasons"]["orphan"] = {"code": "ORPHAN", "tier": "high", "text": "Nobody uses this."}
    with pytest.raises(ValueError, match=r"^reasons\.orphan: no kind of signal is given this rule"):
        TierRules.from_mapping(data).check_names(rule_names())


def test_a_kind_is_only_given_the_rules_it_names() -> None:
    with pytest.raises(ValueError, match="PlaceSignal is not given rule 'near_site'"):
        PlaceSignal.rule_in(load_tier_rules(), "near_site")


def test_a_name_in_both_sections_is_refused() -> None:
    data = copy.deepcopy(_packaged())
    data["reasons"]["delisted"] = data["listing_reasons"]["delisted"]
    with pytest.raises(ValueError, match=r"^reasons\.delisted: also in listing_reasons"):
        TierRules.from_mapping(data)


def test_a_reason_citing_a_law_not_in_legal_sources_is_refused() -> None:
    data = copy.deepcopy(_packaged())
    data["reasons"]["xuar_name"]["legal_source"] = "unknown_act"
    with pytest.raises(ValueError, match="legal_source 'unknown_act' is not in legal_sources"):
        TierRules.from_mapping(data)


def test_the_methodology_names_the_lists_the_rules_make_prohibited() -> None:
    data = copy.deepcopy(_packaged())

    def links_text() -> str:
        rules = TierRules.from_mapping(data)
        method = dict(describe_exposure(rules, 2, 0, load_facility_index(), load_sector_map(), DAY))
        return method["Links"]

    assert "an active UFLPA, WRO or SDN listing," in links_text()
    data["listing_reasons"]["sdn"]["tier"] = "high"
    assert "an active UFLPA or WRO listing," in links_text()
