from rapidfuzz import fuzz

from benchlib.devset import RefEntity
from benchlib.namesearch import NameIndex
from benchlib.peers import with_pinyin

ENTITIES = [
    RefEntity("R1", "Aksu Huafu Textiles Co.", ("Aksu Huafu",), "", "CN", ""),
    RefEntity(
        "R2", "Hetian Haolin Hair Accessories Co., Ltd.", (), "和田浩林发制品有限公司", "CN", ""
    ),
    RefEntity("R3", "Nanjing Synergy Textiles Co., Ltd.", (), "", "CN", ""),
]


def test_best_entity_comes_first_and_scores_are_fractions() -> None:
    index = NameIndex(ENTITIES)
    hits = index.search(
        ["AKSU HUAFU TEXTILES CO", "Nanjing Synergy Textile"], fuzz.token_sort_ratio, 2
    )
    assert [h.entity for h in hits[0]][:1] == [0]
    assert [h.entity for h in hits[1]][:1] == [2]
    assert hits[0][0].score == 1.0
    assert hits[0][0].score >= hits[0][1].score


def test_pinyin_forms_let_a_joined_pinyin_query_reach_the_chinese_name() -> None:
    query = ["HETIANHAOLINFAZHIPINYOUXIANGONGSI"]
    plain = NameIndex(ENTITIES).search(query, fuzz.token_sort_ratio, 1)
    transliterated = NameIndex(ENTITIES, with_pinyin).search(query, fuzz.token_sort_ratio, 1)
    assert transliterated[0][0].entity == 1
    assert transliterated[0][0].score > 0.9
    assert plain[0][0].score < 0.5


def test_top_is_capped_by_the_reference_size() -> None:
    hits = NameIndex(ENTITIES).search(["anything"], fuzz.ratio, 10)
    assert len(hits[0]) == len(ENTITIES)
