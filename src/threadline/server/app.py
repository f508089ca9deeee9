"""The app factory: `create_app(settings)` wires services, middleware, error handlers, the JSON
API and the web pages. Served by uvicorn (`threadline serve`); tests call it in-process."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware

from threadline import __version__, limits
from threadline.server import api, web
from threadline.server.auth import TokenCache, User, current_user
from threadline.server.batching import MatchBatcher
from threadline.server.catalog import EntityCatalog
from threadline.server.errors import install_error_handlers
from threadline.server.jobs import JobRunner
from threadline.server.logs import configure_logging
from threadline.server.middleware import AccessLog, BodyLimit, ConcurrencyLimit, SecurityHeaders
from threadline.server.review import Decisions
from threadline.server.security import new_secret
from threadline.server.services import Services
from threadline.server.settings import ServerSettings

SESSION_COOKIE = "threadline_session"
log = logging.getLogger("threadline.server")

DESCRIPTION = """Screen suppliers against the UFLPA Entity List, CBP Withhold Release Orders, the
BIS Entity List and Xinjiang sanctions, with the evidence behind every flag.

`POST /match/{dataset}` speaks yente's matching protocol, so OpenSanctions clients work unchanged.
Every endpoint but `/health` needs `Authorization: Bearer TOKEN` (from `threadline user add`) or a
signed-in browser session. "No signal found" means none in the data available, never "clean".
"""


def create_app(settings: ServerSettings) -> FastAPI:
    limits.configure(settings.limits)
    services = Services.open(settings)
    runner = JobRunner(services, workers=settings.job_workers)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Build the reference index before taking traffic, so the first /match is not slow.
        await run_in_threadpool(services.screener)
        # The index is hundreds of thousands of long-lived objects: a full garbage collection
        # scanning them all stopped every request for 150-350 ms. They live as long as the
        # server, so take them out of the collector's view (an index rebuilt after an import
        # is not, until the next start).
        gc.freeze()
        resumed = runner.resume()
        log.info("server ready", extra={"version": __version__, "resumed_jobs": len(resumed)})
        yield
        runner.shutdown()
        gc.unfreeze()  # an app stopped in a process that goes on (tests) can be collected

    app = FastAPI(
        title="threadline",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # The interactive docs pages load scripts from a CDN; the schema is served below instead.
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.services = services
    app.state.jobs = runner
    app.state.decisions = Decisions(services)
    app.state.entities = EntityCatalog(services)
    app.state.token_cache = TokenCache()
    app.state.match_batcher = MatchBatcher()

    secret = settings.secret_key or services.accounts.secret("session-signing-key", new_secret)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_s,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes)
    # A /match body is parsed on the event loop: keep it to what the query limits allow.
    app.add_middleware(BodyLimit, max_bytes=settings.limits.match_body_bytes, prefix="/match/")
    app.add_middleware(ConcurrencyLimit, most=settings.match_concurrency, prefix="/match/")
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog)
    install_error_handlers(app)

    @app.get("/health", tags=["Admin"], summary="Liveness check (no authentication)")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi(_user: User = Depends(current_user)) -> dict[str, Any]:
        return app.openapi()

    for router in api.routers():
        app.include_router(router)
    web.install(app)
    return app


def app_from_env() -> FastAPI:
    """The uvicorn factory `threadline serve` runs in each worker process."""
    settings = ServerSettings.from_env()
    configure_logging(settings.log_level)
    return create_app(settings)
