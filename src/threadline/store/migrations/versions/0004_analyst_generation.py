"""Store generation: a counter of reference-data writes, so a running server sees imports;
screenings keep how their upload was read (sheet, columns) in `options`.

Revision ID: 0004_analyst
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_analyst"
down_revision = "0003"
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


def downgrade() -> None:
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("options")
    op.drop_table("store_generation")
