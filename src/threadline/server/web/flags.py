"""Pages for the flags beyond name candidates: a disposition on a row's address, Tibet, sector or
link flag (decision, comment, traceability files kept with their hash), and the queue of
candidate links that imports left for review."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from threadline.data.rules import load_tier_rules
from threadline.decide import ReviewDecision, Verdict
from threadline.dossier import build_dossier, dossier_context, record_of_result
from threadline.errors import InputError, NotFound
from threadline.report.dossier import render_dossier
from threadline.report.pdf import pdf_from_html
from threadline.server.auth import ReviewerUser, User
from threadline.server.reports import MEDIA_TYPES, REPORT_CSP
from threadline.server.security import Role
from threadline.server.services import get_services
from threadline.server.web import views
from threadline.server.web.pages import PageUser, _page
from threadline.store.certifications import Certifications
from threadline.store.dispositions import (
    DispositionContext,
    Dispositions,
    FiledDocument,
    parse_decision,
)
from threadline.store.link_queue import candidate_link_queue
from threadline.store.screenings import ScreeningRecord

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.post("/screenings/{screening_id}/rows/{row}/dispositions", name="web-dispose")
async def dispose(
    request: Request,
    user: ReviewerUser,
    screening_id: str,
    row: int,
    code: Annotated[str, Form()],
    decision: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    services = get_services(request)
    screening = services.screenings.get(screening_id)
    found = services.screenings.row(screening_id, row)
    if screening is None or found is None:
        raise NotFound(f"screening {screening_id} has no row {row}")
    if all(r["code"] != code for r in found["risk"]["reasons"]):
        raise InputError(f"row {row} has no flag {code}")
    screened = found.get("screened") or {}
    supplier = views.flag_supplier(found)
    documents = []
    if file is not None and file.filename:
        documents.append(FiledDocument(file.filename, await file.read(), description.strip()))
    scores = [m["score"] for m in found["matches"]]
    swap = request.headers.get("HX-Request") == "true"
    try:
        recorded = await run_in_threadpool(
            Dispositions(services.store).record,
            supplier=supplier,
            code=code,
            decision=parse_decision(decision),
            user=user.name,
            comment=comment,
            files=documents,
            context=DispositionContext(
                screening_id=screening_id,
                row=row,
                user_key=screened.get("key", ""),
                score=max(scores, default=None),
                data_version=screening.data_version,
                algorithm=screening.algorithm,
            ),
        )
    except InputError as exc:
        if swap:  # htmx swaps no error answer: the flag's block says what was wrong
            return await _flag_block(request, user, screening, found, code, error=str(exc))
        raise
    message = f"{code}: recorded “{recorded.decision.value}”; screenings from now on apply it."
    if swap:
        return await _flag_block(request, user, screening, found, code, message=message)
    target = request.url_for("web-row", screening_id=screening_id, row=str(row)).path
    return RedirectResponse(f"{target}?message={quote(message)}", status_code=303)


async def _flag_block(
    request: Request,
    user: User,
    screening: ScreeningRecord,
    found: dict[str, Any],
    code: str,
    *,
    message: str = "",
    error: str = "",
) -> HTMLResponse:
    """One flag of a row as row.html shows it, with its latest disposition: what htmx swaps in
    place of the flag's block once a disposition is posted."""
    latest = await run_in_threadpool(Dispositions(get_services(request).store).latest)
    shown = views.with_dispositions(found, latest)
    index, reason = next(
        (i, r) for i, r in enumerate(shown["risk"]["reasons"], start=1) if r["code"] == code
    )
    return _page(
        request,
        "_flag_block.html",
        user,
        screening=screening,
        row=shown,
        reason=reason,
        index=index,
        message=message,
        error=error,
        can_review=user.can(Role.REVIEWER),
        name_codes=load_tier_rules().name_match_codes,
    )


