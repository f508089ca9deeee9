"""The candidate index and the pair features computed over it."""

import pickle

import numpy as np
import pytest
from scipy import sparse

from threadline.candidates import (
    Encoded,
    Vocabulary,
    anchored,
    build_index,
    encode_reference,
    merge,
)
from threadline.candidates import index as index_module
from threadline.candidates.index import _search
from threadline.data.rules import load_algorithm
from threadline.data.vocab import load_normaliser
from threadline.matching import Matcher, Query
from threadline.model import ReferenceEntity
from threadline.score import FEATURES

# 870 names with the same place and business word: those terms are too common to search by,
# so only the brand finds a name, and each brand shares its trigrams with dozens of others.
SYLLABLES = [
    "hua",
    "tai",
    "xin",
    "long",
    "feng",
    "sheng",
    "kang",
    "jin",
    "rui",
    "bao",
    "ming",
    "da",
    "guo",
    "hong",
    "yu",
    "chang",
    "fu",
    "ping",
    "shun",
    "tong",
    "wei",
    "hai",
    "jia",
    "cheng",
    "li",
    "yuan",
    "zhong",
    "de",
    "kai",
    "run",
]
BRANDS = [f"{a}{b}".capitalize() for a in SYLLABLES for b in SYLLABLES if a != b]


def company(i: int, name: str, **extra: str) -> ReferenceEntity:
    return ReferenceEntity(id=f"E{i}", schema="Company", name=name, **extra)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def crowded() -> Matcher:
    entities = [company(i, f"Hotan {b} Textile Co., Ltd.") for i, b in enumerate(BRANDS)]
    return Matcher(entities, load_normaliser(), load_algorithm())


def best(matcher: Matcher, name: str) -> str:
    [results] = matcher.match([Query(name)], floor=0.0, top=1)
    return results[0].entity.name if results else ""


def test_a_query_is_anchored_only_when_the_reference_knows_all_its_tokens(
    crowded: Matcher,
) -> None:
    n = load_normaliser()
    keys = [n.key(x) for x in ("Hotan Taixin Textile", "Hotan Taixim Textile", "Hotan Textile")]
    assert anchored(crowded.index, keys).tolist() == [True, False, False]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("HOTAN TAIXIN TEXTILE CO LTD", "Hotan Taixin Textile Co., Ltd."),
        ("Hotan Taixim Textile Co., Ltd.", "Hotan Taixin Textile Co., Ltd."),  # typo
        ("和田泰鑫纺织有限公司", "Hotan Taixin Textile Co., Ltd."),
        ("HETIANRUIBAOFANGZHI", "Hotan Ruibao Textile Co., Ltd."),
    ],
)
def test_the_right_name_is_found_among_look_alikes(
    crowded: Matcher, query: str, expected: str
) -> None:
    assert best(crowded, query) == expected


def test_the_index_pickles_and_matches_the_same(crowded: Matcher) -> None:
    queries = [Query("Hotan Taixim Textile"), Query("HOTAN FENGKANG TEXTILE CO")]
    copy = pickle.loads(pickle.dumps(crowded))
    assert copy.match(queries, floor=0.0) == crowded.match(queries, floor=0.0)


def feature_values(query: str, candidate: str) -> dict[str, float]:
    matcher = Matcher([company(0, candidate)], load_normaliser(), load_algorithm())
    pairs = matcher.candidates([Query(query)])
    assert pairs.q_rows.tolist() == [0]
    return dict(zip(FEATURES, pairs.features[0].tolist(), strict=True))


@pytest.mark.parametrize(
    ("query", "candidate", "feature", "value"),
    [
        (
            "Shenyang No. 2 Laogai Detachment",
            "Shenyang No. 1 Laogai Detachment",
            "number_conflict",
            1,
        ),
        (
            "Shenyang No. 1 Laogai Detachment",
            "Shenyang No. 1 Laogai Detachment",
            "number_conflict",
            0,
        ),
        ("Shenyang Laogai Detachment", "Shenyang No. 1 Laogai Detachment", "number_conflict", 0),
        ("Taida Partners LP", "Taida Co., Ltd.", "legal_conflict", 1),
        ("Taida Limited", "Taida Co., Ltd.", "legal_conflict", 0),  # one family
        ("Taida", "Taida Co., Ltd.", "legal_conflict", 0),
        ("Taida Apparel", "Taida Co., Ltd.", "exact", 1),
        ("Xinjiang Jingweida", "Xinjiang Jingwei", "prefix", 1),
        ("Xinjiang Jingweida", "Xinjiang Jingweida", "prefix", 0),  # exact, not a prefix
        ("Shantou Haijin Food", "Guangdong Haijin Food", "place_nested", 1),
        ("Guangdong Haijin Food", "汕头海金食品有限公司", "place_nested", 1),
        ("Xinjiang Hotan Dade", "Hotan Dade", "place_nested", 0),  # the same city
        ("Hotan Dade", "Hotan Dade", "place_nested", 0),
        ("Hotan Dade", "Dade", "place_nested", 0),  # one side names no place
        ("Old Pier Example Trading", "Harbour Example Trading", "words_apart", 1),
        ("Nangong Hongtai (China Cotton)", "China Cotton Nangong Hongtai", "words_apart", 0),
        ("和田泰达服装有限公司", "和田泰达服饰有限公司", "written_differs", 1),
        ("Hetian Taida Fuzhuang", "和田泰达服饰有限公司", "written_differs", 1),
        ("Hetian Taida Fushi", "和田泰达服饰有限公司", "written_differs", 0),
        ("阿克苏华孚棉纺实业有限公司", "阿克苏华孚棉纺有限公司", "written_differs", 1),
        ("Hetian Taida Garment", "和田泰达服饰有限公司", "written_differs", 0),  # English: either
        ("和田泰达有限公司", "和田泰达服饰有限公司", "written_differs", 0),  # no business word
        ("CHANGXIANG IMPORT AND EXPO", "Changxiang Food Import and Export Co", "cut_inside", 1),
        ("CHANGXIANG FOOD IMPORT AN", "Changxiang Food Import and Export Co", "cut_inside", 0),
        ("CHANGXIANG FOOD", "Changxiang Food Import and Export Co", "cut_inside", 0),
        # With a legal form the name is whole: concepts_differ says it.
        (
            "Changxiang Import and Export Co",
            "Changxiang Food Import and Export Co",
            "cut_inside",
            0,
        ),
    ],
)
def test_pair_features(query: str, candidate: str, feature: str, value: float) -> None:
    assert feature_values(query, candidate)[feature] == value


