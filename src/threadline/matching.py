"""The matching engine: normalise → candidates → score → band, for a batch of query names.

Pure and in memory: built once from reference entities, then `match` is called on batches.
The same object serves `screen`, `match`, the API and a Spark executor (it pickles).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

import numpy as np
from rapidfuzz import fuzz, process, utils

from threadline.built_cache import paused_gc
from threadline.candidates import (
    Encoded,
    IntArray,
    NameVectors,
    ReferenceIndex,
    Vocabulary,
    anchored,
    build_index,
    candidate_pairs,
    describe_key,
    encode,
    encode_reference,
    merge,
)
from threadline.candidates.vectors import Int32Array
from threadline.decide import band_for
from threadline.decide.identifiers import apply_identifier
from threadline.model import Band, MatchResult, ReferenceEntity
from threadline.normalise.identifiers import normalise_uscc
from threadline.normalise.names import NameKey, NameNormaliser, load_pinyin
from threadline.normalise.text import has_han
from threadline.orphans import die_with_parent
from threadline.score import Algorithm, PairContext, feature_matrix
from threadline.score.features import FloatArray

_CANDIDATES_PER_QUERY = 20
# Queries matched together: the candidate and feature arrays grow with a chunk, not with the
# whole batch, so memory stays bounded however many queries come in.
_QUERY_CHUNK = 4000
# References with more names than this are encoded by one process per core, in parts.
_PARALLEL_NAMES = 50_000
# Chunks with fewer queries run on one thread: starting worker threads (sparse_dot_topn,
# rapidfuzz) costs milliseconds, more than scoring a few hundred names takes.
_THREADED_QUERIES = 256
# A stream whose first batch has fewer queries is matched in this process: forking workers
# costs more than they save on it. Workers take parts this large (several per batch, so both
# cores stay busy to the end of a batch).
_FORKED_QUERIES = 4000
_FORKED_PART = 1000


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    country: str = ""
    identifier: str = ""


@dataclass(frozen=True, slots=True)
class MatcherState:
    """What a matcher builds from its reference: kept to skip the build (index_cache.py)."""

    entities: tuple[ReferenceEntity, ...]
    index: ReferenceIndex
    countries: dict[str, int]
    row_countries: Int32Array
    identifiers: dict[str, set[int]]


@dataclass(frozen=True, slots=True)
class CandidatePairs:
    """A chunk's candidate pairs and their feature values (one row per pair)."""

    keys: Sequence[NameKey]
    q_rows: IntArray
    r_rows: IntArray
    features: FloatArray


@dataclass(frozen=True, slots=True)
class RankedRows:
    """A chunk's rows to write, best first per query, before they become results: plain
    values and one array, which a matching worker sends back quickly."""

    queries: list[int]  # each row's query, as its position in the chunk
    entities: list[int]
    scores: list[float]
    features: FloatArray  # each row's feature values
    query_descriptions: dict[int, str]  # by query position
    candidates: list[tuple[str, str]]  # each row's reference name and its description
    # Each row's explanation as one line, where only that is wanted (`match_lines`): then
    # descriptions are made only for queries with an identifier, whose rows it may revise.
    summaries: list[str] | None = None


class MatchLine(NamedTuple):
    """A result as `match` writes it: the explanation as its one-line summary."""

    entity: ReferenceEntity
    score: float
    band: Band
    summary: str