@router.post("/screenings/{screening_id}/rows/{row}/certifications", name="web-certify")
async def certify(
    request: Request,
    user: ReviewerUser,
    screening_id: str,
    row: int,
    scheme: Annotated[str, Form()],
    certificate_id: Annotated[str, Form()] = "",
    valid_from: Annotated[str, Form()] = "",
    valid_to: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "",
) -> Response:
    """Record a certificate the supplier claims: shown from the next screening on, never a
    clearance (it changes no tier and dispositions no flag)."""
    services = get_services(request)
    found = services.screenings.row(screening_id, row)
    if found is None:
        raise NotFound(f"screening {screening_id} has no row {row}")
    screened = found.get("screened") or {}
    try:
        dates = [dt.date.fromisoformat(v) if v.strip() else None for v in (valid_from, valid_to)]
        claim = Certifications(services.store).record(
            supplier=screened.get("name") or screened.get("address") or "",
            scheme=scheme,
            user=user.name,
            certificate_id=certificate_id,
            valid_from=dates[0],
            valid_to=dates[1],
            scope=scope,
        )
    except ValueError as exc:  # a date not as YYYY-MM-DD
        raise InputError(str(exc)) from exc
    message = f"Recorded the claim: {claim.text}. It is shown, never counted as clearance."
    target = request.url_for("web-row", screening_id=screening_id, row=str(row)).path
    return RedirectResponse(f"{target}?message={quote(message)}", status_code=303)


@router.get("/links", response_class=HTMLResponse, name="web-links")
async def links_page(request: Request, user: PageUser, message: str = "") -> HTMLResponse:
    queue = await run_in_threadpool(candidate_link_queue, get_services(request).store)
    return _page(
        request,
        "links.html",
        user,
        queue=queue,
        message=message,
        can_review=user.can(Role.REVIEWER),
    )


@router.post("/links/{link_id}", name="web-link-decide")
async def link_decide(
    request: Request,
    user: ReviewerUser,
    link_id: str,
    decision: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    services = get_services(request)
    queue = candidate_link_queue(services.store, include_decided=True)
    found = next((item for item in queue if item.id == link_id), None)
    if found is None:
        raise NotFound(f"no candidate link '{link_id}'")
    try:
        verdict = Verdict(decision.strip().lower().replace("_", " "))
    except ValueError:
        raise InputError(f"verdict '{decision}' is not same, not same or unsure") from None
    services.store.add_decision(
        ReviewDecision(
            query_name=found.name,
            entity_id=found.candidate_id,
            verdict=verdict,
            user=user.name,
            decided_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            comment=comment.strip()[:2000],
        ),
        data_version=services.data_version,
        algorithm="",
        score=found.score,
    )
    message = f"“{found.name}” ~ {found.candidate_name}: {verdict.value}."
    return RedirectResponse(
        f"{request.url_for('web-links').path}?message={quote(message)}", status_code=303
    )


@router.get("/screenings/{screening_id}/rows/{row}/dossier.{fmt}", name="web-dossier")
async def dossier(
    request: Request, _user: PageUser, screening_id: str, row: int, fmt: str
) -> Response:
    """The row's supplier dossier (HTML or PDF), screened again with the data as it is now."""
    services = get_services(request)
    screening = services.screenings.get(screening_id)
    found = services.screenings.row(screening_id, row)
    if screening is None or found is None or fmt not in ("html", "pdf"):
        raise NotFound(f"screening {screening_id} has no row {row} dossier.{fmt}")
    origin = f"screening {screening_id[:8]} ({screening.filename}), row {row}"
    built = await run_in_threadpool(
        build_dossier,
        services.store,
        origin,
        as_of=screening.as_of,
        record=record_of_result(found),
    )
    html = render_dossier(dossier_context(built))
    if fmt == "html":
        return Response(
            html, media_type=MEDIA_TYPES["html"], headers={"Content-Security-Policy": REPORT_CSP}
        )
    pdf = await run_in_threadpool(pdf_from_html, html)
    return Response(
        pdf,
        media_type=MEDIA_TYPES["pdf"],
        headers={"Content-Disposition": f'attachment; filename="dossier-row-{row}.pdf"'},
    )
