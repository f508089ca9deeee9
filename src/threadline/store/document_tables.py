"""Tables of imported documents: each document once (by the hash of its text) with its text,
the mentions found in it, and the findings it gives about entities. The findings are also
written as entity statements and the stated links as relations, citing the document."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text

from threadline.store.tables import metadata

documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("publisher", Text, nullable=False, default=""),
    Column("date", Date, nullable=True),
    Column("url", Text, nullable=False, default=""),
    Column("kind", String(20), nullable=False),
    Column("file", Text, nullable=False, default=""),
    Column("media_type", String(20), nullable=False, default=""),
    Column("chars", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("dataset_id", String(100), ForeignKey("datasets.id"), nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
)

# A name, place or term found in a document, at its offsets; `entity_id` where it was resolved.
document_mentions = Table(
    "document_mentions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("document_id", String(64), ForeignKey("documents.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("label", String(100), nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("sentence", Integer, nullable=False),
    Column("entity_id", String(200), ForeignKey("entities.id"), nullable=True),
    Index("ix_document_mentions_document", "document_id"),
    Index("ix_document_mentions_entity", "entity_id"),
)

# What a document says of an entity: an indicator's category, or a camp's contract, with the quote.
document_findings = Table(
    "document_findings",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("document_id", String(64), ForeignKey("documents.id"), nullable=False),
    Column("entity_id", String(200), ForeignKey("entities.id"), nullable=False),
    Column("category", String(40), nullable=False),
    Column("label", String(100), nullable=False),
    Column("terms", Text, nullable=False),
    Column("region", String(10), nullable=False, default=""),
    Column("quote", Text, nullable=False),
    Column("quote_start", Integer, nullable=False),
    Column("quote_end", Integer, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Index("ix_document_findings_entity", "entity_id"),
    Index("ix_document_findings_document", "document_id"),
)

# A reviewer's verdict on a finding, append-only: the latest one counts, a rejected finding gives
# no reason in screening, and every verdict stays for the audit.
finding_reviews = Table(
    "finding_reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finding_id", String(40), ForeignKey("document_findings.id"), nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("user_name", String(100), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Index("ix_finding_reviews_finding", "finding_id"),
)
