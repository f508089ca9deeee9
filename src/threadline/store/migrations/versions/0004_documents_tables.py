"""Documents: imported documents with their text, the mentions found in them, findings, and
reviewers' verdicts on findings.

Revision ID: 0004_documents
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_documents"
down_revision = "0004_monitor"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("publisher", sa.Text, nullable=False),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("media_type", sa.String(20), nullable=False),
        sa.Column("chars", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("dataset_id", sa.String(100), sa.ForeignKey("datasets.id"), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "document_mentions",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start_offset", sa.Integer, nullable=False),
        sa.Column("end_offset", sa.Integer, nullable=False),
        sa.Column("sentence", sa.Integer, nullable=False),
        sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=True),
    )
    op.create_index("ix_document_mentions_document", "document_mentions", ["document_id"])
    op.create_index("ix_document_mentions_entity", "document_mentions", ["entity_id"])
    op.create_table(
        "document_findings",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
        sa.Column("region", sa.String(10), nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("quote_start", sa.Integer, nullable=False),
        sa.Column("quote_end", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_document_findings_entity", "document_findings", ["entity_id"])
    op.create_index("ix_document_findings_document", "document_findings", ["document_id"])
    op.create_table(
        "finding_reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "finding_id", sa.String(40), sa.ForeignKey("document_findings.id"), nullable=False
        ),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_finding_reviews_finding", "finding_reviews", ["finding_id"])


def downgrade() -> None:
    op.drop_table("finding_reviews")
    op.drop_table("document_findings")
    op.drop_table("document_mentions")
    op.drop_table("documents")
