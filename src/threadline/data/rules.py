"""Loader for the tier rules (data/rules/tiers.yaml), the tiers' wording and the matching
algorithms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from threadline.data import parse_yaml
from threadline.data.check import invalid
from threadline.errors import DataError
from threadline.model import ListEffect, Tier

if TYPE_CHECKING:  # imported when loaded: naming the default must not load the matcher
    from threadline.exposure import TierRules
    from threadline.score import Algorithm

DEFAULT_ALGORITHM = "threadline-match-5"


_TIERS = "rules/tiers.yaml"


@dataclass(frozen=True, slots=True)
class TierWording:
    """What the reports say of the tiers, kept in tiers.yaml beside the rules that give them:
    each tier's meaning, and what each kind of list means in law (name, text)."""

    meanings: Mapping[Tier, str]
    legal_basis: tuple[tuple[str, str], ...]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TierWording:
        meanings = {Tier(k): " ".join(str(v).split()) for k, v in data["tiers"].items()}
        if missing := set(Tier) - set(meanings):
            raise ValueError(f"no meaning for tier {', '.join(sorted(missing))}")
        basis = []
        for entry in data["legal_basis"]:
            for effect in entry["effects"]:
                ListEffect(effect)  # ValueError names a list effect that does not exist
            basis.append((str(entry["name"]), " ".join(str(entry["text"]).split())))
        return cls(meanings, tuple(basis))


@lru_cache(maxsize=1)
def _tiers_file() -> Any:
    text = resources.files("threadline.data").joinpath(_TIERS).read_text(encoding="utf-8")
    try:
        return parse_yaml(text)
    except yaml.YAMLError as exc:
        raise invalid(_TIERS, exc) from exc


@lru_cache(maxsize=1)
def load_tier_rules() -> TierRules:
    from threadline.exposure import TierRules
    from threadline.exposure.signals import rule_names

    try:
        rules = TierRules.from_mapping(_tiers_file())
        rules.check_names(rule_names())
        return rules
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid(_TIERS, exc) from exc


@lru_cache(maxsize=1)
def load_tier_wording() -> TierWording:
    try:
        return TierWording.from_mapping(_tiers_file())
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid(_TIERS, exc) from exc


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
