"""The Jinja2 environment of the web pages: autoescaped, strict about undefined names, with the
few filters the templates need and path-only links (the app may sit behind a proxy)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from threadline.report.common import is_web_url
from threadline.server.auth import User, csrf_token
from threadline.server.web import views


def render(
    request: Request, template: str, *, user: User | None, status: int = 200, **context: Any
) -> HTMLResponse:
    page = (
        _environment()
        .get_template(template)
        .render(
            request=request,
            user=user,
            csrf_token=csrf_token(request),
            logout_url=request.url_for("web-logout").path,
            login_action=request.url_for("web-login-post").path,
            audit_url=request.url_for("audit_csv").path,
            data_label=request.app.state.services.data_label(),
            **context,
        )
    )
    # Pages show data a session may no longer see after sign-out: keep them out of caches.
    return HTMLResponse(page, status_code=status, headers={"Cache-Control": "no-store"})


@jinja2.pass_context
def _url_for(context: Any, name: str, /, **params: Any) -> str:
    request: Request = context["request"]
    return request.url_for(name, **{k: str(v) for k, v in params.items()}).path


def _when(value: dt.datetime | None) -> str:
    """Times to the minute, in UTC, as the audit export writes them."""
    if value is None:
        return "—"
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _short_id(value: str) -> str:
    """Screening ids are 32 hex digits; eight tell them apart on a page (links use all)."""
    return value[:8]


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("threadline.server.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["url_for"] = _url_for
    env.filters["supplier"] = views.supplier_name
    env.filters["paths"] = views.exposure_paths
    env.filters["when"] = _when
    env.filters["short_id"] = _short_id
    env.tests["web_url"] = is_web_url
    return env
