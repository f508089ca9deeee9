"""`GET /entities/{id}` (statements, sources, listings, relations) and `GET /search?q=`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from threadline.errors import NotFound
from threadline.server.auth import User, current_user
from threadline.server.errors import ERROR_RESPONSES, ErrorResponse

router = APIRouter(tags=["Entities"], responses=ERROR_RESPONSES)


class SearchResponse(BaseModel):
    q: str
    results: list[dict[str, Any]]


@router.get(
    "/entities/{entity_id}",
    responses={404: {"model": ErrorResponse}},
    summary="An entity with its statements, sources, listings and relations",
)
def get_entity(
    request: Request, entity_id: str, _user: User = Depends(current_user)
) -> dict[str, Any]:
    """Every statement carries its source (URL, title, publisher, date, reliability); relations
    are those the store holds (ownership, supply, shipments), each with its sources."""
    found: dict[str, Any] | None = request.app.state.entities.describe(entity_id)
    if found is None:
        raise NotFound(f"no entity '{entity_id}'")
    return found


@router.get("/search", response_model=SearchResponse, summary="Find entities by name")
def search(
    request: Request,
    q: str = Query(..., min_length=1, max_length=200, description="A name in any script"),
    limit: int = Query(20, ge=1, le=100),
    _user: User = Depends(current_user),
) -> dict[str, Any]:
    """Fuzzy cross-script matches (score) first, then names containing the text (score null)."""
    return {"q": q, "results": request.app.state.entities.search(q, limit)}
