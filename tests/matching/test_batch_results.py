"""What a batch writes must not depend on how it is computed: chunking, threads, duplicates,
the `top` cut and the bulk explanations give the rows one query at a time would."""

import dataclasses
import itertools
import multiprocessing
import random
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pytest

from threadline import matching
from threadline.data.rules import load_algorithm
from threadline.data.vocab import load_normaliser
from threadline.decide import band_for
from threadline.matching import Matcher, MatchLine, Query
from threadline.model import MatchResult, ReferenceEntity
from threadline.score import FEATURES

PLACES = ["Hotan", "Aksu", "Kashgar", "Urumqi", "Shenyang", "Wenzhou", "和田", "阿克苏"]
SYLLABLES = ["hua", "tai", "xin", "long", "feng", "kang", "jin", "rui", "da", "yuan", "mei"]
TRADES = ["Textile", "Technology", "Industrial", "Silicon", "Apparel", "Electronics"]
LEGAL = ["Co., Ltd.", "Group Co., Ltd.", "Limited", ""]


@pytest.fixture(scope="module")
def dense() -> tuple[Matcher, list[Query]]:
    """A crowded register (shared places, brand syllables and trades) and queries that are
    its names rewritten, near misses and new names, some of them repeated."""
    rng = random.Random(10)
    brands = [f"{a}{b}".capitalize() for a, b in itertools.permutations(SYLLABLES, 2)]
    entities = [
        ReferenceEntity(
            id=f"E{i}",
            schema="Company",
            name=f"{rng.choice(PLACES)} {rng.choice(brands)} {rng.choice(TRADES)} "
            f"{rng.choice(LEGAL)}".strip(),
            country=rng.choice(["CN", "CN", ""]),
        )
        for i in range(900)
    ]
    queries: list[Query] = []
    for entity in rng.sample(entities, 150):
        name = entity.name
        queries.append(Query(rng.choice([name, name.upper(), name[:-3], name.replace("a", "e")])))
    for _ in range(150):
        made_up = f"{rng.choice(PLACES)} {rng.choice(brands)}{rng.choice(SYLLABLES)} Trading"
        queries.append(Query(made_up, rng.choice(["CN", "US", ""])))
    queries += rng.sample(queries, 40)  # manifests repeat names
    rng.shuffle(queries)
    return Matcher(entities, load_normaliser(), load_algorithm(), threads=1), queries


def rows(results: list[list[MatchResult]]) -> list[list[tuple[str, float, str, str]]]:
    return [
        [(r.entity.id, r.score, r.band.value, r.explanation.summary()) for r in found]
        for found in results
    ]


def test_chunks_threads_and_the_top_cut_change_nothing(dense: tuple[Matcher, list[Query]]) -> None:
    matcher, queries = dense
    # Compared as written (a single query sums its features in another order than a batch,
    # so raw values may differ in their last bits).
    whole = rows(matcher.match(queries, floor=0.0, top=50))
    assert sum(len(found) > 5 for found in whole) > 50  # the cut below has work to do
    for chunk_size, threads in ((1, 1), (7, 2), (len(queries), 2)):
        other = Matcher.from_state(
            matcher.state(),
            matcher.normaliser,
            matcher.algorithm,
            chunk_size=chunk_size,
            threads=threads,
        )
        assert rows(other.match(queries, floor=0.0, top=50)) == whole, (chunk_size, threads)
    assert rows(matcher.match(queries, floor=0.0, top=3)) == [found[:3] for found in whole]


def lines(found: list[list[MatchLine]]) -> list[list[tuple[str, float, str, str]]]:
    return [[(r.entity.id, r.score, r.band.value, r.summary) for r in rows] for rows in found]


