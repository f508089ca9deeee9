"""The one text toolkit (normalise/text.py), and where its copies used to disagree."""

from __future__ import annotations

import json

import pytest

from threadline.data.geo import load_gazetteer
from threadline.data.vocab import load_normaliser
from threadline.inputs.ftm import read_ftm_data
from threadline.inputs.listing import ListContext
from threadline.model import Reliability
from threadline.model.names import name_key
from threadline.normalise.countries import country_key
from threadline.normalise.place_rules import latin_key
from threadline.normalise.text import fold, has_han, strip_accents, to_simplified, to_traditional

# U+FA11: a Compatibility Ideograph that NFKC leaves as it is (﨑, as in 﨑山 Sakiyama).
COMPAT = "\ufa11"
SECOND = "\ufa0e"  # 﨎, another


def test_chinese_is_detected_alike_everywhere_compatibility_ideographs_included() -> None:
    # The FtM reader and the document reader knew only the unified ranges: a name written in
    # compatibility ideographs alone was Latin to them.
    assert has_han(f"{COMPAT}山") and has_han("乌鲁木齐") and has_han("\u3400")
    assert not has_han("Urumqi ＡＢＣ ①")
    line = {
        "id": "c1",
        "schema": "Company",
        "properties": {"name": [f"{COMPAT}{SECOND}", "Sakiyama Trading"]},
    }
    context = ListContext("x", "", None, Reliability.USER_SUPPLIED, "x.jsonl", "x.jsonl")
    [entity] = read_ftm_data(json.dumps(line).encode(), context).entities
    assert (entity.name, entity.names_zh) == ("Sakiyama Trading", (f"{COMPAT}{SECOND}",))
    assert country_key(f"{COMPAT}国") == f"{COMPAT}国"  # kept, not dropped as punctuation


def test_accents_fold_alike_for_names_places_and_countries() -> None:
    # Letters NFKD cannot take apart (ø, ł, đ, ı, æ, œ) were folded for places only.
    assert strip_accents("Ürümqi Øresund Łódź Æbeltoft") == "Urumqi Oresund Lodz AEbeltoft"
    assert fold("Ørsted Łódź Textiles") == fold("Orsted Lodz Textiles") == "orsted lodz textiles"
    assert name_key("Æbelø Trading") == name_key("AEbelo Trading")
    assert latin_key("Ürümqi") == latin_key("Urumqi") == "urumqi"
    assert country_key("Færøerne") == country_key("Faeroerne")


def test_traditional_and_simplified_chinese() -> None:
    assert to_simplified("烏魯木齊") == "乌鲁木齐"
    assert to_traditional("乌鲁木齐") == "烏魯木齊"
    assert fold("新疆棉紡織") == "新疆棉纺织"


@pytest.mark.parametrize(
    "bare",
    # The name normaliser's own list lacked 傣族/景颇族, 新区, and the guard that keeps two
    # characters (内蒙古 is not 内): these are the places where the two copies disagreed.
    ["德宏", "内蒙古", "雄安", "昌吉"],
)
def test_names_and_the_gazetteer_strip_place_suffixes_alike(bare: str) -> None:
    place = load_gazetteer().resolve(bare)
    assert place is not None
    assert load_normaliser().key(f"{bare}纺织有限公司").places == {place.id}
