"""Coalesce concurrent /match requests into one matcher call.

The matcher is built for batches: a call has a fixed cost (array set-up, ~2 ms) and thirty
names cost little more than one. Requests that arrive while a batch is being scored wait for
the next one, so a lone request is never delayed and a busy server scores many names per call.
A request with more names than a batch is cut into batch-sized parts, and the requests take turns
(one part each per call): a huge request cannot hold up the small ones behind it. Only requests
scored by the same algorithm share a call: each is scored as it asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from threadline.matching import Matcher, Query
from threadline.model import MatchResult
from threadline.score import Algorithm

MAX_BATCH = 512  # names per matcher call; more wait for the next call


@dataclass
class _Pending:
    matcher: Matcher
    algorithm: Algorithm | None  # None: the matcher's own
    queries: Sequence[Query]
    floor: float
    top: int
    done: asyncio.Future[list[list[MatchResult]]]
    owner: int  # the request this part belongs to


class MatchBatcher:
    def __init__(self) -> None:
        self._pending: list[_Pending] = []
        self._draining = False
        self._drainer: asyncio.Task[None] | None = None

    async def match(
        self,
        matcher: Matcher,
        queries: Sequence[Query],
        *,
        floor: float,
        top: int,
        algorithm: Algorithm | None = None,
    ) -> list[list[MatchResult]]:
        """What `matcher.match(queries, floor=floor, top=top, algorithm=algorithm)` returns,
        computed in a batch."""
        if not queries:
            return []
        loop = asyncio.get_running_loop()
        parts: list[asyncio.Future[list[list[MatchResult]]]] = []
        owner = id(parts)
        for start in range(0, len(queries), MAX_BATCH):
            done: asyncio.Future[list[list[MatchResult]]] = loop.create_future()
            chunk = queries[start : start + MAX_BATCH]
            self._pending.append(_Pending(matcher, algorithm, chunk, floor, top, done, owner))
            parts.append(done)
        if not self._draining:
            self._draining = True
            self._drainer = loop.create_task(self._drain())  # kept: tasks are weakly held
        return [results for part in await asyncio.gather(*parts) for results in part]

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch: list[_Pending] = []
                size = 0
                first = self._pending[0]
                owners: set[int] = set()
                for item in list(self._pending):
                    if (
                        item.matcher is first.matcher
                        and item.algorithm == first.algorithm
                        and item.owner not in owners
                        and (not batch or size + len(item.queries) <= MAX_BATCH)
                    ):
                        batch.append(item)
                        owners.add(item.owner)
                        size += len(item.queries)
                for item in batch:
                    self._pending.remove(item)
                # Requests just served go behind the others: they take turns.
                self._pending.sort(key=lambda item: item.owner in owners)
                await self._score(first.matcher, first.algorithm, batch)
        finally:
            self._draining = False

    @staticmethod
    async def _score(matcher: Matcher, algorithm: Algorithm | None, batch: list[_Pending]) -> None:
        # The loosest floor and the largest top cover every request; each then keeps its own.
        floor = min(item.floor for item in batch)
        top = max(item.top for item in batch)
        queries = [q for item in batch for q in item.queries]
        try:
            found = await run_in_threadpool(
                matcher.match, queries, floor=floor, top=top, algorithm=algorithm
            )
        except Exception as exc:  # each waiting request answers with the error
            for item in batch:
                if not item.done.done():
                    item.done.set_exception(exc)
            return
        start = 0
        for item in batch:
            mine = found[start : start + len(item.queries)]
            start += len(item.queries)
            if not item.done.done():
                item.done.set_result(
                    [[r for r in results if r.score >= item.floor][: item.top] for results in mine]
                )
