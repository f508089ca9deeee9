"""Loader for the tier rules (data/rules/tiers.yaml) and the matching algorithms."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from threadline.data import parse_yaml
from threadline.data.check import invalid
from threadline.errors import DataError

if TYPE_CHECKING:  # imported when loaded: naming the default must not load the matcher
    from threadline.exposure import TierRules
    from threadline.score import Algorithm

DEFAULT_ALGORITHM = "threadline-match-4"


@lru_cache(maxsize=1)
def load_tier_rules() -> TierRules:
    from threadline.exposure import TierRules

    text = (
        resources.files("threadline.data").joinpath("rules/tiers.yaml").read_text(encoding="utf-8")
    )
    try:
        return TierRules.from_mapping(parse_yaml(text))
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise invalid("rules/tiers.yaml", exc) from exc


def available_algorithms() -> list[str]:
    folder = resources.files("threadline.data").joinpath("algorithms")
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


@lru_cache(maxsize=8)
def load_algorithm(name: str = DEFAULT_ALGORITHM) -> Algorithm:
    from threadline.score import Algorithm

    if name not in available_algorithms():
        raise DataError(
            f"unknown algorithm '{name}'; available: {', '.join(available_algorithms())}"
        )
    text = (
        resources.files("threadline.data")
        .joinpath(f"algorithms/{name}.yaml")
        .read_text(encoding="utf-8")
    )
    try:
        return Algorithm.from_mapping(parse_yaml(text))
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise invalid(f"algorithms/{name}.yaml", exc) from exc
