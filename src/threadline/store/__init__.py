"""Persistence: SQLAlchemy tables, Alembic migrations, and the Store repository."""

from threadline.store import server_tables as server_tables  # registers the server tables
from threadline.store.repository import Store, SyncReport, content_id

__all__ = ["Store", "SyncReport", "content_id"]
