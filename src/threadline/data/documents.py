"""Loaders for reading documents: the indicator vocabulary (vocab/indicators.yaml), the name and
link patterns (vocab/document_patterns.yaml), the finder built from them, and the rules that
turn findings into reasons (rules/documents.yaml). Each is read and checked once per process."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from threadline.data import parse_yaml
from threadline.data.check import invalid
from threadline.data.geo import load_gazetteer
from threadline.exposure import DocumentRules
from threadline.model.documents import DocumentKind
from threadline.normalise.mentions import Indicator, MentionFinder, indicators_from_mapping


def _yaml(path: str) -> Any:
    text = resources.files("threadline.data").joinpath(path).read_text(encoding="utf-8")
    try:
        return parse_yaml(text)
    except yaml.YAMLError as exc:
        raise invalid(path, exc) from exc


@lru_cache(maxsize=1)
def load_indicators() -> tuple[Indicator, ...]:
    try:
        return indicators_from_mapping(_yaml("vocab/indicators.yaml"))
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid("vocab/indicators.yaml", exc) from exc


@lru_cache(maxsize=1)
def load_mention_finder() -> MentionFinder:
    forms = _yaml("vocab/legal_forms.yaml")["forms"]
    zh_forms = [str(z) for form in forms for z in form.get("zh", [])]
    try:
        return MentionFinder(
            load_indicators(), _yaml("vocab/document_patterns.yaml"), zh_forms, load_gazetteer()
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid("vocab/document_patterns.yaml", exc) from exc


@lru_cache(maxsize=1)
def load_document_rules() -> DocumentRules:
    try:
        return DocumentRules.from_mapping(_yaml("rules/documents.yaml"))
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid("rules/documents.yaml", exc) from exc


@lru_cache(maxsize=1)
def _publisher_kinds() -> tuple[tuple[DocumentKind, tuple[str, ...]], ...]:
    try:
        return tuple(
            (DocumentKind(group["kind"]), tuple(str(w).casefold() for w in group["words"]))
            for group in _yaml("vocab/document_patterns.yaml")["publisher_kinds"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid("vocab/document_patterns.yaml", exc) from exc


def kind_of_publisher(publisher: str) -> DocumentKind:
    """The kind a publisher's name suggests; OTHER when it suggests none."""
    folded = publisher.casefold()
    for kind, words in _publisher_kinds():
        if any(word in folded for word in words):
            return kind
    return DocumentKind.OTHER


def rationale(indicator_id: str) -> str:
    """An indicator's one-line rationale ('' for a finding that is not an indicator's)."""
    return _rationales().get(indicator_id, "")


@lru_cache(maxsize=1)
def _rationales() -> dict[str, str]:
    return {i.id: i.rationale for i in load_indicators()}
