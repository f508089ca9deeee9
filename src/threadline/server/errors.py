"""Every error answers JSON `{"detail": "...", "errors": [...]}` with its status; a crash is
logged with its traceback and answers a plain 500, never the traceback itself.

`STATUSES` is the one table from domain errors to HTTP statuses: services and background jobs
raise `threadline.errors` classes, never an HTTP exception."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

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
from threadline.server.pdf import PdfFailed

log = logging.getLogger("threadline.server")


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(default_factory=list, description="Where: body, query, path…")
    msg: str
    type: str = "error"


class ErrorResponse(BaseModel):
    detail: str = Field(..., examples=["Detailed error message"])
    errors: list[ErrorItem] = Field(default_factory=list)


# Most specific first; the first class the error is an instance of gives its status.
STATUSES: tuple[tuple[type[ThreadlineError], int], ...] = (
    (LimitExceeded, 413),
    (InputError, 422),
    (NotFound, 404),
    # The PDF could not be made within this server's time or memory limits, as before: 503.
    (PdfFailed, 503),
    # The request was sound and the server could not write: its fault, with the reason shown
    # (507 would claim a full disk, one cause among several — permissions, a read-only volume).
    (OutputError, 500),
    (DataError, 500),
    (StoreError, 503),  # StoreBusy too, with Retry-After
    (MissingSystemLibrary, 503),
)
RETRY_AFTER_S = 5


def status_of(exc: ThreadlineError) -> int:
    return next((status for kind, status in STATUSES if isinstance(exc, kind)), 500)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Not signed in, or no valid token"},
    403: {"model": ErrorResponse, "description": "Role too low, or CSRF token missing"},
    422: {"model": ErrorResponse, "description": "Invalid request"},
}


def error_response(
    status: int,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        {"detail": detail, "errors": errors or []}, status_code=status, headers=headers
    )


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else "request failed"
    errors: list[dict[str, Any]] = exc.detail if isinstance(exc.detail, list) else []
    return error_response(exc.status_code, detail, errors, dict(exc.headers or {}))


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Only location, message and type: the offending input could be large or sensitive.
    errors = [
        {
            "loc": [str(p) if not isinstance(p, int) else p for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    first: dict[str, Any] = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"])
    message = str(first["msg"])
    return error_response(422, f"{where}: {message}" if where else message, errors)


async def _threadline_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ThreadlineError)
    errors = []
    if isinstance(exc, InputError):
        loc: list[str | int] = [p for p in (exc.file, exc.row, exc.column) if p is not None]
        errors.append({"loc": loc, "msg": exc.message, "type": "input"})
    headers = {"Retry-After": str(RETRY_AFTER_S)} if isinstance(exc, StoreBusy) else None
    return error_response(status_of(exc), str(exc), errors, headers)


async def _crash(request: Request, exc: Exception) -> JSONResponse:
    log.error(
        "unhandled error",
        exc_info=exc,
        extra={"method": request.method, "path": request.url.path},
    )
    return error_response(500, "internal server error; the server log has the details")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ThreadlineError, _threadline_error)
    app.add_exception_handler(Exception, _crash)
