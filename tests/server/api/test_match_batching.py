"""Concurrent /match requests scored in one matcher call get what each would get alone."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from api_support import Api

from threadline.data.rules import DEFAULT_ALGORITHM, load_algorithm
from threadline.matching import Query
from threadline.model import MatchResult
from threadline.server.batching import MatchBatcher

NAMES = [
    "HOSHINE SILICON INDUSTRY (SHANSHAN) CO LTD",
    "新疆协鑫新能源材料科技有限公司",
    "Acme Widgets GmbH",
    "Xinjiang Production and Construction Corps",
    "Hangzhou Hikvision Digital Technology",
]


def test_batched_results_equal_single_results(api: Api) -> None:
    matcher = api.app.state.services.screener().matcher
    settings = [(0.1, 5), (0.5, 1), (0.3, 3), (0.2, 2), (0.0, 4)]

    async def run_all() -> list[list[list[object]]]:
        batcher = MatchBatcher()
        return await asyncio.gather(
            *(
                batcher.match(matcher, [Query(name)], floor=floor, top=top)
                for name, (floor, top) in zip(NAMES, settings, strict=True)
            )
        )

    # A loop of its own in a thread of its own: the browser tests' Playwright may hold one here.
    with ThreadPoolExecutor(1) as thread:
        batched = thread.submit(asyncio.run, run_all()).result()
    for name, (floor, top), got in zip(NAMES, settings, batched, strict=True):
        alone = matcher.match([Query(name)], floor=floor, top=top)
        assert [(r.entity.id, r.score, r.band) for r in got[0]] == [
            (r.entity.id, r.score, r.band) for r in alone[0]
        ], name
    assert any(batched[i][0] for i in range(len(NAMES)))


def test_requests_scored_by_other_algorithms_are_not_batched_together(api: Api) -> None:
    matcher = api.app.state.services.screener().matcher
    algorithms = [load_algorithm(name) for name in ("threadline-match-2", DEFAULT_ALGORITHM)]
    asked = [(name, algorithms[i % 2]) for i, name in enumerate(NAMES * 2)]

    async def run_all() -> list[list[list[MatchResult]]]:
        batcher = MatchBatcher()
        return await asyncio.gather(
            *(
                batcher.match(matcher, [Query(name)], floor=0.0, top=3, algorithm=algorithm)
                for name, algorithm in asked
            )
        )

    with ThreadPoolExecutor(1) as thread:
        batched = thread.submit(asyncio.run, run_all()).result()
    seen = [[(r.entity.id, r.score, r.explanation.algorithm) for r in got[0]] for got in batched]
    alone = [
        [
            (r.entity.id, r.score, r.explanation.algorithm)
            for r in matcher.match([Query(name)], floor=0.0, top=3, algorithm=algorithm)[0]
        ]
        for name, algorithm in asked
    ]
    assert seen == alone
    # The two algorithms score the same name differently: a request scored by the other's
    # weights would show.
    assert seen[: len(NAMES)] != seen[len(NAMES) :]
    assert matcher.algorithm == load_algorithm(DEFAULT_ALGORITHM)
