"""Table definitions (SQLAlchemy Core). Statements carry provenance and a content-hashed id, so
loading the same data twice changes nothing; removals are dated facts, never deletions."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

datasets = Table(
    "datasets",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("title", Text, nullable=False),
    Column("publisher", Text, nullable=False, default=""),
    Column("url", Text, nullable=False, default=""),
    Column("as_of", String(10), nullable=False, default=""),
    Column("licence", Text, nullable=False, default=""),
    Column("attribution", Text, nullable=False, default=""),
    Column("version", String(64), nullable=False),
    Column("bundled", Integer, nullable=False, default=0),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("schema", String(40), nullable=False),
    Column("caption", Text, nullable=False),
    Column("dataset_id", String(100), ForeignKey("datasets.id"), nullable=False),
)

statements = Table(
    "statements",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("entity_id", String(200), ForeignKey("entities.id"), nullable=False),
    Column("prop", String(60), nullable=False),
    Column("value", Text, nullable=False),
    Column("dataset_id", String(100), ForeignKey("datasets.id"), nullable=False),
    Column("source_url", Text, nullable=False, default=""),
    Column("source_title", Text, nullable=False, default=""),
    Column("source_publisher", Text, nullable=False, default=""),
    Column("source_date", Date, nullable=True),
    Column("reliability", Integer, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Index("ix_statements_entity", "entity_id"),
)

listings = Table(
    "listings",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("entity_id", String(200), ForeignKey("entities.id"), nullable=False),
    Column("dataset_id", String(100), ForeignKey("datasets.id"), nullable=False),
    Column("list_name", Text, nullable=False),
    Column("effect", String(30), nullable=False),
    Column("entry_id", String(200), nullable=False),
    Column("program", Text, nullable=False, default=""),
    Column("section", Text, nullable=False, default=""),
    Column("date_listed", Date, nullable=True),
    Column("date_removed", Date, nullable=True),
    Column("product_scope", Text, nullable=False, default=""),
    Column("status", Text, nullable=False, default=""),
    Column("sources", Text, nullable=False, default="[]"),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Index("ix_listings_entity", "entity_id"),
)

review_decisions = Table(
    "review_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("query_key", Text, nullable=False),
    Column("query_name", Text, nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("user_name", String(100), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("data_version", String(64), nullable=False, default=""),
    Column("algorithm", String(60), nullable=False, default=""),
    Index("ix_review_pair", "query_key", "entity_id"),
)
