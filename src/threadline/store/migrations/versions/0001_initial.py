"""Initial schema: datasets, entities, statements, listings, review decisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("publisher", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("licence", sa.Text, nullable=False),
        sa.Column("attribution", sa.Text, nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("bundled", sa.Integer, nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("schema", sa.String(40), nullable=False),
        sa.Column("caption", sa.Text, nullable=False),
        sa.Column("dataset_id", sa.String(100), sa.ForeignKey("datasets.id"), nullable=False),
    )
    op.create_table(
        "statements",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("prop", sa.String(60), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("dataset_id", sa.String(100), sa.ForeignKey("datasets.id"), nullable=False),
        sa.Column("source_url", sa.Text, nullable=False),
        sa.Column("source_title", sa.Text, nullable=False),
        sa.Column("source_publisher", sa.Text, nullable=False),
        sa.Column("source_date", sa.Date, nullable=True),
        sa.Column("reliability", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_statements_entity", "statements", ["entity_id"])
    op.create_table(
        "listings",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("dataset_id", sa.String(100), sa.ForeignKey("datasets.id"), nullable=False),
        sa.Column("list_name", sa.Text, nullable=False),
        sa.Column("effect", sa.String(30), nullable=False),
        sa.Column("entry_id", sa.String(200), nullable=False),
        sa.Column("program", sa.Text, nullable=False),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("date_listed", sa.Date, nullable=True),
        sa.Column("date_removed", sa.Date, nullable=True),
        sa.Column("product_scope", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("sources", sa.Text, nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_listings_entity", "listings", ["entity_id"])
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("query_key", sa.Text, nullable=False),
        sa.Column("query_name", sa.Text, nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data_version", sa.String(64), nullable=False),
        sa.Column("algorithm", sa.String(60), nullable=False),
    )
    op.create_index("ix_review_pair", "review_decisions", ["query_key", "entity_id"])


def downgrade() -> None:
    for table in ("review_decisions", "listings", "statements", "entities", "datasets"):
        op.drop_table(table)
