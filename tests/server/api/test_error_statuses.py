"""Domain errors raised anywhere under a route answer the status of `server/errors.py`'s one
table, as JSON with the message; services never raise HTTP exceptions themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import threadline.server
from threadline.errors import (
    DataError,
    InputError,
    LimitExceeded,
    MissingSystemLibrary,
    NotFound,
    OutputError,
    StoreBusy,
    StoreError,
    ThreadlineError,
)
from threadline.server.errors import install_error_handlers
from threadline.server.pdf import PdfFailed

CASES: list[tuple[ThreadlineError, int]] = [
    (InputError("no such column", file="a.csv", column="name"), 422),
    (LimitExceeded("rows: over the limit (THREADLINE_MAX_ROWS)"), 413),
    (NotFound("no screening 'abc'"), 404),
    (OutputError("cannot write: No space left on device", path="/srv/out"), 500),
    (PdfFailed("the PDF took longer than 120 s"), 503),
    (DataError("tiers.yaml: tiers.0.code: field required"), 500),
    (StoreError("cannot open the database"), 503),
    (StoreBusy("the database is busy"), 503),
    (MissingSystemLibrary("PDF needs Pango"), 503),
]


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/raise/{case}")
    def _raise(case: int) -> None:
        raise CASES[case][0]

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(("case", "status"), [(i, s) for i, (_, s) in enumerate(CASES)])
def test_each_domain_error_answers_its_status(client: TestClient, case: int, status: int) -> None:
    answer = client.get(f"/raise/{case}")
    assert answer.status_code == status
    assert answer.json()["detail"] == str(CASES[case][0])


def test_a_busy_store_says_when_to_retry(client: TestClient) -> None:
    busy = next(i for i, (e, _) in enumerate(CASES) if isinstance(e, StoreBusy))
    assert client.get(f"/raise/{busy}").headers["retry-after"] == "5"


def test_services_raise_no_http_exceptions() -> None:
    """What routes and background jobs share raises domain errors; HTTP is the routers' concern."""
    root = Path(threadline.server.__file__).parent
    shared = ["services.py", "review.py", "reports.py", "jobs.py", "pdf.py", "batching.py"]
    for name in shared:
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        assert "HTTPException" not in used, name
