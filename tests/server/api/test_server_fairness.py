"""Issue 16: `/health` answers within 100 ms under load. Nothing a /match request does may block
the event loop (the soak found /health at 1.7 s), and only so many /match requests are in
progress at once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from api_support import Api
from starlette.types import Receive, Scope, Send

from threadline.importing import import_lists
from threadline.pipeline import Screener
from threadline.server import services as services_module
from threadline.server.middleware import ConcurrencyLimit
from threadline.store import Store

QUERY = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Hoshine Silicon"]}}}}


def test_health_answers_while_match_waits_for_an_index_rebuild(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A /match after an import rebuilds the index (seconds); that was done on the event loop."""
    real = services_module.build_screener

    def slow_build(store: Store) -> Screener:
        time.sleep(1.5)
        return real(store)

    monkeypatch.setattr(services_module, "build_screener", slow_build)
    monkeypatch.setattr(services_module, "_RECHECK_S", 0.0)
    listed = tmp_path / "watch.csv"
    listed.write_text("id,name,country\nw1,Quillfeather Example Spinning Co,CN\n")
    import_lists(api.app.state.services.store, listed, list_name="Watch list")

    async def run() -> tuple[float, bool, httpx.Response]:
        transport = httpx.ASGITransport(app=api.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            matching = asyncio.create_task(
                client.post("/match/default", json=QUERY, headers=api.headers())
            )
            started = time.perf_counter()
            await asyncio.sleep(0.3)  # the match is now waiting for the rebuild (1.5 s)
            health = await client.get("/health")
            took = time.perf_counter() - started - 0.3
            assert health.status_code == 200
            return took, matching.done(), await matching

    took, match_done_first, matched = asyncio.run(run())
    assert matched.status_code == 200, matched.text
    assert not match_done_first
    assert took < 0.5, f"/health took {took:.2f} s while the index was rebuilt"


def test_match_requests_in_progress_are_bounded_and_others_pass() -> None:
    in_progress = 0
    most_seen = 0

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal in_progress, most_seen
        in_progress += 1
        most_seen = max(most_seen, in_progress)
        await asyncio.sleep(0.05 if scope["path"].startswith("/match/") else 0)
        in_progress -= 1

    limited = ConcurrencyLimit(app, most=4, prefix="/match/")

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b""}

    async def send(_message: object) -> None:
        return None

    async def call(path: str) -> None:
        await limited({"type": "http", "path": path}, receive, send)  # type: ignore[arg-type]

    async def run() -> float:
        matches = [asyncio.create_task(call("/match/default")) for _ in range(20)]
        await asyncio.sleep(0.01)
        started = time.perf_counter()
        await call("/health")  # not held up by the /match requests waiting their turn
        took = time.perf_counter() - started
        await asyncio.gather(*matches)
        return took

    took = asyncio.run(run())
    assert most_seen == 5  # four /match requests and the /health request
    assert took < 0.04
