"""Page routes of the web app: sign in, screenings with upload and progress, results, review
queue, rows, entities, search and the map. Thin: they read the same services as the JSON API and
hand dicts to the templates in server/web/templates (autoescaped: names come from untrusted files).
"""

from __future__ import annotations

import datetime as dt
from functools import cache, partial
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from threadline.changes import compare
from threadline.data.certifications import certification_schemes
from threadline.data.geo import facility_rows, load_gazetteer
from threadline.data.input_vocab import load_column_vocabulary
from threadline.data.rules import load_tier_rules
from threadline.inputs.columns import match_headers
from threadline.report.changes import causes_line, changed_first, counts_line
from threadline.report.wording import CERTIFICATION_CAVEAT
from threadline.server.auth import (
    NotAuthenticated,
    ReviewerUser,
    User,
    authenticate,
    csrf_valid,
    current_user,
    login,
    logout,
)
from threadline.server.params import Offset, RowNumber
from threadline.server.security import Role
from threadline.server.services import get_services
from threadline.server.web import views
from threadline.server.web.rendering import render
from threadline.store.dispositions import Dispositions
from threadline.store.history import MonitorInfo, ScreeningHistory
from threadline.store.screenings import ScreeningRecord

router = APIRouter(prefix="/ui", include_in_schema=False)
_REVIEW_SCAN = 5000  # rows with a possible match read for one review queue
_RESULTS_PAGE = 200


class SignInRequired(Exception):
    """A page asked for without a session: answered 401 with the sign-in form."""


async def page_user(request: Request) -> User:
    try:
        return await current_user(request)
    except NotAuthenticated:
        raise SignInRequired() from None


PageUser = Annotated[User, Depends(page_user)]


def _page(
    request: Request, template: str, user: User | None, status: int = 200, **context: Any
) -> HTMLResponse:
    return render(request, template, user=user, status=status, **context)


class NotFoundPage(Exception):
    """Something a page links to is not (or no longer) there: answered 404 as a page."""


def sign_in_page(request: Request, _exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return _page(request, "login.html", None, status=401, next=target, error="")


def not_found_page(request: Request, exc: Exception) -> Response:
    return _page(request, "not_found.html", None, status=404, message=str(exc))


@router.get("/login", response_class=HTMLResponse, name="web-login")
async def login_form(request: Request, next: str = "/ui/") -> HTMLResponse:
    return _page(request, "login.html", None, next=_local(next), error="")


@router.post("/login", name="web-login-post")
async def login_submit(
    request: Request,
    password: Annotated[str, Form()],
    username: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form(alias="csrf_token")] = "",
    next: Annotated[str, Form()] = "/ui/",
) -> Response:
    if not csrf_valid(request, csrf):
        return _page(
            request,
            "login.html",
            None,
            status=403,
            next=_local(next),
            error="The form expired; please sign in again.",
        )
    user = await run_in_threadpool(authenticate, get_services(request), username, password)
    if user is None:
        return _page(
            request,
            "login.html",
            None,
            status=401,
            next=_local(next),
            error="Wrong user name or password.",
        )
    login(request, user)
    return RedirectResponse(_local(next), status_code=303)


@router.post("/logout", name="web-logout")
async def logout_submit(request: Request, _user: PageUser) -> Response:
    await run_in_threadpool(logout, request, get_services(request))
    return RedirectResponse(request.url_for("web-login").path, status_code=303)


@router.get("/", response_class=HTMLResponse, name="web-home")
async def home(request: Request, user: PageUser) -> HTMLResponse:
    return await _home(request, user)


async def _home(
    request: Request, user: User, *, error: str = "", status: int = 200
) -> HTMLResponse:
    services = get_services(request)
    recent = await run_in_threadpool(services.screenings.recent)
    alerts = await run_in_threadpool(_monitor_alerts, request)
    return _page(
        request,
        "home.html",
        user,
        status=status,
        screenings=recent,
        alerts=alerts,
        can_upload=user.can(Role.REVIEWER),
        max_upload_mb=services.settings.max_upload_bytes // (1024 * 1024),
        today=dt.date.today().isoformat(),
        error=error,
    )


def _columns(text: str) -> list[str]:
    """Column names typed in one field, separated by ';' (headers hold commas, rarely ';')."""
    return [part.strip() for part in text.split(";") if part.strip()]


