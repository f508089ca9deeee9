"""Loaders for the vocabularies the input readers use: header synonyms (supplier, list and
shipment tables) and list-effect rules.

The readers in threadline.inputs take these as values; this module is the only place that reads
the YAML files, and it checks their shape so a bad edit fails with a DataError, not a KeyError.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from threadline.data import parse_yaml
from threadline.data.check import invalid
from threadline.model.entities import ListEffect


@dataclass(frozen=True, slots=True)
class FieldSynonyms:
    """How one field is recognised in a header (see columns.yaml for the meaning of each list)."""

    exact: tuple[str, ...]
    contains: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()


# field → synonyms, in priority order
HeaderVocabulary = Mapping[str, FieldSynonyms]


@dataclass(frozen=True, slots=True)
class ColumnVocabulary:
    records: HeaderVocabulary
    reference: HeaderVocabulary


@dataclass(frozen=True, slots=True)
class EffectRule:
    effect: ListEffect
    phrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EffectRules:
    rules: tuple[EffectRule, ...]
    default: ListEffect


@lru_cache(maxsize=1)
def load_column_vocabulary() -> ColumnVocabulary:
    data = _load("columns.yaml")
    return ColumnVocabulary(
        records=_header_vocabulary("columns.yaml", data, "records"),
        reference=_header_vocabulary("columns.yaml", data, "reference"),
    )


@lru_cache(maxsize=1)
def load_shipment_vocabulary() -> HeaderVocabulary:
    return _header_vocabulary("import_columns.yaml", _load("import_columns.yaml"), "shipments")


@lru_cache(maxsize=1)
def load_relation_vocabulary() -> HeaderVocabulary:
    return _header_vocabulary("import_columns.yaml", _load("import_columns.yaml"), "relations")


@lru_cache(maxsize=1)
def all_header_vocabularies() -> tuple[HeaderVocabulary, ...]:
    """Every table reader's vocabulary: a row naming columns of any of them reads as a header."""
    columns = load_column_vocabulary()
    return (
        columns.records,
        columns.reference,
        load_shipment_vocabulary(),
        load_relation_vocabulary(),
    )


@lru_cache(maxsize=1)
def load_effect_rules() -> EffectRules:
    data = _load("list_effects.yaml")
    try:
        rules = tuple(
            EffectRule(ListEffect(rule["effect"]), _strings(rule["phrases"]))
            for rule in data["rules"]
        )
        return EffectRules(rules=rules, default=ListEffect(data["default"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid("list_effects.yaml", exc) from exc


def _load(name: str) -> Any:
    text = resources.files("threadline.data").joinpath(name).read_text(encoding="utf-8")
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise invalid(name, exc) from exc
    if not isinstance(data, dict):
        raise invalid(name, TypeError("not a mapping at the top level"))
    return data


def _header_vocabulary(name: str, data: dict[str, Any], section: str) -> HeaderVocabulary:
    try:
        return {
            str(field): FieldSynonyms(
                exact=_strings(spec["exact"]),
                contains=_strings(spec.get("contains", [])),
                excludes=_strings(spec.get("excludes", [])),
            )
            for field, spec in data[section].items()
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise invalid(name, exc) from exc


def _strings(value: Any) -> tuple[str, ...]:
    # A bare string would be read letter by letter; the models name the field (`invalid`).
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{value!r} is not a list of strings")
    return tuple(value)
