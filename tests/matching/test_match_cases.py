from pathlib import Path

import pytest
import yaml

from threadline.data.rules import load_algorithm
from threadline.data.vocab import load_normaliser
from threadline.matching import Matcher, Query
from threadline.model import Band, ReferenceEntity

CASES = yaml.safe_load((Path(__file__).parent / "match_cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    names = sorted({case["candidate"] for case in CASES})
    entities = [ReferenceEntity(id=f"E{i}", schema="Company", name=n) for i, n in enumerate(names)]
    return Matcher(entities, load_normaliser(), load_algorithm())


@pytest.mark.parametrize("case", CASES, ids=[c["query"] for c in CASES])
def test_golden_case(matcher: Matcher, case: dict[str, str]) -> None:
    [results] = matcher.match([Query(case["query"])], floor=0.0, top=50)
    found = {r.entity.name: r for r in results}
    result = found.get(case["candidate"])
    band = result.band if result else Band.NO_MATCH
    expected = case["band"]
    ok = band is not Band.MATCH if expected == "not match" else band.value == expected
    assert ok, f"{case['why']}: got {result and result.explanation.summary()}"


def test_every_result_explains_itself(matcher: Matcher) -> None:
    [results] = matcher.match([Query("HOTAN TAIDA GARMENT CO LTD")])
    top = results[0]
    assert top.entity.name == "Hetian Taida Apparel Co., Ltd."
    explained = top.explanation.as_dict()
    assert explained["algorithm"] == load_algorithm().label
    assert "place_agree" in explained["features"]
    assert explained["features"]["trigram"]["weight"] != 0


def test_identifier_decides(matcher: Matcher) -> None:
    entity = ReferenceEntity(
        id="X",
        schema="Company",
        name="Entirely Different Name Co",
        identifiers=("91310000MA1FL7M19D",),
    )
    local = Matcher([entity], load_normaliser(), load_algorithm())
    [results] = local.match([Query("Some Trading Co", identifier="91310000MA1FL7M19D")])
    assert [r.entity.id for r in results] == ["X"]
    assert results[0].band is Band.MATCH


def test_chunked_matching_gives_the_same_results(matcher: Matcher) -> None:
    queries = [Query(case["query"]) for case in CASES]
    small = Matcher(matcher.entities, matcher.normaliser, matcher.algorithm, chunk_size=3)
    whole = matcher.match(queries, floor=0.0, top=50)
    chunked = small.match(queries, floor=0.0, top=50)
    assert len(chunked) == len(queries)
    assert any(len(found) > 1 for found in whole)
    assert chunked == whole


def test_single_queries_match_as_in_a_threaded_batch(matcher: Matcher) -> None:
    # A batch this large runs multi-threaded; one query at a time runs on one thread.
    queries = [Query(case["query"]) for case in CASES]
    batch = (queries * (300 // len(queries) + 1))[:300]
    threaded = Matcher(matcher.entities, matcher.normaliser, matcher.algorithm, threads=2)
    whole = threaded.match(batch, floor=0.0, top=50)
    one_by_one = [threaded.match([query], floor=0.0, top=50)[0] for query in queries]
    assert any(len(found) > 1 for found in one_by_one)
    assert one_by_one == whole[: len(queries)]


def test_a_country_conflict_keeps_a_shared_brand_out_of_review() -> None:
    # Camel Apparel of Bangladesh is not Camel Group of Hubei (issue 10).
    group = ReferenceEntity(id="C", schema="Company", name="Camel Group Co., Ltd.", country="CN")
    local = Matcher([group], load_normaliser(), load_algorithm())
    [abroad, unknown] = local.match(
        [Query("Camel Group Co Ltd", "BD"), Query("Camel Group Co Ltd")]
    )
    assert abroad == []
    assert [r.band for r in unknown] == [Band.MATCH]


def test_the_previous_algorithm_still_loads_and_scores_as_fitted() -> None:
    # Features added since version 2 weigh nothing in it, so old reports reproduce.
    old = load_algorithm("threadline-match-2")
    local = Matcher(
        [ReferenceEntity(id="W", schema="Company", name="Wenzhou Meijin Silicon Group Co., Ltd.")],
        load_normaliser(),
        old,
    )
    [results] = local.match([Query("WENZHOU MEIJINKANG SILICON GROUP CO., LTD.")])
    assert [(r.band, r.explanation.algorithm) for r in results] == [
        (Band.MATCH, "threadline-match-2")
    ]


def test_a_tie_goes_to_the_name_written_alike() -> None:
    # Textile and knitting are one business concept, so both keys are identical.
    entities = [
        ReferenceEntity(id=f"E{i}", schema="Company", name=f"Jiujiang Huichen {trade} Co., Ltd.")
        for i, trade in enumerate(("Textile", "Knitting"))
    ]
    local = Matcher(entities, load_normaliser(), load_algorithm())
    for i, query in enumerate(("JIUJIANG HUICHEN TEXTILE CO LTD", "Jiujiang Huichen Knitting")):
        [results] = local.match([Query(query)])
        assert [r.score for r in results[:1]] == [results[1].score]
        assert results[0].entity.id == f"E{i}"
