"""The exposure settings and wording in rules/tiers.yaml load, and bad edits fail clearly."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest
import yaml

from threadline.data.rules import load_tier_rules
from threadline.exposure import TierRules
from threadline.model import RelationKind, Tier


def _packaged() -> dict[str, Any]:
    text = resources.files("threadline.data").joinpath("rules/tiers.yaml").read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def test_packaged_exposure_rules() -> None:
    rules = load_tier_rules()
    assert (rules.links.max_hops, rules.facilities.distance_km) == (2, 5.0)
    assert rules.links.direct(RelationKind.OWNS).tier is Tier.HIGH
    assert rules.links.direct(RelationKind.SHIPPED_TO).code == "SUPPLY_LINK"
    assert rules.links.direct(RelationKind.LOCATED_AT).code == "SITE_LINK"
    assert rules.links.indirect.tier is Tier.ELEVATED
    assert rules.sector.tier is Tier.ELEVATED
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