class Matcher:
    def __init__(
        self,
        entities: Sequence[ReferenceEntity],
        normaliser: NameNormaliser,
        algorithm: Algorithm,
        *,
        chunk_size: int = _QUERY_CHUNK,
        threads: int | None = None,
    ) -> None:
        self.chunk_size = chunk_size
        self.threads = threads or min(os.cpu_count() or 1, 8)
        self.entities = tuple(entities)
        self.normaliser = normaliser
        self.algorithm = algorithm
        # Each distinct name of each entity, and whose it is, in flat buffers: a million
        # entities' names as (position, name) tuples were a tenth of the index build's memory.
        owners = array("i")
        names: list[str] = []
        for position, entity in enumerate(self.entities):
            for name in dict.fromkeys(entity.all_names):
                if name:
                    owners.append(position)
                    names.append(name)
        with paused_gc():
            parts = _encode_reference(names, normaliser, self.threads)
            encoded, vocabulary = merge(parts) if len(parts) > 1 else parts[0]
            del parts  # the merged arrays are copies: the parts' go before the index is built
            self.index: ReferenceIndex = build_index(
                np.frombuffer(owners, dtype=np.int32), names, encoded, vocabulary
            )
        self._countries: dict[str, int] = {}
        self._row_countries = self._country_ids(
            [self.entities[e].country for e in self.index.entity_of_row], grow=True
        )
        self._identifiers: dict[str, set[int]] = {}
        for position, entity in enumerate(self.entities):
            for identifier in entity.identifiers:
                code = normalise_uscc(identifier)
                if code:
                    self._identifiers.setdefault(code, set()).add(position)

    def state(self) -> MatcherState:
        return MatcherState(
            self.entities, self.index, self._countries, self._row_countries, self._identifiers
        )

    @classmethod
    def from_state(
        cls,
        state: MatcherState,
        normaliser: NameNormaliser,
        algorithm: Algorithm,
        *,
        chunk_size: int = _QUERY_CHUNK,
        threads: int | None = None,
    ) -> Matcher:
        """A matcher over an index built before (by a matcher with the same normaliser)."""
        matcher = cls.__new__(cls)
        matcher.chunk_size = chunk_size
        matcher.threads = threads or min(os.cpu_count() or 1, 8)
        matcher.normaliser, matcher.algorithm = normaliser, algorithm
        matcher.entities, matcher.index = state.entities, state.index
        matcher._countries = dict(state.countries)
        matcher._row_countries = state.row_countries
        matcher._identifiers = state.identifiers
        return matcher

    def match(
        self,
        queries: Sequence[Query],
        *,
        floor: float | None = None,
        top: int = 5,
        algorithm: Algorithm | None = None,
    ) -> list[list[MatchResult]]:
        """Per query, the best entities scoring at least `floor` (default: the review
        threshold), best first, at most `top`. `algorithm` scores this call (default: the
        matcher's own): the index does not depend on it, so one matcher serves every algorithm
        and nothing about a call outlives it."""
        algorithm, floor = self._scoring(algorithm, floor)
        return self._match_batch(queries, floor, top, algorithm, False, self._results)

    def _scoring(self, algorithm: Algorithm | None, floor: float | None) -> tuple[Algorithm, float]:
        """A call's algorithm (else the matcher's) and floor (else its review threshold)."""
        chosen = self.algorithm if algorithm is None else algorithm
        return chosen, chosen.review_threshold if floor is None else floor

    def match_stream(
        self,
        batches: Iterable[Sequence[Query]],
        *,
        floor: float | None = None,
        top: int = 5,
        algorithm: Algorithm | None = None,
        processes: int = 1,
    ) -> Iterator[list[list[MatchResult]]]:
        """`match` of each batch, in order. With `processes` > 1 and a first batch large enough
        to pay for them, forked workers rank the candidates of a batch's parts (normalising
        is pure Python: threads would not run it in parallel) while this process explains and
        hands back the batch before."""
        algorithm, floor = self._scoring(algorithm, floor)
        return self._stream(batches, floor, top, algorithm, processes, False, self._results)

    def line_stream(
        self,
        batches: Iterable[Sequence[Query]],
        *,
        floor: float | None = None,
        top: int = 5,
        algorithm: Algorithm | None = None,
        processes: int = 1,
    ) -> Iterator[list[list[MatchLine]]]:
        """`match_stream` with each result as the line `match` writes: the same rows, the
        explanation as its summary, made without an explanation object per row and feature."""
        algorithm, floor = self._scoring(algorithm, floor)
        return self._stream(batches, floor, top, algorithm, processes, True, self._lines)

    def _match_batch(
        self,
        queries: Sequence[Query],
        floor: float,
        top: int,
        algorithm: Algorithm,
        summarise: bool,
        finish: Callable[[Sequence[Query], RankedRows, Algorithm], list[list[T]]],
    ) -> list[list[T]]:
        results: list[list[T]] = []
        with paused_gc():
            for start in range(0, len(queries), self.chunk_size):
                chunk = queries[start : start + self.chunk_size]
                ranked = self._rank(chunk, floor, top, algorithm, summarise=summarise)
                results.extend(finish(chunk, ranked, algorithm))
        return results

    def _stream(
        self,
        batches: Iterable[Sequence[Query]],
        floor: float,
        top: int,
        algorithm: Algorithm,
        processes: int,
        summarise: bool,
        finish: Callable[[Sequence[Query], RankedRows, Algorithm], list[list[T]]],
    ) -> Iterator[list[list[T]]]:
        batches = iter(batches)
        first = next(batches, None)
        if first is None:
            return
        if (
            processes < 2
            or len(first) < _FORKED_QUERIES
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            for batch in itertools.chain([first], batches):
                yield self._match_batch(batch, floor, top, algorithm, summarise, finish)
            return
        global _matching
        _before_fork(q.name for q in first)
        with paused_gc():
            _matching = self  # inherited by the forked workers, never pickled
            try:
                with worker_pool(processes) as pool:
                    pending: deque[tuple[Sequence[Query], list[Future[RankedRows]]]] = deque()
                    for batch in itertools.chain([first], batches):
                        # Queries go to the workers as plain tuples: a dataclass pickles
                        # through Python code, 6 ms a thousand, in this process.
                        parts = [
                            pool.submit(
                                _rank_part,
                                [
                                    (q.name, q.country, q.identifier)
                                    for q in batch[start : start + _FORKED_PART]
                                ],
                                floor,
                                top,
                                algorithm,
                                summarise,
                            )
                            for start in range(0, len(batch), _FORKED_PART)
                        ]
                        pending.append((batch, parts))
                        if len(pending) > 1:  # the workers go on with this batch meanwhile
                            yield self._collect(*pending.popleft(), algorithm, finish)
                    while pending:
                        yield self._collect(*pending.popleft(), algorithm, finish)
            finally:
                _matching = None

    def _collect(
        self,
        batch: Sequence[Query],
        parts: list[Future[RankedRows]],
        algorithm: Algorithm,
        finish: Callable[[Sequence[Query], RankedRows, Algorithm], list[list[T]]],
    ) -> list[list[T]]:
        results: list[list[T]] = []
        for start, part in zip(range(0, len(batch), _FORKED_PART), parts, strict=True):
            chunk = batch[start : start + _FORKED_PART]
            results.extend(finish(chunk, part.result(), algorithm))
        return results

    def candidates(self, queries: Sequence[Query], *, threads: int | None = None) -> CandidatePairs:
        """Candidate pairs of a batch of queries with their features (also for fitting)."""
        keys = self._query_keys(queries)
        if threads is None:
            threads = self.threads if len(queries) >= _THREADED_QUERIES else 1
        vectors: NameVectors = encode(self.index, keys, self.normaliser.ancestors)
        q_rows, r_rows = candidate_pairs(
            self.index, vectors, anchored(self.index, keys), _CANDIDATES_PER_QUERY, threads
        )
        context = PairContext(
            query_countries=self._country_ids([q.country for q in queries], grow=False),
            reference_countries=self._row_countries,
        )
        features = feature_matrix(vectors, self.index.vectors, q_rows, r_rows, context, threads)
        return CandidatePairs(keys, q_rows, r_rows, features)

    def exhaustive_scores(self, query: Query) -> FloatArray:
        """The query's score against every reference name row, without the candidate search:
        the yardstick the search's recall is measured by (bench, tests), never the hot path."""
        n = self.index.size
        keys = self._query_keys([query])
        vectors = encode(self.index, keys, self.normaliser.ancestors)
        context = PairContext(
            query_countries=self._country_ids([query.country], grow=False),
            reference_countries=self._row_countries,
        )
        q_rows, r_rows = np.zeros(n, dtype=np.int64), np.arange(n, dtype=np.int64)
        features = feature_matrix(vectors, self.index.vectors, q_rows, r_rows, context)
        return self.algorithm.score(features)

    def _rank(
        self,
        queries: Sequence[Query],
        floor: float,
        top: int,
        algorithm: Algorithm,
        threads: int | None = None,
        *,
        summarise: bool = False,
    ) -> RankedRows:
        """The rows to write for a chunk, best first per query: everything but the result
        objects, so a worker process can send it back cheaply. `summarise`: with each row's
        explanation as the line `match` writes (see RankedRows.summaries)."""
        pairs = self.candidates(queries, threads=threads)
        q_rows, r_rows = pairs.q_rows, pairs.r_rows
        scores = algorithm.score(pairs.features)
        entity = self.index.entity_of_row[r_rows]

        # Best name row per (query, entity), then best entities per query.
        order = np.lexsort((-scores, entity, q_rows))
        q_sorted, e_sorted = q_rows[order], entity[order]
        first = np.ones(order.size, dtype=bool)
        first[1:] = (q_sorted[1:] != q_sorted[:-1]) | (e_sorted[1:] != e_sorted[:-1])
        best = order[first]
        best = best[scores[best] >= floor]
        # Ranked by the reported (rounded) score, then by how alike the names are as written
        # (Huichen Textile before Huichen Knitting, one concept to the key), then by entity:
        # the order then does not hang on float noise between the single-query and the batch
        # paths.
        alike = process.cpdist(
            [queries[q].name for q in q_rows[best].tolist()],
            [self.index.names[r] for r in r_rows[best].tolist()],
            scorer=fuzz.ratio,
            processor=utils.default_process,
        )
        ranked = best[np.lexsort((entity[best], -alike, -np.round(scores[best], 4)))]
        # The first `top` of each query, grouped by query in ranked order: the rows written.
        by_query = ranked[np.argsort(q_rows[ranked], kind="stable")]
        grouped = q_rows[by_query]
        place = np.arange(grouped.size) - np.searchsorted(grouped, grouped, side="left")
        kept = by_query[place < top]
        kept_q, kept_r = q_rows[kept].tolist(), r_rows[kept].tolist()
        names = [self.index.names[r] for r in kept_r]
        summaries = None
        described = set(kept_q)
        if summarise:
            summaries = algorithm.summaries(
                pairs.features[kept], [queries[q].name for q in kept_q], names
            )
            described = {q for q in described if queries[q].identifier}
        # Each query's and each reference row's description once, for all rows naming it.
        q_described = {q: describe_key(pairs.keys[q]) for q in described}
        r_described = {
            r: self.index.describe_row(r)
            for r in {r for r, q in zip(kept_r, kept_q, strict=True) if q in described}
        }
        return RankedRows(
            queries=kept_q,
            entities=entity[kept].tolist(),
            scores=scores[kept].tolist(),
            features=pairs.features[kept],
            query_descriptions=q_described,
            candidates=[
                (name, r_described.get(r, "")) for name, r in zip(names, kept_r, strict=True)
            ],
            summaries=summaries,
        )

    def _results(
        self, queries: Sequence[Query], ranked: RankedRows, algorithm: Algorithm
    ) -> list[list[MatchResult]]:
        results: list[list[MatchResult]] = [[] for _ in queries]
        every = range(len(ranked.queries))
        for q, result in zip(
            ranked.queries, self._explained(queries, ranked, every, algorithm), strict=True
        ):
            results[q].append(result)
        for q, query in enumerate(queries):
            if query.identifier:
                results[q] = apply_identifier(
                    query.name, query.identifier, results[q], self._holders, algorithm.label
                )
        return results

    def _lines(
        self, queries: Sequence[Query], ranked: RankedRows, algorithm: Algorithm
    ) -> list[list[MatchLine]]:
        if ranked.summaries is None:
            raise ValueError("_lines needs rows ranked with their summaries")
        lines: list[list[MatchLine]] = [[] for _ in queries]
        match_at, review_at = algorithm.match_threshold, algorithm.review_threshold
        entities = self.entities
        revisable: dict[int, list[int]] = {}  # rows of queries with an identifier
        for row, (q, e, score, summary) in enumerate(
            zip(ranked.queries, ranked.entities, ranked.scores, ranked.summaries, strict=True)
        ):
            if queries[q].identifier:
                revisable.setdefault(q, []).append(row)
            else:
                band = band_for(score, match_at, review_at)
                lines[q].append(MatchLine(entities[e], round(score, 4), band, summary))
        for q, query in enumerate(queries):
            if query.identifier:
                found = self._explained(queries, ranked, revisable.get(q, []), algorithm)
                revised = apply_identifier(
                    query.name, query.identifier, found, self._holders, algorithm.label
                )
                lines[q] = [
                    MatchLine(r.entity, r.score, r.band, r.explanation.summary()) for r in revised
                ]
        return lines

    def _explained(
        self,
        queries: Sequence[Query],
        ranked: RankedRows,
        rows: Sequence[int],
        algorithm: Algorithm,
    ) -> list[MatchResult]:
        """The result of each of the ranked `rows`, with its explanation."""
        at = [ranked.queries[i] for i in rows]
        explanations = algorithm.explain_rows(
            ranked.features[list(rows)] if len(rows) < len(ranked.queries) else ranked.features,
            [(queries[q].name, ranked.query_descriptions[q]) for q in at],
            [ranked.candidates[i] for i in rows],
        )
        match_at, review_at = algorithm.match_threshold, algorithm.review_threshold
        return [
            MatchResult(
                entity=self.entities[ranked.entities[i]],
                score=round(ranked.scores[i], 4),
                band=band_for(ranked.scores[i], match_at, review_at),
                explanation=explanation,
            )
            for i, explanation in zip(rows, explanations, strict=True)
        ]

    def _query_keys(self, queries: Sequence[Query]) -> list[NameKey]:
        """Each distinct name once (manifests repeat names), through the normaliser's cache."""
        distinct = {q.name: self.normaliser.key(q.name) for q in queries}
        return [distinct[q.name] for q in queries]

    def _country_ids(self, countries: Sequence[str], *, grow: bool) -> Int32Array:
        """Countries as ids, 0 for unknown; a query country no reference row has gets -1."""
        ids = self._countries
        if grow:
            return np.fromiter(
                (ids.setdefault(c, len(ids) + 1) if c else 0 for c in countries),
                np.int32,
                len(countries),
            )
        return np.fromiter(
            (ids.get(c, -1) if c else 0 for c in countries), np.int32, len(countries)
        )

    def _holders(self, code: str) -> list[ReferenceEntity]:
        """The entities registered under a code, in index order."""
        return [self.entities[p] for p in sorted(self._identifiers.get(code, ()))]


def idle_cores(most: int = 8) -> int:
    """Cores no other process is busy on, by the last minute's load average: at least one.
    Forked workers only pay on idle cores (busy ones are shared, and workers cost a fifth
    more CPU than matching in one process)."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:  # no load average on this system
        busy = 0.0
    return max(1, min(most, cores - round(busy)))


# The matcher of a `match_stream`, for the worker processes it forks.
_matching: Matcher | None = None


def _rank_part(
    queries: list[tuple[str, str, str]],
    floor: float,
    top: int,
    algorithm: Algorithm,
    summarise: bool,
) -> RankedRows:
    if _matching is None:
        raise RuntimeError("_rank_part runs only in a worker forked by Matcher.match_stream")
    chunk = [Query(*query) for query in queries]
    # One thread each: the processes are the parallelism.
    return _matching._rank(chunk, floor, top, algorithm, threads=1, summarise=summarise)


# The names and normaliser of the reference being encoded, for worker processes that fork.
_job: tuple[Sequence[str], NameNormaliser] | None = None


def _encode_reference(
    names: Sequence[str], normaliser: NameNormaliser, processes: int
) -> list[tuple[Encoded, Vocabulary]]:
    """The reference encoded whole, or for a large one in parts by forked processes (the
    normalising is pure Python, so threads would not run it in parallel)."""
    global _job
    parts = min(processes, len(names) // _PARALLEL_NAMES)
    if parts < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_encode_slice(names, normaliser, 0, len(names))]
    bounds = np.linspace(0, len(names), parts + 1).astype(int).tolist()
    _before_fork(names)
    _job = (names, normaliser)  # inherited by the forked workers, never pickled
    try:
        with worker_pool(parts) as pool:
            return list(pool.map(_encode_part, bounds[:-1], bounds[1:]))
    finally:
        _job = None


def _before_fork(names: Iterable[str]) -> None:
    """What every worker would load for itself, loaded once before they fork."""
    if any(map(has_han, names)):
        load_pinyin()


def worker_pool(processes: int) -> ProcessPoolExecutor:
    """Forked workers that die with the process that forked them: a SIGTERM or SIGKILL of
    `threadline match` must not leave them, each holding a copy of the reference, to init."""
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(
        processes, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
    )


def _encode_part(start: int, stop: int) -> tuple[Encoded, Vocabulary]:
    if _job is None:
        raise RuntimeError("_encode_part runs only in a worker forked by _encode_reference")
    return _encode_slice(*_job, start, stop)


def _encode_slice(
    names: Sequence[str], normaliser: NameNormaliser, start: int, stop: int
) -> tuple[Encoded, Vocabulary]:
    # Reference names are read once: computed, not kept in the normaliser's cache.
    vocabulary = Vocabulary.for_legal_families(normaliser.legal_families)
    return encode_reference(names[start:stop], normaliser.compute, vocabulary, normaliser.ancestors)