def test_summaries_are_those_of_the_explanations(dense: tuple[Matcher, list[Query]]) -> None:
    matcher, queries = dense
    values = matcher.candidates(queries).features[:800]
    values[3] = 0.0
    values[5, FEATURES.index("fuzzy")] = -0.5  # ordered by strength, whatever its sign
    names = [f"query {i}" for i in range(len(values))]
    candidates = [f"candidate {i}" for i in range(len(values))]
    explained = matcher.algorithm.explain_rows(
        values, [(n, "") for n in names], [(c, "") for c in candidates]
    )
    summaries = matcher.algorithm.summaries(values, names, candidates)
    assert summaries == [e.summary() for e in explained]
    assert summaries[3] == "'query 3' ~ 'candidate 3'"
    assert len({s.split(": ")[1] for s in summaries if ": " in s}) > 50


def test_lines_are_the_results_as_written(
    dense: tuple[Matcher, list[Query]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`line_stream` writes what `match_stream` does, also where a query's registration code
    revises its rows (the same, another or no entity holding it)."""
    base, queries = dense
    code, other = "91650100MA7ABCDE15", "91310000MA1FL7M19D"
    entities = list(base.entities)
    entities[0] = dataclasses.replace(entities[0], identifiers=(code,))
    entities[1] = dataclasses.replace(entities[1], identifiers=(other,))
    matcher = Matcher(entities, base.normaliser, base.algorithm, threads=1)
    coded = [
        Query(entities[0].name, identifier=code),
        Query(entities[1].name, identifier=code),
        Query(entities[2].name, identifier=other),
        Query("Nothing Like Any Of Them", identifier=code),
    ]
    batches = [queries[:100] + coded, coded + queries[100:]]
    expected = [rows(found) for found in matcher.match_stream(batches, top=3)]
    assert [lines(found) for found in matcher.line_stream(batches, top=3)] == expected
    assert expected[1][0][0][0] == entities[0].id and expected[1][3][0][0] == entities[0].id
    monkeypatch.setattr(matching, "_FORKED_QUERIES", 50)
    monkeypatch.setattr(matching, "_FORKED_PART", 37)
    forked = matcher.line_stream(batches, top=3, processes=2)
    assert [lines(found) for found in forked] == expected


def test_a_repeated_name_gets_the_same_rows(dense: tuple[Matcher, list[Query]]) -> None:
    matcher, queries = dense
    by_query: dict[Query, list[MatchResult]] = {}
    repeated = 0
    for query, found in zip(queries, matcher.match(queries), strict=True):
        if query in by_query:
            repeated += 1
            assert by_query[query] == found, query
        by_query[query] = found
    assert repeated >= 30


def test_every_written_row_is_ranked_banded_and_explained(
    dense: tuple[Matcher, list[Query]],
) -> None:
    matcher, queries = dense
    algorithm = matcher.algorithm
    found_any = 0
    for query, found in zip(queries, matcher.match(queries, top=4), strict=True):
        assert len(found) <= 4
        assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
        assert len({r.entity.id for r in found}) == len(found)
        for result in found:
            found_any += 1
            band = band_for(result.score, algorithm.match_threshold, algorithm.review_threshold)
            assert result.score >= algorithm.review_threshold - 5e-5
            assert result.band is band
            explanation = result.explanation
            assert explanation.query_name == query.name
            assert explanation.candidate_name in result.entity.all_names
            assert explanation.algorithm == algorithm.label
            assert explanation.features, result
            assert all(f.value != 0 and f.query and f.candidate for f in explanation.features)
    assert found_any > 100


def test_bulk_explanations_are_those_of_each_pair(dense: tuple[Matcher, list[Query]]) -> None:
    matcher, queries = dense
    values = matcher.candidates(queries).features[:500]
    values[7] = 0.0  # a pair with no feature present explains itself with none
    names = [(f"query {i}", f"q{i}") for i in range(len(values))]
    candidates = [(f"candidate {i}", f"c{i}") for i in range(len(values))]
    bulk = matcher.algorithm.explain_rows(values, names, candidates)
    one_by_one = [
        matcher.algorithm.explain(v, q, c)
        for v, q, c in zip(values, names, candidates, strict=True)
    ]
    assert bulk == one_by_one
    assert bulk[7].features == ()
    assert np.count_nonzero(values) == sum(len(e.features) for e in bulk)


def test_forked_workers_write_what_one_process_does(
    dense: tuple[Matcher, list[Query]], monkeypatch: pytest.MonkeyPatch
) -> None:
    matcher, queries = dense
    monkeypatch.setattr(matching, "_FORKED_QUERIES", 50)
    monkeypatch.setattr(matching, "_FORKED_PART", 37)
    batches = [queries[:120], queries[120:121], queries[121:]]
    # Other tests in this worker may have left their own children running.
    before = set(multiprocessing.active_children())
    stream = matcher.match_stream(batches, top=3, processes=2)
    first = next(stream)
    assert set(multiprocessing.active_children()) - before  # the workers ranked it
    forked = [first, *stream]
    assert [rows(found) for found in forked] == [rows(matcher.match(b, top=3)) for b in batches]
    assert not set(multiprocessing.active_children()) - before
    # Another algorithm, per call, reaches the workers.
    old = load_algorithm("threadline-match-2")
    streamed = matcher.match_stream(batches, algorithm=old, processes=2)
    assert [rows(found) for found in streamed] == [
        rows(matcher.match(b, algorithm=old)) for b in batches
    ]


def test_a_batch_that_fails_to_read_stops_the_workers(
    dense: tuple[Matcher, list[Query]], monkeypatch: pytest.MonkeyPatch
) -> None:
    matcher, queries = dense
    monkeypatch.setattr(matching, "_FORKED_QUERIES", 50)

    def batches() -> Iterator[list[Query]]:
        yield queries[:100]
        raise ValueError("queries.csv row 101: no name")

    before = set(multiprocessing.active_children())  # other tests' children
    with pytest.raises(ValueError, match="row 101"):
        list(matcher.match_stream(batches(), processes=2))
    assert not set(multiprocessing.active_children()) - before


def test_caps_and_floors_hold_on_every_candidate(dense: tuple[Matcher, list[Query]]) -> None:
    matcher, queries = dense
    algorithm = matcher.algorithm
    features = matcher.candidates(queries).features
    scores = algorithm.score(features)

    def present(names: tuple[str, ...]) -> npt.NDArray[np.bool_]:
        return features[:, [FEATURES.index(n) for n in names]] > 0

    capped = present(algorithm.review_caps).any(axis=1)
    kept_out = present(algorithm.no_match_caps).any(axis=1)
    lifted = np.any([present(f).all(axis=1) for f in algorithm.review_floors], axis=0)
    assert capped.sum() > 100 and kept_out.sum() > 100 and (lifted & ~kept_out).sum() > 10
    assert (scores[capped] < algorithm.match_threshold).all()
    assert (scores[kept_out] < algorithm.review_threshold).all()
    assert (scores[lifted & ~kept_out] >= algorithm.review_threshold).all()
    free = ~(capped | kept_out | lifted)
    # The product over all pairs, as score() takes it: over a subset BLAS may sum in another
    # order (a last-bit difference).
    logits = (features @ np.asarray(algorithm.weights) + algorithm.bias)[free]
    assert np.array_equal(scores[free], 1.0 / (1.0 + np.exp(-logits)))


@pytest.mark.parametrize(
    ("load", "cores", "idle"), [(0.1, 2, 2), (1.2, 2, 1), (6.5, 2, 1), (0.0, 16, 8)]
)
def test_workers_go_only_to_idle_cores(
    monkeypatch: pytest.MonkeyPatch, load: float, cores: int, idle: int
) -> None:
    monkeypatch.setattr(matching.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(matching.os, "cpu_count", lambda: cores)
    assert matching.idle_cores() == idle
