"""Screenings: upload a supplier file as a background job, follow its progress, read and filter
its results, download its reports, and record review decisions on its possible matches."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from threadline.data.rules import DEFAULT_ALGORITHM
from threadline.decide import decision_key
from threadline.errors import NotFound
from threadline.server.auth import ReviewerUser, User, current_user
from threadline.server.errors import ERROR_RESPONSES, ErrorResponse
from threadline.server.params import Offset, RowNumber
from threadline.server.reports import MEDIA_TYPES, REPORT_CSP, report_bytes
from threadline.server.services import Services, get_services
from threadline.store.screenings import ScreeningRecord

router = APIRouter(tags=["Screenings"], responses=ERROR_RESPONSES)
ACCEPTED_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No such screening or row"}
}


class ScreeningSummary(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    filename: str
    user: str
    total: int = Field(description="Rows read from the file (0 until it is read)")
    done: int = Field(description="Rows screened so far")
    progress: float = Field(description="done / total, 0 to 1")
    error: str = Field(description="Why the job failed, naming file, row and column")
    as_of: dt.date
    data_version: str
    algorithm: str
    summary: dict[str, int] = Field(description="Rows per tier, once done")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    reports: dict[str, str] = Field(description="Report download URLs by format, once done")


class ScreeningDetail(ScreeningSummary):
    results_total: int = Field(description="Rows passing the filters")
    offset: int
    limit: int
    results: list[dict[str, Any]] = Field(
        description="results.json rows; each match carries `review`, the latest decision or null"
    )


class DecisionIn(BaseModel):
    entity_id: str = Field(..., min_length=1, max_length=200)
    verdict: str = Field(..., examples=["same", "not same", "unsure"])
    comment: str = Field("", max_length=2000)


class DecisionOut(BaseModel):
    screening_id: str
    row: int
    query_name: str
    entity_id: str
    verdict: str
    user: str
    decided_at: str
    comment: str


def _summary(request: Request, record: ScreeningRecord) -> dict[str, Any]:
    reports = {}
    if record.status == "done":
        reports = {
            fmt: str(request.url_for("screening_report", screening_id=record.id, fmt=fmt))
            for fmt in MEDIA_TYPES
        }
    return {
        "id": record.id,
        "status": record.status,
        "filename": record.filename,
        "user": record.user,
        "total": record.total,
        "done": record.done,
        "progress": round(record.done / record.total, 4) if record.total else 0.0,
        "error": record.error,
        "as_of": record.as_of,
        "data_version": record.data_version,
        "algorithm": record.algorithm,
        "summary": record.summary,
        "created_at": record.created_at,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "reports": reports,
    }


def _screening(services: Services, screening_id: str) -> ScreeningRecord:
    record = services.screenings.get(screening_id)
    if record is None:
        raise NotFound(f"no screening '{screening_id}'")
    return record


@router.post(
    "/screenings",
    status_code=202,
    response_model=ScreeningSummary,
    summary="Upload a supplier file (CSV, TSV or XLSX) to screen in the background",
)
async def create_screening(
    request: Request,
    user: ReviewerUser,
    file: UploadFile = File(..., description="Suppliers: CSV, TSV or XLSX, columns guessed"),
    as_of: dt.date | None = Form(None, description="Screen as of this date (default: today)"),
) -> dict[str, Any]:
    filename = PurePath(file.filename or "upload.csv").name
    if not filename.lower().endswith(ACCEPTED_SUFFIXES):
        raise HTTPException(415, f"{filename}: not a CSV, TSV or XLSX file")
    content = await file.read()
    if not content:
        raise HTTPException(422, f"{filename}: the file is empty")
    services = get_services(request)

    def submit() -> ScreeningRecord:  # database work, off the event loop
        screening_id = request.app.state.jobs.submit(
            user_id=user.id,
            filename=filename,
            content=content,
            as_of=as_of or dt.date.today(),
            algorithm=DEFAULT_ALGORITHM,
        )
        return _screening(services, screening_id)

    return _summary(request, await run_in_threadpool(submit))


@router.get("/screenings", response_model=list[ScreeningSummary], summary="Recent screenings")
def list_screenings(
    request: Request,
    limit: int = Query(50, ge=1, le=500),
    services: Services = Depends(get_services),
    _user: User = Depends(current_user),
) -> list[dict[str, Any]]:
    return [_summary(request, r) for r in services.screenings.recent(limit)]


@router.get(
    "/screenings/{screening_id}",
    response_model=ScreeningDetail,
    responses=NOT_FOUND,
    summary="A screening's status, progress and (filtered) results",
)
def get_screening(
    request: Request,
    screening_id: str,
    tier: str | None = Query(None, description="prohibited, high, elevated, no signal found"),
    band: str | None = Query(None, description="Rows with a match in this band: match or review"),
    list_id: str | None = Query(None, alias="list", description="Only rows matching this list"),
    offset: Offset = 0,
    limit: int = Query(100, ge=1, le=1000),
    services: Services = Depends(get_services),
    _user: User = Depends(current_user),
) -> dict[str, Any]:
    record = _screening(services, screening_id)
    total, rows = services.screenings.rows(
        screening_id, tier=tier, band=band, list_id=list_id, offset=offset, limit=limit
    )
    decisions = services.store.decisions()
    names = services.screenings.row_names(screening_id) if rows else {}
    for row in rows:
        name = names.get(row["row"], "")
        for found in row["matches"]:
            decision = decisions.get(decision_key(name, found["entity_id"]))
            found["review"] = (
                {
                    "verdict": decision.verdict.value,
                    "user": decision.user,
                    "decided_at": decision.decided_at,
                    "comment": decision.comment,
                }
                if decision
                else None
            )
    return {
        **_summary(request, record),
        "results_total": total,
        "offset": offset,
        "limit": limit,
        "results": rows,
    }


@router.get(
    "/screenings/{screening_id}/report.{fmt}",
    name="screening_report",
    responses={
        **NOT_FOUND,
        409: {"model": ErrorResponse, "description": "Screening not finished"},
        200: {"content": {t.split(";")[0]: {} for t in MEDIA_TYPES.values()}},
    },
    response_class=Response,
    summary="Download the report: html, csv, json or pdf",
)
def screening_report(
    screening_id: str,
    fmt: Literal["html", "csv", "json", "pdf"],
    services: Services = Depends(get_services),
    _user: User = Depends(current_user),
) -> Response:
    record = _screening(services, screening_id)
    if record.status != "done":
        raise HTTPException(409, f"screening {screening_id} is {record.status}, not done")
    content = report_bytes(services, screening_id, fmt)
    if content is None:
        raise NotFound(f"screening {screening_id} has no {fmt} report")
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="threadline-{screening_id}.{fmt}"',
            "Content-Security-Policy": REPORT_CSP,
        },
    )


@router.post(
    "/screenings/{screening_id}/rows/{row}/decisions",
    status_code=201,
    response_model=DecisionOut,
    responses=NOT_FOUND,
    summary="Record a review decision (same, not same, unsure) on one candidate of a row",
)
def decide(
    request: Request,
    screening_id: str,
    row: RowNumber,
    body: DecisionIn,
    user: ReviewerUser,
) -> dict[str, Any]:
    """Append-only: a later decision on the same supplier name and entity supersedes this one
    for future screenings, and both stay in the audit log."""
    decision = request.app.state.decisions.record(
        screening_id=screening_id,
        row=row,
        entity_id=body.entity_id,
        verdict=body.verdict,
        comment=body.comment,
        user=user,
    )
    return {
        "screening_id": screening_id,
        "row": row,
        "query_name": decision.query_name,
        "entity_id": decision.entity_id,
        "verdict": decision.verdict.value,
        "user": decision.user,
        "decided_at": decision.decided_at,
        "comment": decision.comment,
    }
