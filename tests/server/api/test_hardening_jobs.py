"""Issue 16, failures 1 and 2 on the server: a hostile upload fails its own job with the reason
and the server goes on; a job that stopped the server twice is not started a third time; the PDF
is its own job, in a child process stopped past its time limit; large screenings get a summary."""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import EXAMPLE, Api, make_api
from hostile_files import tall_workbook
from test_screenings_api import review_pair

from threadline.errors import StoreBusy
from threadline.server import jobs
from threadline.server.pdf import PdfFailed, render_pdf
from threadline.server.reports import PDF_SOURCE


@pytest.fixture(scope="module")
def small_pdf_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from make_api(tmp_path_factory.mktemp("jobs") / "threadline.db", pdf_max_rows=2)


def test_hostile_upload_fails_its_job_with_the_reason(small_pdf_api: Api, tmp_path: Path) -> None:
    book = tmp_path / "tall.xlsx"
    book.write_bytes(tall_workbook())
    created = small_pdf_api.upload(book)
    assert created.status_code == 202, created.text
    failed = small_pdf_api.wait(created.json()["id"], timeout=60)
    assert failed["status"] == "failed"
    assert failed["error"].startswith("tall.xlsx: row 2000000000: ")
    assert "THREADLINE_MAX_XLSX_ROWS" in failed["error"]
    assert small_pdf_api.client.get("/health").status_code == 200


def test_a_job_that_stopped_the_server_twice_is_not_resumed(small_pdf_api: Api) -> None:
    screenings = small_pdf_api.app.state.services.screenings
    user = small_pdf_api.app.state.services.accounts.by_name("reviewer")
    screenings.create(
        "poison0000000000000000000000000",
        user_id=user.id,
        filename="poison.csv",
        content=EXAMPLE.read_bytes(),
        as_of=dt.date(2025, 1, 1),
        data_version="test",
        algorithm="test",
    )
    for _ in range(2):  # started, then the server is killed mid-run
        assert screenings.claim("poison0000000000000000000000000")
        queued = screenings.requeue_interrupted()
    assert "poison0000000000000000000000000" not in queued
    record = screenings.get("poison0000000000000000000000000")
    assert record.status == "failed" and "2 times" in record.error


def test_large_screening_gets_a_summary_pdf_source(small_pdf_api: Api) -> None:
    done = small_pdf_api.wait(small_pdf_api.upload().json()["id"])
    assert done["status"] == "done" and done["total"] > 2
    screenings = small_pdf_api.app.state.services.screenings
    source = screenings.report(done["id"], PDF_SOURCE)
    assert source is not None and b"most severe of" in source
    assert source.count(b"<body>") == 1
    full = screenings.report(done["id"], "html")
    assert full is not None and len(source) < len(full)


def test_a_slow_pdf_render_holds_up_no_screening(
    small_pdf_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Failure 2: WeasyPrint spent 30 minutes on one screening's PDF while three jobs waited."""
    rendering = threading.Event()
    release = threading.Event()

    def stuck_render(*_args: object, **_kwargs: object) -> bytes:
        rendering.set()
        release.wait(60)
        raise PdfFailed("released by the test")

    monkeypatch.setattr(jobs, "report_bytes", stuck_render)
    runner = small_pdf_api.app.state.jobs
    try:
        runner._pdf_pool.submit(runner._render_pdf, "an-earlier-screening")
        assert rendering.wait(30)  # a PDF is now rendering, and stays stuck
        screened = small_pdf_api.wait(small_pdf_api.upload().json()["id"])
        assert screened["status"] == "done"
        assert not release.is_set()
    finally:
        release.set()


@pytest.mark.skipif(sys.platform != "linux", reason="the memory limit is set with setrlimit")
def test_pdf_render_past_its_time_limit_is_stopped() -> None:
    html = "<html><body>" + "<table>" + "<tr><td>x</td></tr>" * 50_000 + "</table></body></html>"
    with pytest.raises(PdfFailed, match="took over"):
        render_pdf(html, timeout_s=0.5, memory_bytes=2 * 1024**3)


def test_a_decision_during_a_held_write_lock_is_never_a_500(
    small_pdf_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = small_pdf_api.wait(small_pdf_api.upload().json()["id"])
    row, entity_id, _ = review_pair(done)
    url = f"/screenings/{done['id']}/rows/{row}/decisions"
    store = small_pdf_api.app.state.services.store
    real = store.add_decision
    calls: list[int] = []

    def locked(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise StoreBusy("could not record the decision: database is locked")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "add_decision", locked)
    body = {"entity_id": entity_id, "verdict": "unsure"}
    assert small_pdf_api.post(url, json=body).status_code == 201  # waited, tried again

    def always_locked(*args: object, **kwargs: object) -> None:
        raise StoreBusy("could not record the decision: database is locked")

    monkeypatch.setattr(store, "add_decision", always_locked)
    busy = small_pdf_api.post(url, json=body)
    assert busy.status_code == 503 and busy.headers["retry-after"] == "5"


@pytest.fixture(scope="module")
def limited_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from make_api(tmp_path_factory.mktemp("limited") / "threadline.db", job_timeout_s=0.2)


def test_a_job_past_its_time_limit_is_stopped_and_failed(limited_api: Api) -> None:
    failed = limited_api.wait(limited_api.upload().json()["id"], timeout=60)
    assert failed["status"] == "failed"
    assert failed["error"] == "stopped after 0.2 s (THREADLINE_JOB_TIMEOUT_S)"
    assert limited_api.client.get("/health").status_code == 200
    assert limited_api.get("/screenings").status_code == 200  # the server goes on


@pytest.mark.skipif(sys.platform != "linux", reason="the memory limit is set with setrlimit")
def test_a_job_past_its_memory_limit_is_failed(tmp_path: Path) -> None:
    for api in make_api(tmp_path / "threadline.db", job_memory_bytes=64 * 1024**2):
        failed = api.wait(api.upload().json()["id"], timeout=60)
        assert failed["status"] == "failed"
        assert failed["error"].startswith("ran out of its 64 MiB of memory")
        assert api.client.get("/health").status_code == 200
