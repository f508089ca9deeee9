"""The web app: server-rendered pages (Jinja2 + htmx) and the static files they load, all served
by the package so the app works offline. `install(app)` adds both to the FastAPI app."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from threadline.server.auth import NotAuthenticated, current_user
from threadline.server.web import documents
from threadline.server.web.flags import router as flags_router
from threadline.server.web.pages import NotFoundPage, SignInRequired, not_found_page, router
from threadline.server.web.pages import sign_in_page as _sign_in_page

# The sign-in page's own stylesheet is the one file served to strangers.
_PUBLIC_STATIC = frozenset({"css/app.css"})


class _SignedInStatic(StaticFiles):
    """Static files for signed-in users only (401 otherwise), except the sign-in page's CSS."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.get_path(scope) not in _PUBLIC_STATIC:
            try:
                await current_user(Request(scope, receive))
            except NotAuthenticated as exc:
                response = Response(exc.detail, status_code=401, headers=exc.headers)
                await response(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def install(app: FastAPI) -> None:
    static = resources.files("threadline.server.web") / "static"
    app.mount("/ui/static", _SignedInStatic(directory=str(static)), name="web-static")
    app.include_router(router)
    app.include_router(documents.router)
    app.include_router(flags_router)
    app.add_exception_handler(SignInRequired, _sign_in_page)
    app.add_exception_handler(NotFoundPage, not_found_page)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=307)
