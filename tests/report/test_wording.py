"""The reports' wording of the tiers comes from the tier rules' own file: every tier a rule gives
has a meaning, no meaning names a tier that does not exist, each legal basis covers a list effect
the rules know, and the report shows the file's words."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
from markupsafe import escape

from threadline.data import parse_yaml
from threadline.data.rules import TierWording, _tiers_file, load_tier_rules, load_tier_wording
from threadline.model import ListEffect, RunMetadata, ScreenedRow, Tier
from threadline.report.html import render_html
from threadline.report.wording import legal_basis, tier_meanings


def _rule_tiers(node: Any) -> Iterator[str]:
    """The tier of every rule in the file, wherever it sits."""
    if isinstance(node, dict):
        if "code" in node and "tier" in node:
            yield str(node["tier"])
        for value in node.values():
            yield from _rule_tiers(value)


def test_every_tier_has_its_meaning_and_no_meaning_names_another() -> None:
    data = _tiers_file()
    assert set(data["tiers"]) == {t.value for t in Tier}
    used = set(_rule_tiers({k: v for k, v in data.items() if k != "tiers"}))
    assert used and used <= set(data["tiers"])
    assert tier_meanings().keys() == set(Tier)


def test_each_legal_basis_covers_a_list_effect_with_a_listing_reason() -> None:
    rules = load_tier_rules()
    for entry in _tiers_file()["legal_basis"]:
        assert {ListEffect(e) for e in entry["effects"]} <= set(rules.listing)
    assert [name for name, _ in legal_basis()] == [e["name"] for e in _tiers_file()["legal_basis"]]


@pytest.mark.parametrize(
    ("old", "new", "refused"),
    [
        ("  elevated: >-\n", "  raised: >-\n", "'raised' is not a valid Tier"),
        ("  no signal found: >-\n    None of the above", "  none: >-\n    None", "not a valid"),
        ("    effects: [sdn]", "    effects: [sdm]", "'sdm' is not a valid ListEffect"),
    ],
)
def test_the_loader_refuses_a_meaning_for_no_tier_or_a_basis_for_no_effect(
    old: str, new: str, refused: str
) -> None:
    text = _packaged()
    assert old in text, "the fixture no longer matches the packaged file"
    with pytest.raises(ValueError, match=refused):
        TierWording.from_mapping(parse_yaml(text.replace(old, new, 1)))


def test_a_tier_without_a_meaning_is_named() -> None:
    data = parse_yaml(_packaged())
    del data["tiers"]["elevated"]
    with pytest.raises(ValueError, match="no meaning for tier elevated"):
        TierWording.from_mapping(data)


def test_the_report_shows_the_files_words(meta: RunMetadata, rows: list[ScreenedRow]) -> None:
    page = render_html(meta, rows)
    file = load_tier_wording()
    assert file.meanings[Tier.ELEVATED] in page
    name, text = file.legal_basis[1]
    assert f"<strong>{name}</strong></dt><dd>{escape(text)}</dd>" in page


def _packaged() -> str:
    return resources.files("threadline.data").joinpath("rules/tiers.yaml").read_text("utf-8")
