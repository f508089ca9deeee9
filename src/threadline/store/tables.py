"""Table definitions (SQLAlchemy Core). Statements carry provenance and a content-hashed id, so
loading the same data twice changes nothing; removals are dated facts, never deletions."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
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
    Column("source_excerpt", Text, nullable=False, default=""),
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
    Column("notes", Text, nullable=False, default="", server_default=""),
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
    # Where the decision was made, for the audit export (empty outside a screening).
    Column("screening_id", String(32), nullable=False, default=""),
    Column("row", Integer, nullable=True),
    Column("user_key", Text, nullable=False, default=""),
    Column("score", Float, nullable=True),
    Index("ix_review_pair", "query_key", "entity_id"),
)


def _source_columns() -> list[Column[object]]:
    """Where a statement comes from; the same columns on every table of statements."""
    return [
        Column("source_url", Text, nullable=False, default=""),
        Column("source_title", Text, nullable=False, default=""),
        Column("source_publisher", Text, nullable=False, default=""),
        Column("source_date", Date, nullable=True),
        Column("source_excerpt", Text, nullable=False, default=""),
        Column("reliability", Integer, nullable=False),
    ]


# A relation statement: `id` hashes everything it says, `key` only which link it is (kind, ends,
# start, document), so a later statement with an end date supersedes the earlier open one.
relations = Table(
    "relations",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("key", String(40), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("source_id", String(200), ForeignKey("entities.id"), nullable=False),
    Column("target_id", String(200), ForeignKey("entities.id"), nullable=False),
    Column("start_date", Date, nullable=True),
    Column("end_date", Date, nullable=True),
    Column("share", Float, nullable=True),
    Column("quantity", Text, nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("dataset_id", String(100), ForeignKey("datasets.id"), nullable=False),
    *_source_columns(),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Index("ix_relations_source", "source_id"),
    Index("ix_relations_target", "target_id"),
    Index("ix_relations_key", "key"),
)

# One row per bill of lading as read; a corrected bill (same number, other content) is a new row.
# Each is also a shipped_to relation from shipper_id to consignee_id (see store.graph).
shipments = Table(
    "shipments",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("bill_number", String(200), nullable=False),
    Column("date", Date, nullable=True),
    Column("shipper_name", Text, nullable=False),
    Column("shipper_address", Text, nullable=False, default=""),
    Column("consignee_name", Text, nullable=False),
    Column("consignee_address", Text, nullable=False, default=""),
    Column("notify_party", Text, nullable=False, default=""),
    Column("product", Text, nullable=False, default=""),
    Column("hs_code", String(20), nullable=False, default=""),
    Column("quantity", Text, nullable=False, default=""),
    Column("weight", Text, nullable=False, default=""),
    Column("port_of_lading", Text, nullable=False, default=""),
    Column("port_of_unlading", Text, nullable=False, default=""),
    Column("country_of_origin", Text, nullable=False, default=""),
    Column("shipper_id", String(200), ForeignKey("entities.id"), nullable=False),
    Column("consignee_id", String(200), ForeignKey("entities.id"), nullable=False),
    Column("file", Text, nullable=False, default=""),
    Column("file_row", Integer, nullable=False, default=0),
    Column("dataset_id", String(100), ForeignKey("datasets.id"), nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Index("ix_shipments_bill", "bill_number"),
    Index("ix_shipments_shipper", "shipper_id"),
    Index("ix_shipments_consignee", "consignee_id"),
)

# A name resolved into the review band of an existing entity: kept beside the new entity the name
# became, for a person to confirm or reject; never merged on its own.
candidate_links = Table(
    "candidate_links",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("entity_id", String(200), ForeignKey("entities.id"), nullable=False),
    Column("candidate_id", String(200), ForeignKey("entities.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("algorithm", String(60), nullable=False),
    Column("dataset_id", String(100), ForeignKey("datasets.id"), nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Index("ix_candidate_links_entity", "entity_id"),
    Index("ix_candidate_links_candidate", "candidate_id"),
)

# One row per official file loaded by `threadline data update`: which list it refreshed, what it
# was, when it was fetched and what it changed. Bundled snapshots are the `datasets` rows.
list_loads = Table(
    "list_loads",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("dataset_id", String(100), ForeignKey("datasets.id"), nullable=False),
    Column("source", String(40), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("file_date", Date, nullable=False),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("url", Text, nullable=False, default=""),
    Column("added", Integer, nullable=False, default=0),
    Column("changed", Integer, nullable=False, default=0),
    Column("removed", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Index("ix_list_loads_dataset", "dataset_id"),
)

# One row counting the writes to the reference data (lists, entities, relations, shipments): a
# running server compares it on each request and rebuilds its index when it has moved.
store_generation = Table(
    "store_generation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", Integer, nullable=False),
)

# Decisions on flags other than name candidates (address, Tibet, sector, link paths): append-only
# like review_decisions; the latest per (supplier key, code) applies. Where the decision was made
# in a screening, its id, row, the user's key for the row and the flag's match score are kept for
# the audit export.
flag_dispositions = Table(
    "flag_dispositions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("supplier_key", Text, nullable=False),
    Column("supplier", Text, nullable=False),
    Column("code", String(60), nullable=False),
    Column("decision", String(20), nullable=False),
    Column("user_name", String(100), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("screening_id", String(32), nullable=False, default=""),
    Column("row", Integer, nullable=True),
    Column("user_key", Text, nullable=False, default=""),
    Column("score", Float, nullable=True),
    Column("data_version", String(64), nullable=False, default=""),
    Column("algorithm", String(60), nullable=False, default=""),
    Index("ix_flag_dispositions_key", "supplier_key", "code"),
)

# Traceability documents filed with a disposition, stored whole and known by their SHA-256.
disposition_files = Table(
    "disposition_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("disposition_id", Integer, ForeignKey("flag_dispositions.id"), nullable=False),
    Column("filename", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Index("ix_disposition_files_disposition", "disposition_id"),
)

# Social-compliance certificates recorded for a supplier (web form): claims shown beside its
# results from then on, never a clearance. Append-only; every claim recorded is shown.
certification_claims = Table(
    "certification_claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("supplier_key", Text, nullable=False),
    Column("supplier", Text, nullable=False),
    Column("scheme", String(100), nullable=False),
    Column("certificate_id", Text, nullable=False, default=""),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("scope", Text, nullable=False, default=""),
    Column("user_name", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_certification_claims_key", "supplier_key"),
)
