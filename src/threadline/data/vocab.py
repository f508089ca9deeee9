"""Loaders for the matching vocabularies (legal forms, brands, glossary, abbreviations, pinyin
syllables)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from threadline.built_cache import cached_build
from threadline.data import parse_yaml
from threadline.data.geo import china_admin_rows, gazetteer_rows, place_rules
from threadline.errors import DataError
from threadline.normalise.names import NameNormaliser, PlaceSpelling, build_normaliser
from threadline.normalise.place_rules import PlaceRules


def _vocab_text(name: str) -> str:
    return resources.files("threadline.data").joinpath(f"vocab/{name}").read_text(encoding="utf-8")


def _yaml(name: str) -> Any:
    try:
        return parse_yaml(_vocab_text(name))
    except yaml.YAMLError as exc:
        raise DataError(f"packaged vocabulary {name} is not valid YAML: {exc}") from exc


def place_spellings() -> list[PlaceSpelling]:
    """Every place of the gazetteers with all its spellings, for name normalisation."""
    rules = PlaceRules.from_mapping(place_rules())
    out: list[PlaceSpelling] = []
    for row in [*gazetteer_rows(), *china_admin_rows()]:
        names = [row.get("name_pinyin", ""), row.get("name_uyghur_latin", "")]
        names += [n.strip() for n in row.get("other_names", "").split("|")]
        out.append(
            PlaceSpelling(
                id=row["id"],
                level=row.get("level", ""),
                parent_id=row.get("parent_id", ""),
                name_zh=row.get("name_zh", ""),
                latin=tuple(n for n in names if n),
                bare_zh=rules.bare_zh(row.get("name_zh", "")),
            )
        )
    return out


@lru_cache(maxsize=1)
def load_normaliser() -> NameNormaliser:
    """The normaliser over the packaged vocabularies: built once, then loaded (built_cache.py)."""
    return cached_build("normaliser", NameNormaliser, _build_normaliser)


def _build_normaliser() -> NameNormaliser:
    syllables = [
        line.strip()
        for line in _vocab_text("pinyin_syllables.txt").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return build_normaliser(
        legal_forms=_yaml("legal_forms.yaml")["forms"],
        concepts=_yaml("glossary.yaml")["concepts"],
        abbreviations=_yaml("abbreviations.yaml")["abbreviations"],
        stopwords=_yaml("stopwords.yaml")["stopwords"],
        syllables=syllables,
        places=place_spellings(),
        brands=_yaml("brands.yaml")["brands"],
    )
