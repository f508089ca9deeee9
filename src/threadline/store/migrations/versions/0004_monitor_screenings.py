"""Monitoring: every screening kept with its inputs and settings, row keys and the facts a
comparison needs, and monitors over screenings.

Revision ID: 0004_monitor
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_monitor"
down_revision = "0004_refresh"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added columns carry server defaults, so existing rows stay valid (SQLite adds them in place).
    op.add_column(
        "screenings", sa.Column("origin", sa.String(20), nullable=False, server_default="server")
    )
    op.add_column(
        "screenings", sa.Column("input_hash", sa.String(64), nullable=False, server_default="")
    )
    op.add_column("screenings", sa.Column("settings", sa.Text, nullable=False, server_default="{}"))
    op.add_column("screening_rows", sa.Column("key", sa.Text, nullable=False, server_default=""))
    op.add_column("screening_rows", sa.Column("facts", sa.Text, nullable=False, server_default=""))
    op.add_column(
        "screening_rows", sa.Column("digest", sa.String(40), nullable=False, server_default="")
    )
    op.create_index("ix_screenings_filename", "screenings", ["filename"])
    op.create_table(
        "screening_inputs",
        sa.Column("screening_id", sa.String(32), sa.ForeignKey("screenings.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "monitors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("screening_id", sa.String(32), sa.ForeignKey("screenings.id"), nullable=False),
        sa.Column("previous_id", sa.String(32), sa.ForeignKey("screenings.id"), nullable=True),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("changed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("raised", sa.Integer, nullable=False, server_default="0"),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("monitors")
    op.drop_table("screening_inputs")
    op.drop_index("ix_screenings_filename", "screenings")
    with op.batch_alter_table("screening_rows") as batch:
        batch.drop_column("digest")
        batch.drop_column("facts")
        batch.drop_column("key")
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("settings")
        batch.drop_column("input_hash")
        batch.drop_column("origin")
