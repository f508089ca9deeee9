"""Listings keep their entry's caveats (e.g. an effective date inferred, not stated), so a flag
resting on the entry can say so.

Revision ID: 0004_lists
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_lists"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("listings") as batch:
        batch.add_column(sa.Column("notes", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("listings") as batch:
        batch.drop_column("notes")