@router.post("/screenings", name="web-upload")
async def upload(
    request: Request,
    user: ReviewerUser,
    file: Annotated[UploadFile, File()],
    as_of: Annotated[str, Form()] = "",
    sheet: Annotated[str, Form()] = "",
    name_cols: Annotated[str, Form()] = "",
    address_cols: Annotated[str, Form()] = "",
) -> Response:
    try:
        screening_date = dt.date.fromisoformat(as_of) if as_of.strip() else dt.date.today()
    except ValueError:
        return await _home(
            request, user, error=f"As-of date '{as_of}' is not a date (YYYY-MM-DD).", status=422
        )
    content = await file.read()
    screener = await run_in_threadpool(get_services(request).screener)
    options = {
        "sheet": sheet.strip(),
        "name_cols": _columns(name_cols),
        "address_cols": _columns(address_cols),
    }
    screening_id = await run_in_threadpool(
        partial(
            request.app.state.jobs.submit,
            user_id=user.id,
            filename=file.filename or "upload.csv",
            content=content,
            as_of=screening_date,
            algorithm=screener.algorithm.label,
            options={k: v for k, v in options.items() if v},
        )
    )
    return RedirectResponse(
        request.url_for("web-screening", screening_id=screening_id).path, status_code=303
    )


def _screening(request: Request, screening_id: str) -> ScreeningRecord:
    found = get_services(request).screenings.get(screening_id)
    if found is None:
        raise NotFoundPage(f"no screening {screening_id}")
    return found


@router.get("/screenings/{screening_id}", response_class=HTMLResponse, name="web-screening")
async def screening_page(
    request: Request,
    user: PageUser,
    screening_id: str,
    tier: str = "",
    band: str = "",
    list_id: Annotated[str, Query(alias="list")] = "",
    offset: Offset = 0,
) -> HTMLResponse:
    services = get_services(request)
    record = await run_in_threadpool(_screening, request, screening_id)
    wanted = {"tier": tier, "band": band, "list_id": list_id}
    total, rows = await run_in_threadpool(
        services.screenings.rows,
        screening_id,
        tier=tier or None,
        band=band or None,
        list_id=list_id or None,
        offset=offset,
        limit=_RESULTS_PAGE,
    )
    pending = len(await run_in_threadpool(_review_items, request, screening_id))
    datasets = await run_in_threadpool(services.store.dataset_infos)
    return _page(
        request,
        "screening.html",
        user,
        screening=record,
        rows=rows,
        total=total,
        page_size=_RESULTS_PAGE,
        wanted=wanted,
        offset=offset,
        page_query=lambda at: urlencode({**_wanted_query(wanted), "offset": max(at, 0)}),
        tiers=views.TIERS,
        bands=views.BANDS,
        lists=sorted(((d.id, d.title) for d in datasets), key=lambda item: item[1].lower()),
        summary=[(t, record.summary[t]) for t in views.TIERS if record.summary.get(t)],
        pending=pending,
        downloads=_downloads(request, screening_id),
    )


def _monitor_alerts(request: Request) -> list[MonitorInfo]:
    """Monitored inputs whose latest check against new data found changed suppliers."""
    history = ScreeningHistory(get_services(request).store)
    return [m for m in history.monitors() if m.changed and m.previous_id]


@router.get("/screenings/{screening_id}/changes", response_class=HTMLResponse, name="web-changes")
async def changes_page(
    request: Request, user: PageUser, screening_id: str, since: str = ""
) -> HTMLResponse:
    record = await run_in_threadpool(_screening, request, screening_id)
    found = await run_in_threadpool(_changes, request, record, since)
    return _page(request, "changes.html", user, screening=record, **found)


def _changes(request: Request, record: ScreeningRecord, since: str) -> dict[str, Any]:
    """The changes since `since` (default: the screening of the same input just before this
    one), and the other screenings of the same input to pick from."""
    history = ScreeningHistory(get_services(request).store)
    others = history.same_input(record.filename, exclude=record.id)
    earlier = [o for o in others if o.created_at < record.created_at]
    chosen = since or (earlier[0].id if earlier else "")
    context: dict[str, Any] = {"others": others, "since": chosen, "changes": None, "error": ""}
    if not chosen:
        context["error"] = "No other finished screening of this input to compare with."
        return context
    if chosen not in {o.id for o in others}:
        context["error"] = f"Screening {chosen} is not a finished screening of {record.filename}."
        return context
    pair = history.pair(chosen, record.id)
    if pair is None:
        context["error"] = "This screening has not finished."
        return context
    changes = compare(*pair)
    context.update(
        changes=changes,
        changed=changed_first(changes),
        counts=counts_line(changes),
        causes=causes_line(changes),
    )
    return context


def _wanted_query(wanted: dict[str, str]) -> dict[str, str]:
    names = {"tier": "tier", "band": "band", "list_id": "list"}
    return {names[key]: value for key, value in wanted.items() if value}


def _review_items(request: Request, screening_id: str) -> list[views.ReviewItem]:
    services = get_services(request)
    # Rows with any possible match, even beside a confident one.
    _, rows = services.screenings.rows(screening_id, band="review", limit=_REVIEW_SCAN)
    return views.review_queue(rows, services.store.decisions())


def _downloads(request: Request, screening_id: str) -> list[tuple[str, str]]:
    return [
        (label, request.url_for("screening_report", screening_id=screening_id, fmt=fmt).path)
        for label, fmt in (("PDF", "pdf"), ("HTML", "html"), ("CSV", "csv"), ("JSON", "json"))
    ]


