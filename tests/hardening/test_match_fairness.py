"""Issue 16, failure 4: one /match request of many names held up every other request. Parts of
a big request now take turns with the small requests waiting behind it."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from threadline.matching import Query
from threadline.server.batching import MAX_BATCH, MatchBatcher


class SlowMatcher:
    """Stands in for the matcher: each call takes time and records whose names it scored."""

    def __init__(self) -> None:
        self.calls: list[set[str]] = []

    def match(
        self, queries: list[Query], *, floor: float, top: int, algorithm: Any = None
    ) -> list[list[Any]]:
        self.calls.append({q.name.split("-")[0] for q in queries})
        time.sleep(0.00005 * len(queries))  # the matcher's time grows with the names
        return [[] for _ in queries]


def test_a_small_request_is_not_stuck_behind_a_big_one() -> None:
    matcher = SlowMatcher()

    async def run() -> tuple[bool, int]:
        batcher = MatchBatcher()
        big = [Query(f"big-{i}") for i in range(10 * MAX_BATCH)]
        big_task = asyncio.create_task(batcher.match(matcher, big, floor=0, top=1))  # type: ignore[arg-type]
        await asyncio.sleep(0)
        small = await batcher.match(matcher, [Query("small-1")], floor=0, top=1)  # type: ignore[arg-type]
        big_still_running = not big_task.done()
        found = await big_task
        return big_still_running, len(found) + len(small)

    with ThreadPoolExecutor(1) as thread:
        big_still_running, answers = thread.submit(asyncio.run, run()).result()
    assert answers == 10 * MAX_BATCH + 1  # everyone got an answer per name
    assert big_still_running, matcher.calls  # served between the big request's parts
    assert all(len(call) <= 2 for call in matcher.calls)
