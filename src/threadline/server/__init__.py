"""The shared server: a yente-compatible matching API, screening jobs, review and audit, and the
web pages, behind accounts with roles. `create_app(settings)` builds it."""

from threadline.server.app import create_app
from threadline.server.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]
