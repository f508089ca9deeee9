"""Document pages of the web app: the imported documents, one document with its mentions and
indicators highlighted, and a reviewer's accept or reject of a finding (appended, audited by
user and time; a rejected finding stops counting in later screenings)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from threadline.model.documents import DocumentRecord, StoredMention
from threadline.server.auth import ReviewerUser
from threadline.server.security import Role
from threadline.server.services import get_services
from threadline.server.web.pages import NotFoundPage, PageUser
from threadline.server.web.rendering import render

router = APIRouter(prefix="/ui", include_in_schema=False)
_VERDICTS = {"accept": "accepted", "reject": "rejected"}


@router.get("/documents", response_class=HTMLResponse, name="web-documents")
async def documents_page(request: Request, user: PageUser) -> HTMLResponse:
    rows = await run_in_threadpool(get_services(request).store.documents)
    listed = [
        {"document": document, "mentions": mentions, "findings": findings}
        for document, mentions, findings in rows
    ]
    return render(request, "documents.html", user=user, documents=listed)


@router.get("/documents/{document_id}", response_class=HTMLResponse, name="web-document")
async def document_page(
    request: Request, user: PageUser, document_id: str, message: str = ""
) -> HTMLResponse:
    record = await run_in_threadpool(get_services(request).store.document, document_id)
    if record is None:
        raise NotFoundPage(f"no document {document_id}")
    return render(
        request,
        "document.html",
        user=user,
        record=record,
        pieces=highlighted(record),
        can_review=user.can(Role.REVIEWER),
        message=message,
    )


@router.post("/documents/{document_id}/findings/{finding_id}", name="web-finding-review")
async def review_finding(
    request: Request,
    user: ReviewerUser,
    document_id: str,
    finding_id: str,
    verdict: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    word = _VERDICTS.get(verdict)
    store = get_services(request).store
    if word is None or not await run_in_threadpool(
        store.review_finding, finding_id, word, user.name, comment
    ):
        raise NotFoundPage(f"no finding {finding_id} to {verdict}")
    message = f"Finding {finding_id[:8]}: {word} by {user.name}."
    target = request.url_for("web-document", document_id=document_id).path
    return RedirectResponse(f"{target}?message={quote(message)}", status_code=303)


def highlighted(record: DocumentRecord) -> list[dict[str, Any]]:
    """The text as pieces, each plain or one mention (its kind and what it was read as); where
    mentions overlap, the first and longest wins."""
    text = record.document.text
    chosen: list[StoredMention] = []
    end = 0
    ordered = sorted(record.mentions, key=lambda m: (m.mention.span.start, -m.mention.span.end))
    for stored in ordered:
        if stored.mention.label == "publisher" or stored.mention.span.start < end:
            continue  # "we" in a company report is not the publisher's name as written
        chosen.append(stored)
        end = stored.mention.span.end
    plain = {"kind": "", "label": "", "entity_id": "", "entity_name": ""}
    pieces: list[dict[str, Any]] = []
    at = 0
    for stored in chosen:
        span = stored.mention.span
        if span.start > at:
            pieces.append({**plain, "text": text[at : span.start]})
        pieces.append(
            {
                "text": text[span.start : span.end],
                "kind": stored.mention.kind.value,
                "label": stored.mention.label,
                "entity_id": stored.entity_id,
                "entity_name": stored.entity_name,
            }
        )
        at = span.end
    if at < len(text):
        pieces.append({**plain, "text": text[at:]})
    return pieces
