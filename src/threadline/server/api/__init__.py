"""The JSON API: thin routers over the store, the matcher and the job runner."""

from __future__ import annotations

from fastapi import APIRouter

from threadline.server.api import audit, entities, match, screenings, users


def routers() -> list[APIRouter]:
    return [match.router, screenings.router, entities.router, audit.router, users.router]
