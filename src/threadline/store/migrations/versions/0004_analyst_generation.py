"""Store generation: a counter of reference-data writes, so a running server sees imports;
screenings keep how their upload was read (sheet, columns) in `options`; dispositions of flags
(address, sector, Tibet, link paths) with their traceability files; certification claims.

Revision ID: 0004_analyst
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_analyst"
down_revision = "0004_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "store_generation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])
    with op.batch_alter_table("screenings") as batch:
        batch.add_column(sa.Column("options", sa.Text, nullable=False, server_default="{}"))
    with op.batch_alter_table("review_decisions") as batch:
        batch.add_column(
            sa.Column("screening_id", sa.String(32), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("row", sa.Integer, nullable=True))
        batch.add_column(sa.Column("user_key", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("score", sa.Float, nullable=True))
    op.create_table(
        "flag_dispositions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("supplier_key", sa.Text, nullable=False),
        sa.Column("supplier", sa.Text, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("screening_id", sa.String(32), nullable=False),
        sa.Column("row", sa.Integer, nullable=True),
        sa.Column("user_key", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("data_version", sa.String(64), nullable=False),
        sa.Column("algorithm", sa.String(60), nullable=False),
    )
    op.create_index("ix_flag_dispositions_key", "flag_dispositions", ["supplier_key", "code"])
    op.create_table(
        "disposition_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "disposition_id", sa.Integer, sa.ForeignKey("flag_dispositions.id"), nullable=False
        ),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_index(
        "ix_disposition_files_disposition", "disposition_files", ["disposition_id"]
    )
    op.create_table(
        "certification_claims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("supplier_key", sa.Text, nullable=False),
        sa.Column("supplier", sa.Text, nullable=False),
        sa.Column("scheme", sa.String(100), nullable=False),
        sa.Column("certificate_id", sa.Text, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_certification_claims_key", "certification_claims", ["supplier_key"])


def downgrade() -> None:
    op.drop_table("certification_claims")
    op.drop_table("disposition_files")
    op.drop_table("flag_dispositions")
    with op.batch_alter_table("review_decisions") as batch:
        for column in ("score", "user_key", "row", "screening_id"):
            batch.drop_column(column)
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("options")
    op.drop_table("store_generation")
