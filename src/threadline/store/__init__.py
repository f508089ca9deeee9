"""Persistence: SQLAlchemy tables, Alembic migrations, and the Store repository."""

from threadline.store import document_tables as document_tables  # registers the tables
from threadline.store import server_tables as server_tables  # registers the server tables
from threadline.store.exports import RELATION_COLUMNS, relation_rows
from threadline.store.graph import EntityRecord, StoredStatement
from threadline.store.loads import ListLoad, ListUpdate
from threadline.store.repository import Store, SyncReport
from threadline.store.rows import bill_source
from threadline.store.writes import CandidateLink, ImportCounts, ResolvedBatch, StoredShipment

__all__ = [
    "RELATION_COLUMNS",
    "CandidateLink",
    "EntityRecord",
    "ImportCounts",
    "ListLoad",
    "ListUpdate",
    "ResolvedBatch",
    "Store",
    "StoredShipment",
    "StoredStatement",
    "SyncReport",
    "bill_source",
    "relation_rows",
]