def test_country_conflict_needs_both_countries() -> None:
    entity = company(0, "Taida Co., Ltd.", country="CN")
    matcher = Matcher([entity], load_normaliser(), load_algorithm())
    pairs = matcher.candidates([Query("Taida", "US"), Query("Taida", "CN"), Query("Taida")])
    conflict = pairs.features[:, FEATURES.index("country_conflict")]
    assert conflict[np.argsort(pairs.q_rows)].tolist() == [1.0, 0.0, 0.0]


def test_a_reference_encoded_in_parts_matches_as_if_encoded_whole(crowded: Matcher) -> None:
    n = load_normaliser()
    names = crowded.index.names
    owners = crowded.index.entity_of_row

    def encoded(start: int, stop: int) -> tuple[Encoded, Vocabulary]:
        vocabulary = Vocabulary.for_legal_families(n.legal_families)
        return encode_reference(names[start:stop], n.compute, vocabulary, n.ancestors)

    whole = build_index(owners.copy(), names, *encoded(0, len(names)))
    parts = build_index(
        owners.copy(), names, *merge([encoded(0, 300), encoded(300, 301), encoded(301, 870)])
    )
    assert parts.vocabulary == whole.vocabulary
    for name in ("trigrams", "terms", "places_own", "places_up", "concepts"):
        assert (getattr(parts.vectors, name) != getattr(whole.vectors, name)).nnz == 0, name
    assert len(parts.search) == len(whole.search)
    for part, block in zip(parts.search, whole.search, strict=True):
        assert (part != block).nnz == 0
    assert np.array_equal(parts.vectors.legal_set, whole.vectors.legal_set)
    assert np.array_equal(parts.vectors.distinctive, whole.vectors.distinctive)


def test_a_search_in_blocks_keeps_the_best_rows_of_one_product() -> None:
    """Blocks of reference rows keep each query's best rows by similarity, as one product
    over all rows does (of rows tied at the cut, each may keep others)."""
    rng = np.random.default_rng(7)
    queries = sparse.random(40, 30, density=0.2, format="csr", dtype=np.float32, rng=rng)
    reference = sparse.random(30, 1000, density=0.05, format="csr", dtype=np.float32, rng=rng)
    # Few distinct values: many rows tie.
    queries.data = np.ceil(queries.data * 2) / 2
    reference.data = np.ceil(reference.data * 2) / 2
    blocks = tuple(reference[:, start : start + 170].tocsr() for start in range(0, 1000, 170))
    dense = (queries @ reference).toarray()
    cut = 0
    for rows in (_search(queries, blocks, 5, 1), _search(queries, (reference,), 5, 1)):
        for q in range(queries.shape[0]):
            kept = rows[1][rows[0] == q]
            best = sorted(dense[q][dense[q] > 0].tolist(), reverse=True)[:5]
            assert sorted(dense[q, kept].tolist(), reverse=True) == best
            cut += len(best) == 5 and best[-1] in dense[q, ~np.isin(np.arange(1000), kept)]
    assert cut  # rows tied at the cut were left out


def test_search_blocks_are_the_search_matrix_cut_by_rows(
    crowded: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = crowded.index.names
    owners = crowded.index.entity_of_row
    n = load_normaliser()
    vocabulary = Vocabulary.for_legal_families(n.legal_families)
    encoded = encode_reference(names, n.compute, vocabulary, n.ancestors)
    [whole] = build_index(owners.copy(), names, *encoded).search
    monkeypatch.setattr(index_module, "_SEARCH_BLOCK", 100)
    blocks = build_index(
        owners.copy(),
        names,
        *encode_reference(
            names, n.compute, Vocabulary.for_legal_families(n.legal_families), n.ancestors
        ),
    ).search
    assert len(blocks) == -(-len(names) // 100) > 2
    assert (sparse.hstack(blocks, format="csr") != whole).nnz == 0
