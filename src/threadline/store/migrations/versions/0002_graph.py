"""Graph: relations, shipments and candidate links; an excerpt on every statement's source.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _source_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("source_url", sa.Text, nullable=False),
        sa.Column("source_title", sa.Text, nullable=False),
        sa.Column("source_publisher", sa.Text, nullable=False),
        sa.Column("source_date", sa.Date, nullable=True),
        sa.Column("source_excerpt", sa.Text, nullable=False),
        sa.Column("reliability", sa.Integer, nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("source_excerpt", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "relations",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("source_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("target_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("start_date", sa.Date, nullable=True),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("share", sa.Float, nullable=True),
        sa.Column("quantity", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("dataset_id", sa.String(100), sa.ForeignKey("datasets.id"), nullable=False),
        *_source_columns(),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_relations_source", "relations", ["source_id"])
    op.create_index("ix_relations_target", "relations", ["target_id"])
    op.create_index("ix_relations_key", "relations", ["key"])
    op.create_table(
        "shipments",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("bill_number", sa.String(200), nullable=False),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("shipper_name", sa.Text, nullable=False),
        sa.Column("shipper_address", sa.Text, nullable=False),
        sa.Column("consignee_name", sa.Text, nullable=False),
        sa.Column("consignee_address", sa.Text, nullable=False),
        sa.Column("notify_party", sa.Text, nullable=False),
        sa.Column("product", sa.Text, nullable=False),
        sa.Column("hs_code", sa.String(20), nullable=False),
        sa.Column("quantity", sa.Text, nullable=False),
        sa.Column("weight", sa.Text, nullable=False),
        sa.Column("port_of_lading", sa.Text, nullable=False),
        sa.Column("port_of_unlading", sa.Text, nullable=False),
        sa.Column("country_of_origin", sa.Text, nullable=False),
        sa.Column("shipper_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("consignee_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("file_row", sa.Integer, nullable=False),
        sa.Column("dataset_id", sa.String(100), sa.ForeignKey("datasets.id"), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_shipments_bill", "shipments", ["bill_number"])
    op.create_index("ix_shipments_shipper", "shipments", ["shipper_id"])
    op.create_index("ix_shipments_consignee", "shipments", ["consignee_id"])
    op.create_table(
        "candidate_links",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("candidate_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("algorithm", sa.String(60), nullable=False),
        sa.Column("dataset_id", sa.String(100), sa.ForeignKey("datasets.id"), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_candidate_links_entity", "candidate_links", ["entity_id"])
    op.create_index("ix_candidate_links_candidate", "candidate_links", ["candidate_id"])


def downgrade() -> None:
    for table in ("candidate_links", "shipments", "relations"):
        op.drop_table(table)
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("source_excerpt")
