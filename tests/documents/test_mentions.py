"""Mentions, indicators and stated links in the golden documents and the negatives, and the
sentence splitting and name boundaries they rest on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from threadline.data.documents import load_indicators, load_mention_finder
from threadline.inputs.documents import read_document
from threadline.model.documents import DocumentKind, Findings, MentionKind, Span, quote
from threadline.normalise.mentions import indicators_from_mapping, split_sentences

HERE = Path(__file__).parent
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((HERE / "expected.yaml").read_text("utf-8"))


def _found(name: str) -> tuple[Findings, str]:
    document = read_document(HERE / name)
    publisher = document.publisher if document.kind is DocumentKind.COMPANY else ""
    return load_mention_finder().find(document.text, publisher), document.text


def _names(found: Findings, kind: MentionKind) -> list[str]:
    return list(dict.fromkeys(m.text for m in found.mentions if m.kind is kind))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_mentions_indicators_and_relations(name: str) -> None:
    want = EXPECTED[name]
    found, text = _found(name)
    assert sorted(_names(found, MentionKind.ORGANISATION)) == sorted(want["organisations"])
    assert _names(found, MentionKind.FACILITY) == want["facilities"]
    assert sorted({m.label for m in found.mentions if m.kind is MentionKind.INDICATOR}) == sorted(
        want["indicators"]
    )
    places = _names(found, MentionKind.PLACE)
    assert all(
        any(p.startswith(w) or w.startswith(p) for p in places) for w in want.get("places", [])
    )
    stated = [
        [r.kind, found.mentions[r.subject].text, found.mentions[r.object].text]
        for r in found.relations
    ]
    assert stated == want["relations"]
    for mention in found.mentions:  # offsets point at the words as written
        if mention.kind is not MentionKind.INDICATOR and mention.label != "publisher":
            assert text[mention.span.start : mention.span.end] == mention.text


def test_no_person_is_ever_a_mention() -> None:
    for name in ("negative/person_indicator.txt", "golden/procurement_notice.txt"):
        found, _ = _found(name)
        written = " ".join(m.text for m in found.mentions)
        for person in ("买买提", "李明", "阿依古丽"):
            assert person not in written


@pytest.mark.parametrize(
    "sentence",
    [
        "杭州东方职业技能培训中心的学员在实训车间练习缝纫。",  # an ordinary training centre
        "The company runs a training center where trainees learn in a workshop.",
        "上海华美服饰有限公司今日发布秋季新品。",
    ],
)
def test_ordinary_training_and_news_hold_no_indicator(sentence: str) -> None:
    found = load_mention_finder().find(sentence)
    assert [m for m in found.mentions if m.kind is MentionKind.INDICATOR] == []
    assert _names(found, MentionKind.FACILITY) == []


def test_sentences_keep_legal_forms_whole() -> None:
    text = "We buy from Harbor Knit Co. Ltd. in Vietnam. Pearl River Garments Co., Ltd. supplies us.\n第二句。第三句！"
    spans = split_sentences(text)
    assert [text[s.start : s.end] for s in spans] == [
        "We buy from Harbor Knit Co. Ltd. in Vietnam.",
        "Pearl River Garments Co., Ltd. supplies us.",
        "第二句。",
        "第三句！",
    ]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("我们从新疆天棉基业纺织有限公司采购棉纱。", ["新疆天棉基业纺织有限公司"]),
        ("华为技术有限公司发布了新产品。", ["华为技术有限公司"]),
        (
            "和田华源纺织有限公司和上海华美服饰有限公司签约。",
            ["和田华源纺织有限公司", "上海华美服饰有限公司"],
        ),
        ("张伟厂长表示，卫星工厂已经投产。", []),
        ("The Group said Acme Holdings will report.", ["Acme Holdings"]),
        ("In 2022, Harbor Knit Co., Ltd. grew.", ["Harbor Knit Co., Ltd."]),
    ],
)
def test_organisation_names_start_after_the_words_before_them(
    sentence: str, names: list[str]
) -> None:
    found = load_mention_finder().find(sentence)
    assert _names(found, MentionKind.ORGANISATION) == names


def test_english_facility_and_camp_contract() -> None:
    text = (
        "Kashgar Sunrise Textile Co., Ltd. was awarded a bedding contract by the Shule County "
        "Vocational Skills Education and Training Center."
    )
    found = load_mention_finder().find(text)
    assert _names(found, MentionKind.FACILITY) == [
        "Shule County Vocational Skills Education and Training Center"
    ]
    (relation,) = found.relations
    assert relation.kind == "awarded_contract"
    assert found.mentions[relation.subject].text == "Kashgar Sunrise Textile Co., Ltd."


def test_long_sentences_are_quoted_around_the_finding() -> None:
    text = "甲" * 500 + "转移就业" + "乙" * 500
    said, span = quote(text, Span(0, len(text)), Span(500, 504))
    assert len(said) == 300 and "转移就业" in said and said == text[span.start : span.end]


def test_indicator_vocabulary_is_checked_at_load() -> None:
    assert all(i.rationale and i.terms for i in load_indicators())
    good = {
        "id": "x",
        "category": "programme",
        "strength": "weak",
        "rationale": "r",
        "terms": ["t"],
    }
    for broken, message in (
        ({**good, "category": "vibes"}, "unknown category"),
        ({**good, "strength": "huge"}, "unknown strength"),
        ({**good, "rationale": " "}, "no rationale"),
        ({**good, "terms": [["a", ""]]}, "empty term"),
    ):
        with pytest.raises(ValueError, match=message):
            indicators_from_mapping({"indicators": [broken]})
    with pytest.raises(ValueError, match="twice"):
        indicators_from_mapping({"indicators": [good, good]})


def test_facilities_are_placed_only_when_one_site_fits() -> None:
    from threadline.data.exposure import load_facility_index
    from threadline.data.geo import load_gazetteer
    from threadline.importing_documents import FacilityLookup

    lookup = FacilityLookup(load_facility_index().facilities, load_gazetteer())
    by_name = lookup.find("Shule County Vocational Skills Education and Training Center", "vtc")
    assert by_name is not None and by_name.id == "osm-way-690200445"
    one_in_county = lookup.find("轮台县职业技能教育培训中心", "vtc")  # Bugur: one documented camp
    assert one_in_county is not None and one_in_county.county == "Bugur"
    assert lookup.find("墨玉县职业技能教育培训中心", "vtc") is None  # several in Karakax County
    assert lookup.find("职业技能教育培训中心", "vtc") is None  # no place: nothing to go on


@pytest.mark.parametrize(
    ("sentence", "stated"),
    [
        (
            "Harbor Knit Co., Ltd. supplies fabric to Northwind Apparel Ltd.",
            ("supplies", "Harbor Knit Co., Ltd.", "Northwind Apparel Ltd."),
        ),
        (
            "Northwind Apparel Ltd. buys denim from Harbor Knit Co., Ltd.",
            ("supplies", "Harbor Knit Co., Ltd.", "Northwind Apparel Ltd."),
        ),
        (
            "Harbor Knit Co., Ltd. shipped 40 containers of T-shirts to Northwind Apparel Ltd.",
            ("shipped_to", "Harbor Knit Co., Ltd.", "Northwind Apparel Ltd."),
        ),
        (
            "Harbor Knit Co., Ltd. is located in the Moyu County Vocational Skills Education and "
            "Training Center.",
            (
                "located_at",
                "Harbor Knit Co., Ltd.",
                "Moyu County Vocational Skills Education and Training Center",
            ),
        ),
        (
            "上海华美服饰有限公司从和田华源纺织有限公司采购棉纱。",
            ("supplies", "和田华源纺织有限公司", "上海华美服饰有限公司"),
        ),
        (
            "和田华源纺织有限公司向上海华美服饰有限公司供应棉纱。",
            ("supplies", "和田华源纺织有限公司", "上海华美服饰有限公司"),
        ),
        (
            "新疆例子集团负责运营墨玉县职业技能教育培训中心。",
            ("operates", "新疆例子集团", "墨玉县职业技能教育培训中心"),
        ),
        (
            "和田华源纺织有限公司中标墨玉县教培中心被服项目。",
            ("awarded_contract", "和田华源纺织有限公司", "墨玉县教培中心"),
        ),
    ],
)
def test_links_stated_in_a_sentence(sentence: str, stated: tuple[str, str, str]) -> None:
    found = load_mention_finder().find(sentence)
    said = [
        (r.kind, found.mentions[r.subject].text, found.mentions[r.object].text)
        for r in found.relations
    ]
    assert said == [stated]