@router.get("/screenings/{screening_id}/progress", response_class=HTMLResponse, name="web-progress")
async def progress(request: Request, user: PageUser, screening_id: str) -> Response:
    record = await run_in_threadpool(_screening, request, screening_id)
    response = _page(request, "_progress.html", user, screening=record)
    if record.status not in ("queued", "running"):
        response.headers["HX-Refresh"] = "true"  # htmx reloads the page to show the results
    return response


@router.get("/screenings/{screening_id}/rows/{row}", response_class=HTMLResponse, name="web-row")
async def row_page(
    request: Request, user: PageUser, screening_id: str, row: RowNumber, message: str = ""
) -> HTMLResponse:
    services = get_services(request)
    record = await run_in_threadpool(_screening, request, screening_id)
    found = await run_in_threadpool(services.screenings.row, screening_id, row)
    if found is None:
        raise NotFoundPage(f"screening {screening_id} has no row {row}")
    latest = await run_in_threadpool(Dispositions(services.store).latest)
    return _page(
        request,
        "row.html",
        user,
        screening=record,
        row=views.with_dispositions(found, latest),
        message=message,
        can_review=user.can(Role.REVIEWER),
        name_codes=load_tier_rules().name_match_codes,
        certification_caveat=CERTIFICATION_CAVEAT,
        schemes=[name for name, _ in certification_schemes()],
    )


@router.get("/screenings/{screening_id}/review", response_class=HTMLResponse, name="web-review")
async def review_page(
    request: Request, user: PageUser, screening_id: str, message: str = ""
) -> HTMLResponse:
    record = await run_in_threadpool(_screening, request, screening_id)
    return _page(
        request,
        "review.html",
        user,
        screening=record,
        items=await run_in_threadpool(_review_items, request, screening_id),
        can_review=user.can(Role.REVIEWER),
        message=message,
    )


@router.post("/screenings/{screening_id}/rows/{row}/decisions", name="web-decide")
async def decide(
    request: Request,
    user: ReviewerUser,
    screening_id: str,
    row: RowNumber,
    entity_id: Annotated[str, Form()],
    decision: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    recorded = await run_in_threadpool(
        request.app.state.decisions.record,
        screening_id=screening_id,
        row=row,
        entity_id=entity_id,
        verdict=decision,
        comment=comment,
        user=user,
    )
    message = f"Row {row}: recorded “{recorded.verdict}” for {recorded.entity_id}."
    target = request.url_for("web-review", screening_id=screening_id).path
    return RedirectResponse(f"{target}?message={quote(message)}", status_code=303)


@router.get("/entities/{entity_id:path}", response_class=HTMLResponse, name="web-entity")
async def entity_page(request: Request, user: PageUser, entity_id: str) -> HTMLResponse:
    entity = await run_in_threadpool(request.app.state.entities.describe, entity_id)
    if entity is None:
        raise NotFoundPage(f"no entity {entity_id}")
    store = get_services(request).store
    documents = await run_in_threadpool(store.documents_naming, entity_id)
    return _page(request, "entity.html", user, entity=entity, documents=documents)


@router.get("/search", response_class=HTMLResponse, name="web-search")
async def search_page(request: Request, user: PageUser, q: str = "") -> HTMLResponse:
    hits = await run_in_threadpool(request.app.state.entities.search, q) if q.strip() else []
    return _page(request, "search.html", user, q=q, hits=hits)


@router.get("/map", response_class=HTMLResponse, name="web-map")
async def map_page(request: Request, user: PageUser, screening: str = "") -> HTMLResponse:
    record = await run_in_threadpool(_screening, request, screening) if screening else None
    points = request.url_for("web-map-points").path + (
        f"?screening={quote(screening)}" if screening else ""
    )
    return _page(
        request,
        "map.html",
        user,
        screening=record,
        points_url=points,
        facility_count=len(_facilities()),
    )


@router.get("/map/points.json", name="web-map-points")
async def map_points(request: Request, _user: PageUser, screening: str = "") -> JSONResponse:
    suppliers: list[dict[str, Any]] = []
    if screening:
        await run_in_threadpool(_screening, request, screening)
        suppliers = await run_in_threadpool(_supplier_points, request, screening)
    return JSONResponse({"facilities": _facilities(), "suppliers": suppliers})


def _supplier_points(request: Request, screening_id: str) -> list[dict[str, Any]]:
    _, rows = get_services(request).screenings.rows(screening_id, limit=10_000)
    header = list(dict.fromkeys(key for row in rows for key in row["input"]))
    address = match_headers(header, load_column_vocabulary().records, given={}).get("address")
    href = request.url_for("web-row", screening_id=screening_id, row="0").path
    return views.supplier_points(rows, load_gazetteer(), address, href[: -len("0")] + "{row}")


@cache
def _facilities() -> list[dict[str, Any]]:
    return views.facility_points(facility_rows())


def _local(target: str) -> str:
    """Only a path on this site is a place to go after sign-in (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/ui/"
