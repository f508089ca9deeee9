"""List loads: each official file `threadline data update` read into a list, and what it changed.

Revision ID: 0004_refresh
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_refresh"
down_revision = "0004_lists"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_loads",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("dataset_id", sa.String(100), sa.ForeignKey("datasets.id"), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("file_date", sa.Date, nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("url", sa.Text, nullable=False, server_default=""),
        sa.Column("added", sa.Integer, nullable=False, server_default="0"),
        sa.Column("changed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("removed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("unchanged", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_list_loads_dataset", "list_loads", ["dataset_id"])


def downgrade() -> None:
    op.drop_index("ix_list_loads_dataset", "list_loads")
    op.drop_table("list_loads")
