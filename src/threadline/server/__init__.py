"""The shared server: a yente-compatible matching API, screening jobs, review and audit, and the
web pages, behind accounts with roles. `create_app(settings)` builds it.

The app is imported on first use, so the CLI's account commands do not load the web stack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from threadline.server.settings import ServerSettings

if TYPE_CHECKING:
    from threadline.server.app import create_app

__all__ = ["ServerSettings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from threadline.server.app import create_app

        return create_app
    raise AttributeError(name)
